package rib

import (
	"slices"
	"testing"

	"exago/wire"
)

// TestPreparedSameAsAnnounce: routes prepared once and given to several
// Outs (sharing one Route each) leave every Out exactly as Announce and
// Withdraw would: same UPDATEs, in the same order, through re-queues in
// place, moves between attribute sets, withdrawals, a Take in the middle,
// a session reset and the restart from the cache.
func TestPreparedSameAsAnnounce(t *testing.T) {
	a1 := &wire.Attributes{HasMED: true, MED: 1}
	a2 := &wire.Attributes{HasMED: true, MED: 2}
	type op struct {
		prefix   string
		a        *wire.Attributes
		withdraw bool
	}
	first := []op{{"10.0.0.0/24", a1, false}, {"10.0.1.0/24", a1, false}, {"10.0.2.0/24", a2, false},
		{"10.0.0.0/24", a2, false}, {"10.0.1.0/24", a1, true}, {"10.0.0.0/24", a1, false}, {"10.0.3.0/24", a1, false}}
	second := []op{{"10.0.2.0/24", a1, false}, {"10.0.3.0/24", a1, true}, {"10.0.4.0/24", a2, false}}
	fams := []wire.Family{wire.IPv4Unicast}
	plain := NewOut(fams, true)
	shared := []*Out{NewOut(fams, true), NewOut(fams, true), NewOut(fams, true)}
	t1 := NewAttrTable()
	apply := func(ops []op) {
		for _, o := range ops {
			n := inet(o.prefix)
			p := Prepare(t1, n, nh4, o.a)
			if o.withdraw {
				plain.Withdraw(n, nh4, o.a)
			} else {
				plain.Announce(n, nh4, o.a, false)
			}
			for _, s := range shared {
				if o.withdraw {
					s.WithdrawPrepared(&p)
				} else {
					s.AnnouncePrepared(&p, false)
				}
			}
		}
	}
	take := func(o *Out) []string {
		return encodeAll(t, o.Take(true), &Encoder{Neg: ibgp(fams...), IncludeWithdraw: true})
	}
	check := func(step string) {
		want := take(plain)
		for i, s := range shared {
			if got := take(s); !slices.Equal(got, want) {
				t.Fatalf("%s: Out %d sent\n%v\nwant\n%v", step, i, got, want)
			}
		}
	}
	apply(first)
	check("first batch")
	apply(second)
	check("second batch")
	plain.Reset()
	plain.Restart()
	for _, s := range shared {
		s.Reset()
		s.Restart()
	}
	check("restart")
}
