package qa

// Update groups against ExaBGP 5.0.13 (harness: groups_harness_test.go):
// the first UPDATEs of neighbors that inherit one template, and the
// Adj-RIB-Out listing.

import (
	"fmt"
	"strings"
	"testing"
)

// groupsTemplate is the template every case's neighbors inherit: routes
// with several attribute sets in IPv4 and IPv6 unicast, one with next-hop
// self, and a flow route. extra goes inside the template (before static).
func groupsTemplate(extra string) string {
	return `RELAY
template {
  neighbor grp {
    local-as 65000;
    peer-as 65001;
    hold-time 180;
    passive;
    family {
      ipv4 unicast;
      ipv6 unicast;
      ipv4 flow;
    }
    capability {
      route-refresh;
    }
    api {
      processes [ relay ];
    }
` + extra + `    static {
      route 10.0.0.0/24 next-hop 127.0.0.1;
      route 10.0.1.0/24 next-hop 127.0.0.1 med 10;
      route 10.0.2.0/24 next-hop 127.0.0.1 community [ 65000:1 65000:2 ];
      route 10.0.3.0/24 next-hop 127.0.0.1 med 10;
      route 10.0.4.0/24 next-hop self;
      route 10.0.5.0/24 next-hop 127.0.0.1 as-path [ 65000 65100 ] origin egp;
      route 2001:db8::/48 next-hop 2001:db8::1;
      route 2001:db8:1::/48 next-hop 2001:db8::1 med 20;
      route 2001:db8:2::/48 next-hop 2001:db8::1;
    }
    flow {
      route web {
        match {
          destination 10.9.0.0/24;
          protocol tcp;
          destination-port =80;
        }
        then {
          discard;
        }
      }
    }
  }
}
`
}

// groupsAll is the families every emulated peer offers.
var groupsAll = gCaps{families: []gFamily{gIPv4, gIPv6, gIPv4Flow}, refresh: true}

// groupsNeighbors: .2 and .3 plain members, .4 with its own extra routes,
// .5 with another local address and a next-hop self route of its own, .6
// with add-path send, .7 with group-updates false. The local address is
// per neighbor: ExaBGP's inherit lets a template's scalar settings win
// over the neighbor's own (configuration/core/scope.py transfer).
const groupsNeighbors = `
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
    route 10.4.1.0/24 next-hop 127.0.0.1;
  }
}
neighbor 127.0.9.5 {
  inherit grp;
  local-address 127.0.9.10;
  static {
    route 10.5.0.0/24 next-hop self;
  }
}
neighbor 127.0.9.6 {
  inherit grp;
  local-address 127.0.0.1;
  capability {
    add-path send;
  }
  add-path {
    ipv4 unicast;
    ipv6 unicast;
  }
}
neighbor 127.0.9.7 {
  inherit grp;
  local-address 127.0.0.1;
  group-updates false;
}
`

// groupsLocal is the daemon address peer addr talks to.
func groupsLocal(addr string) string {
	if addr == "127.0.9.5" {
		return "127.0.9.10"
	}
	return "127.0.0.1"
}

// TestGroupsInitial: the first UPDATEs each neighbor of the group gets,
// then `show adj-rib out` for the group and per neighbor, then one API
// change to each member that differs from the others.
func TestGroupsInitial(t *testing.T) {
	h := groupsStart(t, groupsTemplate("")+groupsNeighbors)
	var peers []*gPeer
	for i := 2; i <= 7; i++ {
		addr := fmt.Sprintf("127.0.9.%d", i)
		caps := groupsAll
		if i == 6 {
			caps.addPath = true
		}
		p := h.connect(addr, groupsLocal(addr), caps)
		peers = append(peers, p)
		h.waitEOR(p)
	}
	for _, p := range peers {
		h.phase(p, "initial UPDATEs")
	}
	h.command("show adj-rib out", true)
	h.command("show adj-rib out extensive", true)
	for _, p := range peers {
		h.command("show adj-rib out "+p.addr, true)
	}
	// One change to the members that differ (extra routes, next-hop self
	// with another local address, add-path, group-updates false).
	round := groupsRounds(t, h, peers)
	round("one change per odd member",
		"neighbor 127.0.9.4 withdraw route 10.4.0.0/24 next-hop 127.0.0.1 med 10",
		"neighbor 127.0.9.5 announce route 10.5.1.0/24 next-hop self",
		"neighbor 127.0.9.6 announce route 10.0.0.0/24 next-hop 127.0.0.1 med 5",
		"neighbor 127.0.9.7 announce route 10.7.0.0/24 next-hop 127.0.0.1",
	)
	h.command("show adj-rib out extensive", true)
	h.check(groupsName(t))
}

// TestGroupsTemplateWins: ExaBGP's inherit copies the template's scalar
// settings over the neighbor's own (configuration/core/scope.py transfer):
// a neighbor that sets local-address 127.0.9.10 while its template says
// 127.0.0.1 is reached on 127.0.0.1, and its next-hop self is 127.0.0.1.
func TestGroupsTemplateWins(t *testing.T) {
	tmpl := strings.Replace(groupsTemplate(""), "    local-as 65000;\n", "    local-address 127.0.0.1;\n    local-as 65000;\n", 1)
	h := groupsStart(t, tmpl+`
neighbor 127.0.9.2 {
  inherit grp;
}
neighbor 127.0.9.5 {
  inherit grp;
  local-address 127.0.9.10;
  static {
    route 10.5.0.0/24 next-hop self;
  }
}
`)
	both := gCaps{families: []gFamily{gIPv4, gIPv6}, refresh: true}
	for _, a := range []string{"127.0.9.2", "127.0.9.5"} {
		p := h.connect(a, "127.0.0.1", both)
		h.waitEOR(p)
		h.phase(p, "initial UPDATEs")
	}
	h.command("show adj-rib out extensive", true)
	h.check(groupsName(t))
}
