package config

import (
	"testing"
)

// TestTemplateRoutesShared: neighbors inheriting one template's routes
// share one read-only slice (update groups); a neighbor with routes of its
// own, or whose `next-hop self` resolves to its own address, gets a copy
// and the others are unaffected.
func TestTemplateRoutesShared(t *testing.T) {
	cfg, err := LoadText("s.conf", `
template {
	neighbor g {
		local-as 1;
		peer-as 2;
		router-id 9.9.9.9;
		family { ipv4 unicast; }
		static {
			route 10.0.0.0/8 next-hop 1.1.1.1;
			route 10.1.0.0/16 next-hop 1.1.1.1;
		}
	}
	neighbor self {
		local-as 1;
		peer-as 2;
		router-id 9.9.9.9;
		static { route 10.2.0.0/16 next-hop self; }
	}
}
neighbor 10.0.0.1 { inherit g; local-address 10.0.0.101; }
neighbor 10.0.0.2 { inherit g; local-address 10.0.0.102; }
neighbor 10.0.0.3 { local-address 10.0.0.103; static { route 10.3.0.0/16 next-hop 3.3.3.3; } inherit g; }
neighbor 10.0.0.4 { inherit self; local-address 10.0.0.104; }
neighbor 10.0.0.5 { inherit self; local-address 10.0.0.105; }
`, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := cfg.Neighbors
	if &n[0].Routes[0] != &n[1].Routes[0] || len(n[0].Routes) != 2 {
		t.Error("template routes copied per neighbor")
	}
	if len(n[2].Routes) != 3 || &n[2].Routes[1] == &n[0].Routes[0] || len(n[0].Routes) != 2 {
		t.Errorf("own routes: %d, shared %d", len(n[2].Routes), len(n[0].Routes))
	}
	if a, b := n[3].Routes[0].NextHop.String(), n[4].Routes[0].NextHop.String(); a != "10.0.0.104" || b != "10.0.0.105" {
		t.Errorf("next-hop self resolved to %s and %s", a, b)
	}
}
