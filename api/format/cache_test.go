package format

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"exago/wire"
)

// TestCacheSameBytes: an Encoder with a Cache renders the same lines as
// one without, as neighbor, direction, dialect and host change between
// lines.
func TestCacheSameBytes(t *testing.T) {
	now := func() time.Time { return time.Unix(1700000000, 123456789) }
	plain := Encoder{Host: "h", PID: 1, PPID: 2, Now: now}
	cached := plain
	cached.Cache = &Cache{}
	msg := benchUpdate(t)
	neg := &wire.Negotiated{ASN4: true}
	nb1 := benchNeighbor()
	nb2 := *nb1
	nb2.PeerAddr, nb2.PeerAS, nb2.RouterID = netip.MustParseAddr("::1"), 4200000000, netip.Addr{}
	steps := []func(){
		func() {},
		func() { nb1.Counter++ },
		func() { cached.Dialect, plain.Dialect = Dialect40, Dialect40 },
		func() { cached.Host, plain.Host = "other\"host", "other\"host" },
		func() { cached.PID, plain.PID = 77, 77 },
		func() { cached.Dialect, plain.Dialect = Dialect50, Dialect50 },
	}
	for i, step := range steps {
		step()
		for _, nb := range []*Neighbor{nb1, &nb2, nb1} {
			for _, dir := range []Direction{Receive, Send, Receive} {
				want, err := plain.Update(nil, nb, dir, msg, neg)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := cached.Update(nil, nb, dir, msg, neg)
				if string(got) != string(want) {
					t.Fatalf("step %d: cached\n%s\nwant\n%s", i, got, want)
				}
				if got, want := cached.Up(nil, nb), plain.Up(nil, nb); string(got) != string(want) {
					t.Fatalf("step %d: cached\n%s\nwant\n%s", i, got, want)
				}
			}
		}
	}
}

// TestCacheGolden: every UPDATE of testdata/update renders the same with
// a Cache as without, whether its attribute section is new, seen once
// (stored) or seen again (copied), in both directions and dialects.
func TestCacheGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/update/*.hex")
	if len(files) == 0 {
		t.Fatal("no testdata/update vectors")
	}
	now := func() time.Time { return time.Unix(1700000000, 5) }
	nb := DecodeNeighbor()
	for _, d := range []Dialect{Dialect50, Dialect40} {
		plain := Encoder{Host: "h", PID: 1, PPID: 1, Now: now, Dialect: d}
		cached := plain
		cached.Cache = &Cache{}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitN(string(src), "\n", 3)
			fams, addPath := decodeArgsOf(lines[0])
			raw, err := ParsePayload(lines[1])
			if err != nil {
				t.Fatal(err)
			}
			msg := raw
			if !hasMarker(raw) {
				msg = wire.AppendMessage(nil, wire.TypeUpdate, raw)
			}
			neg := DecodeSession(fams, addPath)
			for _, dir := range []Direction{Receive, Send, In} {
				for i := 0; i < 3; i++ {
					want, werr := plain.Update(nil, &nb, dir, msg, neg)
					got, gerr := cached.Update(nil, &nb, dir, msg, neg)
					if string(got) != string(want) || (werr == nil) != (gerr == nil) {
						t.Fatalf("%s %s %s #%d: cached %s (%v)\nwant %s (%v)", f, d.Version(), dir, i, got, gerr, want, werr)
					}
				}
			}
		}
	}
}

// TestCacheTime: the cached "time" is appendFloatTime's as the seconds
// go by, in and out of the fast range.
func TestCacheTime(t *testing.T) {
	c := &Cache{}
	var got, want []byte
	for _, sec := range []float64{1700000000.25, 1700000000.5, 1700000001, 1700000001.125, 1.5, 1700000001.75,
		1<<31 - 0.5, 1 << 31, 1<<30 + 0.5, 1 << 30, 1<<30 - 0.5} {
		got, want = c.time(got[:0], sec), appendFloatTime(want[:0], sec)
		if string(got) != string(want) {
			t.Errorf("%v: %s, want %s", sec, got, want)
		}
	}
}
