package qa

// Update groups against ExaBGP 5.0.13 (harness: groups_harness_test.go):
// members whose sessions encode the same routes differently (iBGP and
// eBGP, two- and four-octet AS, add-path, fewer families), with a table
// large enough to need several UPDATEs per attribute set.

import (
	"fmt"
	"strings"
	"testing"
)

// groupsMixedTemplate is groupsTemplate without peer-as (ExaBGP's inherit
// would let the template's win over the neighbor's) and with 1100 more
// IPv4 routes sharing one attribute set and 20 IPv6 routes.
func groupsMixedTemplate() string {
	var b strings.Builder
	b.WriteString("    static {\n")
	for i := range 1100 {
		fmt.Fprintf(&b, "      route 10.%d.%d.0/24 next-hop 127.0.0.1 med 1;\n", 100+i/256, i%256)
	}
	for i := range 20 {
		fmt.Fprintf(&b, "      route 2001:db8:100:%x::/64 next-hop 2001:db8::1 med 1;\n", i)
	}
	b.WriteString("    }\n")
	s := groupsTemplate(b.String())
	if !strings.Contains(s, "    peer-as 65001;\n") {
		panic("groupsMixedTemplate: no peer-as in the template")
	}
	return strings.Replace(s, "    peer-as 65001;\n", "", 1)
}

// groupsMixedNeighbors: .2 eBGP, .3 iBGP, .4 eBGP (its peer without the
// four-octet AS capability), .5 eBGP (its peer offers IPv4 unicast only),
// .6 eBGP with add-path send for IPv4 unicast.
const groupsMixedNeighbors = `
neighbor 127.0.9.2 {
  inherit grp;
  local-address 127.0.0.1;
  peer-as 65001;
}
neighbor 127.0.9.3 {
  inherit grp;
  local-address 127.0.0.1;
  peer-as 65000;
}
neighbor 127.0.9.4 {
  inherit grp;
  local-address 127.0.0.1;
  peer-as 65001;
}
neighbor 127.0.9.5 {
  inherit grp;
  local-address 127.0.0.1;
  peer-as 65001;
}
neighbor 127.0.9.6 {
  inherit grp;
  local-address 127.0.0.1;
  peer-as 65001;
  capability {
    add-path send;
  }
  add-path {
    ipv4 unicast;
  }
}
`

// TestGroupsMixed: the first UPDATEs of members with different encodings;
// then two members reconnect with the four-octet AS capability toggled;
// then one API change on the iBGP member.
func TestGroupsMixed(t *testing.T) {
	h := groupsStart(t, groupsMixedTemplate()+groupsMixedNeighbors)
	both := []gFamily{gIPv4, gIPv6}
	caps := map[string]gCaps{
		"127.0.9.2": {families: both, refresh: true},
		"127.0.9.3": {families: both, refresh: true, as: 65000},
		"127.0.9.4": {families: both, refresh: true, noASN4: true},
		"127.0.9.5": {families: []gFamily{gIPv4}, refresh: true},
		"127.0.9.6": {families: both, refresh: true, addPath: true},
	}
	addrs := []string{"127.0.9.2", "127.0.9.3", "127.0.9.4", "127.0.9.5", "127.0.9.6"}
	peers := map[string]*gPeer{}
	for _, a := range addrs {
		p := h.connect(a, "127.0.0.1", caps[a])
		peers[a] = p
		h.waitEOR(p)
		h.phase(p, "initial UPDATEs")
	}
	// .2 comes back without four-octet AS, .4 with it.
	for _, a := range []string{"127.0.9.2", "127.0.9.4"} {
		h.disconnect(peers[a])
		h.phase(peers[a], "until the disconnection")
		c := caps[a]
		c.noASN4 = !c.noASN4
		p := h.connect(a, "127.0.0.1", c)
		peers[a] = p
		h.waitEOR(p)
		h.phase(p, "after reconnecting, four-octet AS toggled")
	}
	h.command("neighbor 127.0.9.3 announce route 10.0.0.0/24 next-hop 127.0.0.1 med 3", true)
	for _, a := range addrs {
		h.sentinel(peers[a])
		h.phase(peers[a], "API change to .3")
	}
	h.check(groupsName(t))
}
