package qa

// Update groups against ExaBGP 5.0.13 (harness: groups_harness_test.go):
// a SIGUSR1 reload that changes the routes of the template the group
// inherits.

import (
	"strings"
	"testing"
)

// groupsReloadNeighbors: .2 and .3 plain members (.3 changed through the
// API before the reload), .4 with routes of its own, .7 with
// group-updates false, .8 a member whose first session starts after the
// reload.
const groupsReloadNeighbors = `
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
  static {
    route 10.4.0.0/24 next-hop 127.0.0.1 med 10;
  }
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

// groupsReloadedTemplate is groupsTemplate with 10.0.2.0/24 given other
// attributes and 10.0.6.0/24 added, and when remove 10.0.1.0/24 and
// 2001:db8:2::/48 removed and the flow route replaced.
func groupsReloadedTemplate(remove bool) string {
	s := groupsTemplate("")
	if remove {
		s = strings.Replace(s, "      route 10.0.1.0/24 next-hop 127.0.0.1 med 10;\n", "", 1)
		s = strings.Replace(s, "      route 2001:db8:2::/48 next-hop 2001:db8::1;\n", "", 1)
		// another flow NLRI: the old one is removed
		s = strings.Replace(s, "destination-port =80;", "destination-port =443;", 1)
	}
	for _, r := range [][2]string{
		{"route 10.0.2.0/24 next-hop 127.0.0.1 community [ 65000:1 65000:2 ];", "route 10.0.2.0/24 next-hop 127.0.0.1 med 77;"},
		{"      route 10.0.5.0/24", "      route 10.0.6.0/24 next-hop 127.0.0.1 med 10;\n      route 10.0.5.0/24"},
	} {
		if !strings.Contains(s, r[0]) {
			panic("groupsReloadedTemplate: no " + r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	return s
}

// TestGroupsReload: the template's routes change (one changed, one added)
// under SIGUSR1 while every member is up; then the members' sessions drop
// and come back (what is re-sent after the reload).
func TestGroupsReload(t *testing.T) { groupsReload(t, false) }

// TestGroupsReloadRemove is TestGroupsReload where the reload also removes
// two routes of the template.
func TestGroupsReloadRemove(t *testing.T) {
	groupsKnownDefect(t, `deliberate deviation (peer/reload.go Reconfigure): on a SIGUSR1 reload that removes `+
		`template routes, ExaGo withdraws them at once while ExaBGP 5.0.13 (a bug) sends no withdrawal, keeps `+
		`listing them in show adj-rib out, and on the next session sends two empty UPDATEs (0017 02 0000 0000) `+
		`among the re-sent routes; see testdata/groups/ReloadRemove.golden`)
	groupsReload(t, true)
}

func groupsReload(t *testing.T, remove bool) {
	h := groupsStart(t, groupsTemplate("")+groupsReloadNeighbors)
	caps := gCaps{families: []gFamily{gIPv4, gIPv6}, refresh: true}
	addrs := []string{"127.0.9.2", "127.0.9.3", "127.0.9.4", "127.0.9.7"}
	peers := map[string]*gPeer{}
	for _, a := range addrs {
		p := h.connect(a, "127.0.0.1", caps)
		peers[a] = p
		h.waitEOR(p)
		h.phase(p, "initial UPDATEs")
	}
	h.command("neighbor 127.0.9.3 announce route 10.3.0.0/24 next-hop 127.0.0.1", true)
	h.sentinel(peers["127.0.9.3"])
	h.phase(peers["127.0.9.3"], "API change")

	h.reload(groupsReloadedTemplate(remove) + groupsReloadNeighbors)
	for _, a := range addrs {
		h.sentinel(peers[a])
		h.phase(peers[a], "after the reload")
	}
	h.command("show adj-rib out", true)
	late := h.connect("127.0.9.8", "127.0.0.1", caps)
	h.waitEOR(late)
	h.phase(late, "first session, after the reload")

	for _, a := range addrs {
		h.disconnect(peers[a])
		h.phase(peers[a], "until the disconnection")
		p := h.connect(a, "127.0.0.1", caps)
		peers[a] = p
		h.waitEOR(p)
		h.phase(p, "after reconnecting")
	}
	h.check(groupsName(t))
}
