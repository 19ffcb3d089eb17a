package qa

// Update groups against ExaBGP 5.0.13 (harness: groups_harness_test.go):
// sessions of group members that go down and come back, and route refresh
// requests from the peers.

import (
	"testing"
)

// groupsSessionNeighbors: .2, .3 and .8 plain members, .4 with adj-rib-out
// false, .7 with group-updates false.
const groupsSessionNeighbors = `
neighbor 127.0.9.2 {
  inherit grp;
  local-address 127.0.0.1;
}
neighbor 127.0.9.3 {
  inherit grp;
  local-address 127.0.0.1;
}
neighbor 127.0.9.4 {
  inherit grp;
  local-address 127.0.0.1;
  adj-rib-out false;
}
neighbor 127.0.9.7 {
  inherit grp;
  local-address 127.0.0.1;
  group-updates false;
}
neighbor 127.0.9.8 {
  inherit grp;
  local-address 127.0.0.1;
}
`

// TestGroupsReconnect: every member's session drops (TCP close) and comes
// back: an untouched member, one changed through the API while up, one
// changed while down (and back with fewer families), one with adj-rib-out
// false, one with group-updates false. The peers offer IPv4 and IPv6
// unicast only (TestGroupsReconnectFlow adds flow).
func TestGroupsReconnect(t *testing.T) {
	both := gCaps{families: []gFamily{gIPv4, gIPv6}, refresh: true}
	v4 := gCaps{families: []gFamily{gIPv4}, refresh: true}
	groupsReconnect(t, both, v4)
}

// TestGroupsReconnectFlow is TestGroupsReconnect with peers that offer
// the flow family too: the routes re-sent on the new session come family
// by family in ExaBGP's Python set order (ipv4 unicast, ipv6 unicast,
// ipv4 flow; rib/pyset.go).
func TestGroupsReconnectFlow(t *testing.T) {
	fewer := gCaps{families: []gFamily{gIPv4, gIPv6}, refresh: true}
	groupsReconnect(t, groupsAll, fewer)
}

func groupsReconnect(t *testing.T, caps, fewer gCaps) {
	h := groupsStart(t, groupsTemplate("")+groupsSessionNeighbors)
	addrs := []string{"127.0.9.2", "127.0.9.3", "127.0.9.4", "127.0.9.7", "127.0.9.8"}
	peers := map[string]*gPeer{}
	for _, a := range addrs {
		p := h.connect(a, "127.0.0.1", caps)
		peers[a] = p
		h.waitEOR(p)
		h.phase(p, "initial UPDATEs")
	}
	// .3 and .4 changed through the API while up.
	h.command("neighbor 127.0.9.3 withdraw route 10.0.1.0/24 next-hop 127.0.0.1 med 10", true)
	h.command("neighbor 127.0.9.4 announce route 10.4.0.0/24 next-hop 127.0.0.1 med 10", true)
	for _, a := range []string{"127.0.9.3", "127.0.9.4"} {
		h.sentinel(peers[a])
		h.phase(peers[a], "API change")
	}

	for _, a := range addrs {
		h.disconnect(peers[a])
		h.phase(peers[a], "until the disconnection")
	}
	// While .2 is down, one change for it.
	h.command("neighbor 127.0.9.2 announce route 10.2.0.0/24 next-hop 127.0.0.1", true)

	for _, a := range addrs {
		c := caps
		if a == "127.0.9.2" {
			c = fewer
		}
		p := h.connect(a, "127.0.0.1", c)
		peers[a] = p
		h.waitEOR(p)
		h.phase(p, "after reconnecting")
	}
	for _, a := range addrs {
		h.sentinel(peers[a])
		h.phase(peers[a], "sentinel")
	}
	h.command("show adj-rib out", true)
	h.check(groupsName(t))
}

// TestGroupsRouteRefresh: ROUTE-REFRESH from members, plain (RFC 2918) and
// enhanced (RFC 7313), from an untouched member and from changed ones.
func TestGroupsRouteRefresh(t *testing.T) {
	h := groupsStart(t, groupsTemplate("")+groupsSessionNeighbors)
	enhanced := groupsAll
	enhanced.enhanced = true
	caps := map[string]gCaps{"127.0.9.2": groupsAll, "127.0.9.3": enhanced, "127.0.9.4": groupsAll, "127.0.9.7": enhanced}
	addrs := []string{"127.0.9.2", "127.0.9.3", "127.0.9.4", "127.0.9.7"}
	var peers []*gPeer
	for _, a := range addrs {
		p := h.connect(a, "127.0.0.1", caps[a])
		peers = append(peers, p)
		h.waitEOR(p)
		h.phase(p, "initial UPDATEs")
	}
	refresh := func(title string, f gFamily) {
		t.Helper()
		for _, p := range peers {
			h.send(p, gRouteRefresh(f))
		}
		// The daemon may read the API before the peer's socket: wait for
		// the first message of the reply before the sentinel.
		for _, p := range peers {
			h.wait(p, "the reply to the ROUTE-REFRESH", func(msgs [][]byte) bool { return len(msgs) > 0 })
		}
		for _, p := range peers {
			h.sentinel(p)
			h.phase(p, title)
		}
	}
	refresh("refresh ipv4 unicast, untouched", gIPv4)
	// The sentinels changed every member; refresh once more after one
	// more change to .3 and .7.
	h.command("neighbor 127.0.9.3 withdraw route 10.0.0.0/24 next-hop 127.0.0.1", true)
	h.command("neighbor 127.0.9.7 announce route 2001:db8:7::/48 next-hop 2001:db8::1", true)
	for _, p := range peers {
		h.sentinel(p)
		h.phase(p, "API change")
	}
	refresh("refresh ipv6 unicast", gIPv6)
	refresh("refresh ipv4 flow", gIPv4Flow)
	h.check(groupsName(t))
}
