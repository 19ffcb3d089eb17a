#!/usr/bin/env bash
# make demo: an exabgp daemon on 127.0.0.1 peers with ExaGo's test peer on
# 127.0.0.2, which prints every message it receives, decoded. The daemon
# announces its static routes, a helper process announces and withdraws one
# more through the API, then the daemon is stopped and says goodbye with a
# Cease. Everything stops by itself.
#
#   qa/demo.sh [EXABGP]     EXABGP defaults to $EXAGO_EXABGP, then bin/exabgp;
#                           ExaBGP's own sbin/exabgp works too.
set -euo pipefail
cd "$(dirname "$0")/.."

exabgp="${1:-${EXAGO_EXABGP:-bin/exabgp}}"
[ -x "$exabgp" ] || { echo "demo: $exabgp is not an executable (run make build)" >&2; exit 1; }
exabgp="$(cd "$(dirname "$exabgp")" && pwd)/$(basename "$exabgp")"
settle="${DEMO_SECONDS:-4}"   # how long routes flow once the session is up
wait_up="${DEMO_WAIT:-60}"    # how long the session may take to come up

tmp="$(mktemp -d)"
chmod 755 "$tmp" # run as root, exabgp drops to daemon.user (nobody) to run its helper
peer_pid=""
daemon_pid=""
cleanup() {
	for p in $daemon_pid $peer_pid; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/testpeer" ./qa/cmd/testpeer

cat >"$tmp/api.sh" <<'EOF'
#!/bin/sh
# Helper process: one route through the API, then its withdrawal.
sleep 1
echo "announce route 10.9.0.0/24 next-hop self community [65001:999]"
sleep 1
echo "withdraw route 10.9.0.0/24 next-hop self"
exec sleep 3600 # stay alive: ExaBGP respawns helpers that exit
EOF
chmod +x "$tmp/api.sh"

cat >"$tmp/demo.conf" <<EOF
process demo-api {
	run $tmp/api.sh;
	encoder text;
}

neighbor 127.0.0.2 {
	router-id 10.0.0.1;
	local-address 127.0.0.1;
	local-as 65001;
	peer-as 65002;
	hold-time 30;
	family {
		ipv4 unicast;
		ipv6 unicast;
	}
	api {
		processes [ demo-api ];
	}
	static {
		route 10.1.0.0/24 next-hop 127.0.0.1 community [65001:100];
		route 10.2.0.0/23 next-hop 127.0.0.1 as-path [ 65001 65010 ] med 20;
		route 2001:db8:1::/48 next-hop 2001:db8::1;
	}
}
EOF

echo "== test peer on 127.0.0.2 (shows what it receives)"
: >"$tmp/peer.log"
"$tmp/testpeer" --show --listen 127.0.0.2 --port 0 --asn 65002 >"$tmp/peer.log" 2>&1 &
peer_pid=$!
tail -n +1 -f "$tmp/peer.log" --pid "$peer_pid" &

port=""
deadline=$((SECONDS + 10))
while [ "$SECONDS" -lt "$deadline" ]; do
	port="$(sed -n 's/^testpeer listening on .*:\([0-9]*\)$/\1/p' "$tmp/peer.log")"
	[ -n "$port" ] && break
	sleep 0.1
done
[ -n "$port" ] || { echo "demo: the test peer did not start" >&2; exit 1; }

echo "== $exabgp on 127.0.0.1, connecting to port $port"
env exabgp_tcp_port="$port" exabgp_tcp_bind= exabgp_api_cli=false exabgp_log_level=INFO \
	"$exabgp" "$tmp/demo.conf" >"$tmp/daemon.log" 2>&1 &
daemon_pid=$!

up=""
deadline=$((SECONDS + wait_up))
while [ "$SECONDS" -lt "$deadline" ]; do
	grep -q "^open recv" "$tmp/peer.log" && up=1 && break
	kill -0 "$daemon_pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$up" ]; then
	echo "demo: no session within ${wait_up}s; daemon output:" >&2
	tail -n 20 "$tmp/daemon.log" >&2
	exit 1
fi
sleep "$settle"

echo "== stopping the daemon (SIGTERM)"
kill -TERM "$daemon_pid" 2>/dev/null || true
deadline=$((SECONDS + 5))
while [ "$SECONDS" -lt "$deadline" ]; do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
kill -KILL "$daemon_pid" 2>/dev/null || true
sleep 0.5
kill -TERM "$peer_pid" 2>/dev/null || true
wait "$peer_pid" 2>/dev/null || true
echo "== demo finished"
