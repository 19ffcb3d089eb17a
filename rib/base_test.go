package rib

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"exago/wire"
)

var (
	baseFams = []wire.Family{wire.IPv4Unicast, wire.IPv6Unicast}
	attrA    = &wire.Attributes{HasMED: true, MED: 1}
	attrB    = &wire.Attributes{Communities: []uint32{2, 1}}
	attrC    = &wire.Attributes{HasLocalPref: true, LocalPref: 300}
)

// baseRoutes is a configured route list exercising ExaBGP's pending-set
// corners: attribute sets interleaved, families interleaved, an NLRI
// configured twice with other attributes, and twice with the same.
func baseRoutes(o *Out) {
	o.Announce(inet("10.0.0.0/24"), nh4, attrA, false)
	o.Announce(inet("2001:db8:1::/48"), nh6, attrA, false)
	o.Announce(inet("10.0.1.0/24"), nh4, attrB, false)
	o.Announce(inet("10.0.2.0/24"), nh4, attrA, false)
	o.Announce(inet("10.0.0.0/24"), nh4, attrB, false) // again, other attributes
	o.Announce(inet("2001:db8:2::/48"), nh6, attrB, false)
	o.Announce(inet("10.0.3.0/24"), nh4, attrA, false)
	o.Announce(inet("10.0.3.0/24"), nh4, attrA, false) // again, same attributes
	for i := 0; i < 40; i++ {
		o.Announce(inet(fmt.Sprintf("10.1.%d.0/24", i)), nh4, attrC, false)
	}
}

// session is a peer's use of its Out: connect re-queues the cache, send
// takes and encodes batches (the first without withdrawals), as peer does.
type session struct {
	o       *Out
	neg     *wire.Negotiated
	dumped  bool
	grouped bool
}

func (s *session) connect(neg *wire.Negotiated) {
	s.o.Reset()
	s.o.Restart()
	s.neg, s.dumped = neg, false
}

func (s *session) send(t *testing.T) []byte {
	var out []byte
	for s.o.Pending() {
		b := s.o.Take(s.grouped)
		e := &Encoder{Neg: s.neg, IncludeWithdraw: s.dumped}
		if b.Shared() {
			for {
				msg, err, ok := b.NextMessage(e)
				if !ok {
					break
				}
				if err != nil {
					out = append(out, "error"...)
				}
				out = append(out, msg...)
			}
		} else {
			for {
				it, ok := b.Next()
				if !ok {
					break
				}
				var err error
				out, _, err = e.Append(out, it)
				if err != nil {
					out = append(out, "error"...)
				}
			}
		}
		s.dumped = true
	}
	return out
}

// cached is `show adj-rib out`: the cache in order, attributes compared by
// value (the two Outs intern in different tables).
func cached(o *Out) string {
	var b strings.Builder
	o.Cached(nil, func(r *Route) {
		fmt.Fprintf(&b, "%v %x %v %v %+v\n", r.Key.Family, r.Key.NLRI, r.Withdraw, r.NextHop(), r.Attrs.Attributes)
	})
	return b.String()
}

type step func(t *testing.T, s *session) []byte

func connect(neg *wire.Negotiated) step {
	return func(t *testing.T, s *session) []byte { s.connect(neg); return s.send(t) }
}

func op(f func(o *Out)) step {
	return func(t *testing.T, s *session) []byte { f(s.o); return s.send(t) }
}

// quiet applies f without sending (changes queued together).
func quiet(f func(o *Out)) step {
	return func(t *testing.T, s *session) []byte { f(s.o); return nil }
}

func addPath(n *wire.Negotiated) *wire.Negotiated {
	c := *n
	c.AddPath = map[wire.Family]uint8{wire.IPv4Unicast: wire.AddPathSend, wire.IPv6Unicast: wire.AddPathSend}
	return &c
}

// TestBaseMatchesPlain: an Out sharing a Base and an Out that announced
// the same routes one by one give byte-identical UPDATE streams and the
// same `show adj-rib out`, whatever the peer does; a second peer of the
// same base, untouched, still gets the base's stream.
func TestBaseMatchesPlain(t *testing.T) {
	neg := ibgp(baseFams...)
	newRoute := func(o *Out) { o.Announce(inet("10.9.0.0/24"), nh4, attrB, false) }
	reannounce := func(o *Out) { o.Announce(inet("10.0.2.0/24"), nh4, attrC, false) }
	withdraw := func(o *Out) { o.Withdraw(inet("10.0.1.0/24"), nh4, attrB) }
	remove := func(o *Out) { o.Remove(inet("10.1.5.0/24"), nh4, attrC) }
	readd := func(o *Out) { o.Announce(inet("10.1.5.0/24"), nh4, attrC, false) }
	clearOut := func(o *Out) { o.WithdrawAll(nil) }
	resend := func(o *Out) { o.Resend(true, nil) }
	flush := func(o *Out) { o.Seal(); o.Resend(false, nil) }
	v6 := wire.IPv6Unicast
	resend6 := func(o *Out) { o.Resend(false, &v6) }
	cases := []struct {
		name  string
		cache bool
		steps []step
	}{
		{"untouched", true, []step{connect(neg)}},
		{"untouched twice", true, []step{connect(neg), connect(neg), connect(neg)}},
		{"no cache", false, []step{connect(neg), connect(neg)}},
		{"announce before session", true, []step{quiet(newRoute), connect(neg)}},
		{"announce after dump", true, []step{connect(neg), op(newRoute), connect(neg)}},
		{"reannounce other attrs", true, []step{quiet(reannounce), connect(neg), op(reannounce), connect(neg)}},
		{"withdraw base route", true, []step{quiet(withdraw), connect(neg), op(withdraw), connect(neg)}},
		{"withdraw after dump", true, []step{connect(neg), op(withdraw), op(withdraw), connect(neg)}},
		{"delete then re-add", true, []step{quiet(remove), quiet(readd), connect(neg), op(remove), op(readd), connect(neg)}},
		{"delete then re-add no cache", false, []step{quiet(remove), quiet(readd), connect(neg)}},
		{"clear adj-rib out", true, []step{connect(neg), op(clearOut), connect(neg)}},
		{"clear before session", true, []step{quiet(clearOut), connect(neg)}},
		{"resend", true, []step{connect(neg), op(resend), op(resend6), connect(neg)}},
		{"flush with pending", true, []step{connect(neg), quiet(newRoute), op(flush)}},
		{"flush untouched", true, []step{quiet(flush), connect(neg)}},
		{"restart after reconnect", true, []step{connect(neg), connect(neg), op(newRoute), connect(neg)}},
		{"families not negotiated", true, []step{connect(ibgp(wire.IPv6Unicast)), connect(ibgp(wire.IPv4Unicast)), connect(ibgp())}},
		{"add-path", true, []step{connect(addPath(neg)), op(newRoute), connect(neg)}},
		{"small messages", true, []step{connect(&wire.Negotiated{MaxSize: 100, LocalAS: 1, PeerAS: 2, Families: baseFams})}},
		{"too small messages", true, []step{connect(&wire.Negotiated{MaxSize: 60, LocalAS: 1, PeerAS: 2, Families: baseFams})}},
		{"set families", true, []step{quiet(func(o *Out) { o.SetFamilies([]wire.Family{wire.IPv4Unicast}) }), connect(neg)}},
	}
	for _, c := range cases {
		for _, grouped := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/grouped=%v", c.name, grouped), func(t *testing.T) {
				plain := &session{o: NewOut(baseFams, c.cache), grouped: grouped}
				baseRoutes(plain.o)
				b := NewBase(baseFams, c.cache, baseRoutes)
				shared := &session{o: NewOutBase(b), grouped: grouped}
				other := &session{o: NewOutBase(b), grouped: grouped}
				for i, st := range c.steps {
					want, got := st(t, plain), st(t, shared)
					if !bytes.Equal(want, got) {
						t.Fatalf("step %d: UPDATEs differ\nplain  %x\nshared %x", i, want, got)
					}
					if w, g := cached(plain.o), cached(shared.o); w != g {
						t.Fatalf("step %d: cache differs\nplain\n%sshared\n%s", i, w, g)
					}
					if w, g := plain.o.Len(), shared.o.Len(); w != g {
						t.Fatalf("step %d: Len %d, want %d", i, g, w)
					}
				}
				ref := &session{o: NewOut(baseFams, c.cache), grouped: grouped}
				baseRoutes(ref.o)
				ref.connect(neg)
				other.connect(neg)
				if want, got := ref.send(t), other.send(t); !bytes.Equal(want, got) {
					t.Fatalf("untouched peer of the same base: UPDATEs differ\nplain  %x\nshared %x", want, got)
				}
				if w, g := cached(ref.o), cached(other.o); w != g {
					t.Fatalf("untouched peer: cache differs")
				}
			})
		}
	}
}

// TestBaseSharedEncoding: peers of one encoding context read the same
// bytes (encoded once); another context (add-path) gets its own.
func TestBaseSharedEncoding(t *testing.T) {
	b := NewBase(baseFams, true, baseRoutes)
	neg := ibgp(baseFams...)
	first := func(n *wire.Negotiated) []byte {
		o := NewOutBase(b)
		o.Restart()
		bt := o.Take(true)
		if !bt.Shared() {
			t.Fatal("untouched base batch not shared")
		}
		msg, _, _ := bt.NextMessage(&Encoder{Neg: n})
		return msg
	}
	m1, m2 := first(neg), first(ibgp(baseFams...))
	if &m1[0] != &m2[0] {
		t.Error("same context encoded twice")
	}
	if m3 := first(addPath(neg)); &m3[0] == &m1[0] || bytes.Equal(m3, m1) {
		t.Error("add-path peer shares the plain encoding")
	}
	if len(b.initial.streams) != 2 {
		t.Errorf("%d streams, want 2", len(b.initial.streams))
	}
}

// TestBasesRegistry: the same route list gets the same base, other
// families another.
func TestBasesRegistry(t *testing.T) {
	s := NewBases()
	id := new(int)
	add := func(o *Out) bool { baseRoutes(o); return true }
	b1 := s.Get(id, 3, baseFams, true, add)
	if b2 := s.Get(id, 3, baseFams, true, add); b1 != b2 {
		t.Error("same list, two bases")
	}
	if b3 := s.Get(id, 3, baseFams[:1], true, add); b3 == b1 || b3 == nil {
		t.Error("other families, same base")
	}
	calls := 0
	no := func(o *Out) bool { calls++; return false }
	if s.Get(id, 4, baseFams, true, no) != nil || s.Get(id, 4, baseFams, true, no) != nil || calls != 1 {
		t.Errorf("not shareable: %d calls", calls)
	}
}

// BenchmarkBasePeer is the cost of one more peer sharing a base: creating
// its Out, the session's Restart and reading the shared UPDATEs. Its
// allocations do not depend on the number of routes.
func BenchmarkBasePeer(b *testing.B) {
	for _, routes := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("routes=%d", routes), func(b *testing.B) {
			base := NewBase([]wire.Family{wire.IPv4Unicast}, true, func(o *Out) {
				for i := 0; i < routes; i++ {
					a := netip.AddrFrom4([4]byte{10 + byte(i>>16), byte(i >> 8), byte(i), 0})
					o.Announce(&wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, 24)}, nh4, attrA, false)
				}
			})
			neg := ibgp(wire.IPv4Unicast)
			warm := NewOutBase(base)
			warm.Restart()
			drainShared(warm.Take(true), neg) // the one encoding every peer shares
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; n++ {
				o := NewOutBase(base)
				o.Restart()
				drainShared(o.Take(true), neg)
			}
		})
	}
}

func drainShared(bt *Batch, neg *wire.Negotiated) int {
	e := &Encoder{Neg: neg}
	n := 0
	for {
		msg, _, ok := bt.NextMessage(e)
		if !ok {
			return n
		}
		n += len(msg)
	}
}
