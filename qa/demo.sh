#!/usr/bin/env bash
# make demo: two exabgp daemons peer on loopback. A (127.0.0.1, AS 65001)
# announces its static routes, and a helper process announces and withdraws
# one more through the API; B (127.0.0.2, AS 65002) listens and its helper
# process prints every UPDATE it receives (text encoder). Then A is stopped
# and B shows the Cease. Everything stops by itself after a few seconds.
#
#   qa/demo.sh [EXABGP]       EXABGP defaults to $EXAGO_EXABGP, then bin/exabgp;
#                             ExaBGP's own sbin/exabgp works too.
#   DEMO_MODE=peer qa/demo.sh B is ExaGo's test peer (qa/cmd/testpeer --show),
#                             which prints every message decoded.
set -euo pipefail
cd "$(dirname "$0")/.."

exabgp="${1:-${EXAGO_EXABGP:-bin/exabgp}}"
[ -x "$exabgp" ] || { echo "demo: $exabgp is not an executable (run make build)" >&2; exit 1; }
exabgp="$(cd "$(dirname "$exabgp")" && pwd)/$(basename "$exabgp")"
mode="${DEMO_MODE:-pair}"
settle="${DEMO_SECONDS:-4}" # how long routes flow once the session is up
wait_up="${DEMO_WAIT:-60}"  # how long the session may take to come up

tmp="$(mktemp -d)"
chmod 755 "$tmp" # run as root, exabgp drops to daemon.user (nobody) to run helpers
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# wait_for FILE PATTERN SECONDS: until a line of FILE matches PATTERN.
wait_for() {
	local deadline=$((SECONDS + $3))
	while [ "$SECONDS" -lt "$deadline" ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

cat >"$tmp/announce.sh" <<'EOF'
#!/bin/sh
# A's helper: one route through the API, then its withdrawal.
sleep 1
echo "announce route 10.9.0.0/24 next-hop self community [65001:999]"
sleep 1
echo "withdraw route 10.9.0.0/24 next-hop self"
exec sleep 3600 # stay alive: exabgp respawns helpers that exit
EOF
cat >"$tmp/show.sh" <<EOF
#!/bin/sh
# B's helper: print what B receives.
while read -r line; do
	case "\$line" in
	*" update start" | *" update end") ;;
	*" update "* | *notification*) echo "127.0.0.2 got: \$line" >>"$tmp/shown.log" ;;
	esac
done
EOF
chmod 755 "$tmp/announce.sh" "$tmp/show.sh"
: >"$tmp/shown.log"
chmod 666 "$tmp/shown.log" # B's helper may run as nobody

cat >"$tmp/a.conf" <<EOF
process announce {
	run $tmp/announce.sh;
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
		processes [ announce ];
	}
	static {
		route 10.1.0.0/24 next-hop 127.0.0.1 community [65001:100];
		route 10.2.0.0/23 next-hop 127.0.0.1 as-path [ 65001 65010 ] med 20;
		route 2001:db8:1::/48 next-hop 2001:db8::1;
	}
}
EOF

cat >"$tmp/b.conf" <<EOF
process show {
	run $tmp/show.sh;
	encoder text;
}

neighbor 127.0.0.1 {
	router-id 10.0.0.2;
	local-address 127.0.0.2;
	local-as 65002;
	peer-as 65001;
	hold-time 30;
	passive true;
	family {
		ipv4 unicast;
		ipv6 unicast;
	}
	api {
		processes [ show ];
		receive {
			parsed;
			update;
			notification;
		}
	}
}
EOF

# B: the listening side on 127.0.0.2; sets $port and $up_pattern.
start_b() {
	if [ "$mode" = peer ]; then
		go build -o "$tmp/testpeer" ./qa/cmd/testpeer
		echo "== B: test peer on 127.0.0.2 (prints what it receives, decoded)"
		"$tmp/testpeer" --show --listen 127.0.0.2 --port 0 --asn 65002 >"$tmp/shown.log" 2>&1 &
		pids="$pids $!"
		wait_for "$tmp/shown.log" "^testpeer listening" 10 || { echo "demo: the test peer did not start" >&2; exit 1; }
		port="$(sed -n 's/^testpeer listening on .*:\([0-9]*\)$/\1/p' "$tmp/shown.log")"
		up_pattern="^open recv"
		return
	fi
	port=$((20000 + RANDOM % 20000))
	echo "== B: $exabgp listening on 127.0.0.2:$port (prints what it receives)"
	env exabgp_tcp_port="$port" exabgp_tcp_bind=127.0.0.2 exabgp_api_cli=false \
		"$exabgp" "$tmp/b.conf" >"$tmp/b.log" 2>&1 &
	pids="$pids $!"
	up_pattern=" update "
}

start_b
tail -n +1 -f "$tmp/shown.log" &
pids="$pids $!"

echo "== A: $exabgp on 127.0.0.1, connecting to 127.0.0.2:$port"
env exabgp_tcp_port="$port" exabgp_tcp_bind= exabgp_api_cli=false \
	"$exabgp" "$tmp/a.conf" >"$tmp/a.log" 2>&1 &
a_pid=$!
pids="$a_pid $pids"

if ! wait_for "$tmp/shown.log" "$up_pattern" "$wait_up"; then
	echo "demo: no route within ${wait_up}s; A's output:" >&2
	tail -n 15 "$tmp/a.log" >&2
	[ -f "$tmp/b.log" ] && { echo "B's output:" >&2; tail -n 15 "$tmp/b.log" >&2; }
	exit 1
fi
sleep "$settle"

echo "== stopping A (SIGTERM): it closes the session with a Cease"
kill -TERM "$a_pid" 2>/dev/null || true
deadline=$((SECONDS + 5))
while [ "$SECONDS" -lt "$deadline" ] && kill -0 "$a_pid" 2>/dev/null; do sleep 0.1; done
sleep 1 # let B print the end of the session
echo "== demo finished"
