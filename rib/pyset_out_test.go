package rib

import (
	"net/netip"
	"slices"
	"testing"

	"exago/wire"
)

// setOrderFamilies is a neighbor's families (AFI then SAFI order, as
// ExaBGP sorts them) whose Python set order differs: python3 prints
// list(set([(1,1),(1,133),(2,1)])) as [(1, 1), (2, 1), (1, 133)], and
// the set rebuilt from that one (resend's _refresh_families) as
// [(1, 133), (1, 1), (2, 1)].
var setOrderFamilies = []wire.Family{wire.IPv4Unicast, wire.IPv4Flow, wire.IPv6Unicast}

func setOrderRoutes(t *testing.T, o *Out) {
	t.Helper()
	flow, err := wire.NewFlow(wire.IPv4Flow, wire.RD{}, []wire.FlowMatch{
		{Type: wire.FlowDestination, Prefix: netip.MustParsePrefix("10.9.0.0/24")}})
	if err != nil {
		t.Fatal(err)
	}
	// announced in AFI/SAFI order, one attribute set per family
	o.Announce(inet("10.0.0.0/24"), nh4, &wire.Attributes{}, false)
	o.Announce(flow, netip.Addr{}, &wire.Attributes{MED: 5, HasMED: true}, false)
	o.Announce(inet("2001:db8::/48"), nh6, &wire.Attributes{MED: 6, HasMED: true}, false)
}

// batchFamilies lists the family of each item of b ("BoRR ..."/"EoRR ..."
// for the markers).
func batchFamilies(b *Batch) []string {
	var l []string
	for {
		it, ok := b.Next()
		if !ok {
			return l
		}
		switch {
		case it.Refresh != nil && it.Refresh.Subtype == wire.RefreshBegin:
			l = append(l, "BoRR "+it.Refresh.Family.String())
		case it.Refresh != nil:
			l = append(l, "EoRR "+it.Refresh.Family.String())
		default:
			w := ""
			if it.Routes[0].Withdraw {
				w = "withdraw "
			}
			l = append(l, w+it.Routes[0].Key.Family.String())
		}
	}
}

// TestSetOrder: the re-send on a new session (replace_restart), `flush
// adj-rib out` (resend) and `clear adj-rib out` (withdraw) walk the
// families in ExaBGP's set order, the markers in that of the set resend
// rebuilds (testdata/groups/APIClearFlush.golden and ReconnectFlow.golden
// in qa, recorded from ExaBGP 5.0.13).
func TestSetOrder(t *testing.T) {
	v4, v6, fl := wire.IPv4Unicast.String(), wire.IPv6Unicast.String(), wire.IPv4Flow.String()
	plain := func() *Out {
		o := NewOut(setOrderFamilies, true)
		setOrderRoutes(t, o)
		return o
	}
	base := NewBase(setOrderFamilies, true, func(o *Out) { setOrderRoutes(t, o) })
	for name, mk := range map[string]func() *Out{"plain": plain, "base": func() *Out { return NewOutBase(base) }} {
		o := mk()
		if got, want := batchFamilies(o.Take(true)), []string{v4, fl, v6}; !slices.Equal(got, want) {
			t.Errorf("%s: first dump %v, want %v", name, got, want)
		}
		o.Reset()
		o.Restart()
		if got, want := batchFamilies(o.Take(true)), []string{v4, v6, fl}; !slices.Equal(got, want) {
			t.Errorf("%s: restart %v, want %v", name, got, want)
		}
		o.Resend(true, nil)
		want := []string{"BoRR " + fl, "BoRR " + v4, "BoRR " + v6, v4, v6, fl, "EoRR " + fl, "EoRR " + v4, "EoRR " + v6}
		if got := batchFamilies(o.Take(true)); !slices.Equal(got, want) {
			t.Errorf("%s: resend %v, want %v", name, got, want)
		}
		o.WithdrawAll(nil)
		if got, want := batchFamilies(o.Take(true)), []string{"withdraw " + v4, "withdraw " + v6, "withdraw " + fl}; !slices.Equal(got, want) {
			t.Errorf("%s: withdraw all %v, want %v", name, got, want)
		}
	}
}
