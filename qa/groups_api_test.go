package qa

// Update groups against ExaBGP 5.0.13 (harness: groups_harness_test.go):
// API changes to one neighbor of a group, before and after its session is
// up. One change per neighbor between two barriers, so that ExaBGP's
// batching (which depends on timing) cannot change what it sends.

import (
	"testing"
)

const groupsAPINeighbors = `
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
}
neighbor 127.0.9.7 {
  inherit grp;
  local-address 127.0.0.1;
  group-updates false;
}
`

// groupsRounds runs one change per neighbor (cmds), then a sentinel on
// every peer, then `show adj-rib out`.
func groupsRounds(t *testing.T, h *gHarness, peers []*gPeer) func(title string, cmds ...string) {
	return func(title string, cmds ...string) {
		t.Helper()
		for _, c := range cmds {
			h.command(c, true)
		}
		for _, p := range peers {
			h.sentinel(p)
			h.phase(p, title)
		}
		h.command("show adj-rib out", true)
	}
}

// TestGroupsAPI: changes through the API to single neighbors of the group
// (announce, withdraw of a template route, replacement of a template
// route), each followed by a sentinel on
// every neighbor; `show adj-rib out` after each round.
func TestGroupsAPI(t *testing.T) {
	h := groupsStart(t, groupsTemplate("")+groupsAPINeighbors)

	// Before any session is up.
	h.command("neighbor 127.0.9.3 announce route 10.3.0.0/24 next-hop 127.0.0.1 med 10", true)
	h.command("neighbor 127.0.9.3 withdraw route 10.0.2.0/24 next-hop 127.0.0.1 community [ 65000:1 65000:2 ]", true)
	h.command("neighbor 127.0.9.4 announce route 10.0.1.0/24 next-hop 127.0.0.1 med 30", true)
	h.command("neighbor 127.0.9.7 withdraw route 2001:db8:1::/48 next-hop 2001:db8::1 med 20", true)
	h.command("show adj-rib out", true)

	addrs := []string{"127.0.9.2", "127.0.9.3", "127.0.9.4", "127.0.9.7"}
	var peers []*gPeer
	for _, a := range addrs {
		p := h.connect(a, "127.0.0.1", groupsAll)
		peers = append(peers, p)
		h.waitEOR(p)
	}
	for _, p := range peers {
		h.phase(p, "initial UPDATEs")
	}
	h.command("show adj-rib out", true)

	round := groupsRounds(t, h, peers)
	round("round 1: one change per neighbor",
		"neighbor 127.0.9.2 announce route 10.2.0.0/24 next-hop 127.0.0.1",
		"neighbor 127.0.9.3 withdraw route 10.0.0.0/24 next-hop 127.0.0.1",
		"neighbor 127.0.9.4 announce route 10.0.3.0/24 next-hop 127.0.0.1 med 50",
		"neighbor 127.0.9.7 withdraw route 10.0.1.0/24 next-hop 127.0.0.1 med 10",
	)
	round("round 2: template route withdrawn, ipv6 announced",
		"neighbor 127.0.9.2 withdraw route 10.0.5.0/24 next-hop 127.0.0.1 as-path [ 65000 65100 ] origin egp",
		"neighbor 127.0.9.3 announce route 2001:db8:3::/48 next-hop 2001:db8::1 med 20",
		"neighbor 127.0.9.4 announce route 10.0.0.0/24 next-hop 127.0.0.1",
	)
	round("round 3: a withdrawn template route announced again",
		"neighbor 127.0.9.3 announce route 10.0.0.0/24 next-hop 127.0.0.1",
		"neighbor 127.0.9.7 announce route 10.0.1.0/24 next-hop 127.0.0.1 med 10",
	)
	round("round 4: announce to every neighbor",
		"announce route 10.8.0.0/24 next-hop 127.0.0.1 med 10",
	)
	round("round 5: withdraw a template route from every neighbor",
		"withdraw route 10.0.3.0/24 next-hop 127.0.0.1 med 10",
	)
	h.check(groupsName(t))
}

// TestGroupsAPIClearFlush: `clear adj-rib out` on one neighbor of the
// group, `flush adj-rib out` on another, then an announce to the cleared
// one. The flush is wrapped in BoRR/EoRR although the peer offered no
// enhanced refresh (ExaBGP passes the configured route-refresh), and both
// walk the families in ExaBGP's Python set order (rib/pyset.go).
func TestGroupsAPIClearFlush(t *testing.T) {
	h := groupsStart(t, groupsTemplate("")+groupsAPINeighbors)
	var peers []*gPeer
	for _, a := range []string{"127.0.9.2", "127.0.9.3", "127.0.9.4"} {
		p := h.connect(a, "127.0.0.1", groupsAll)
		peers = append(peers, p)
		h.waitEOR(p)
	}
	for _, p := range peers {
		h.phase(p, "initial UPDATEs")
	}
	round := groupsRounds(t, h, peers)
	round("round 1: clear adj-rib out on .2, flush adj-rib out on .3",
		"neighbor 127.0.9.2 clear adj-rib out",
		"neighbor 127.0.9.3 flush adj-rib out",
	)
	round("round 2: announce again to the cleared neighbor",
		"neighbor 127.0.9.2 announce route 10.0.0.0/24 next-hop 127.0.0.1",
	)
	h.check(groupsName(t))
}
