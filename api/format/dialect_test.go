package format

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"exago/wire"
)

// testdata/dialect40 holds what ExaBGP 4.2.25's JSON encoder printed for
// our vectors: update/NAME.json is testdata/update/NAME.hex decoded by 4.2
// (its check_update path with every family, the envelope fixed to time
// 1700000000.25, host "host", pid 100, ppid 1), events/NAME.json the
// events of TestEventsGolden. Vectors whose 4.2 result is a parsing
// difference rather than a JSON shape one have no file: extcomm-more
// (4.2 recurses forever on an unknown extended community),
// flow-vpn-short-rd (4.2 raises on a short flow-vpn RD), taw-med-length
// (4.2 has no RFC 7606 treat-as-withdraw).

// dialect40NotYet lists the 4.2 vectors whose shapes are not rendered yet.
var dialect40NotYet = map[string]bool{}

func TestGoldenDialect40(t *testing.T) {
	files, _ := filepath.Glob("testdata/dialect40/update/*.json")
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no testdata/dialect40/update vectors")
	}
	pass := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want = bytes.TrimSpace(want)
		src, err := os.ReadFile("testdata/update/" + name + ".hex")
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(src), "\n", 3)
		fams, addPath := decodeArgsOf(lines[0])
		raw, err := ParsePayload(lines[1])
		if err != nil {
			t.Fatal(err)
		}
		nb := DecodeNeighbor()
		enc := &Encoder{Dialect: Dialect40, Host: "host", PID: 100, PPID: 1}
		got, err := enc.DecodePayload(nil, &nb, raw, DecodeSession(fams, addPath))
		ok := err == nil && bytes.Equal(tail(got), tail(want))
		switch {
		case ok && dialect40NotYet[name]:
			t.Errorf("%s now passes: remove it from dialect40NotYet", name)
		case ok:
			pass++
		case dialect40NotYet[name]:
			t.Logf("not yet: %s", name)
		case err != nil:
			t.Errorf("%s: %v", name, err)
		default:
			t.Errorf("%s:\n%s", name, firstDiff(tail(got), tail(want)))
		}
	}
	t.Logf("%d/%d ExaBGP 4.2 vectors pass", pass, len(files))
}

// TestEventsDialect40 renders the events of TestEventsGolden in the 4.2
// dialect. 4.2 quotes the afi/safi/name strings of refresh and
// operational events twice (`"afi": ""ipv6""`, not JSON); we print them
// once, so the golden is compared with `""x""` read as `"x"`. Its add-path
// send list is empty: 4.2 raises on a non-empty one.
func TestEventsDialect40(t *testing.T) {
	enc, _, nb, neg := eventsFixture()
	enc.Dialect = Dialect40
	neg.AddPath = map[wire.Family]uint8{wire.IPv4Unicast: wire.AddPathReceive, wire.IPv6Unicast: wire.AddPathReceive}
	ka := wire.AppendKeepalive(nil)
	rrMsg := wire.RouteRefresh{Family: wire.IPv4Unicast, Subtype: wire.RefreshRequest}.Append(nil)
	notif := wire.Notification{Code: 6, Subcode: 3, Data: []byte("Peer De-configured")}
	rr := wire.RouteRefresh{Family: wire.IPv6Unicast, Subtype: wire.RefreshBegin}
	adv := &Operational{Kind: OperationalAdvisory, Name: "ASM", Family: wire.IPv4Unicast, Advisory: "hello world"}
	cnt := &Operational{Kind: OperationalCounter, Name: "RPCP", Family: wire.IPv4Unicast, RouterID: "1.2.3.4", Sequence: 7, Counter: 42}
	cons := *enc
	cons.Consolidate = true
	cases := map[string]func([]byte) []byte{
		"connected":             func(b []byte) []byte { return enc.Connected(b, nb) },
		"up":                    func(b []byte) []byte { return enc.Up(b, nb) },
		"down":                  func(b []byte) []byte { return enc.Down(b, nb, "notification sent (3,1) [x] {y}") },
		"fsm":                   func(b []byte) []byte { return enc.FSM(b, nb, "ESTABLISHED") },
		"signal":                func(b []byte) []byte { return enc.Signal(b, nb, 10, "SIGUSR1") },
		"shutdown":              func(b []byte) []byte { return enc.Shutdown(b) },
		"keepalive":             func(b []byte) []byte { return enc.Keepalive(b, nb, Send, nil) },
		"keepalive-consolidate": func(b []byte) []byte { return cons.Keepalive(b, nb, Receive, ka) },
		"notification":          func(b []byte) []byte { return enc.Notification(b, nb, Send, notif, nil) },
		"refresh":               func(b []byte) []byte { return enc.Refresh(b, nb, Receive, rr, nil) },
		"negotiated":            func(b []byte) []byte { return enc.NegotiatedEvent(b, nb, neg) },
		"packets":               func(b []byte) []byte { return enc.Packets(b, nb, Receive, ka, nil) },
		"packets-negotiated":    func(b []byte) []byte { return enc.Packets(b, nb, Send, rrMsg, neg) },
		"operational-advisory":  func(b []byte) []byte { return enc.OperationalEvent(b, nb, Receive, adv, nil) },
		"operational-counter":   func(b []byte) []byte { return enc.OperationalEvent(b, nb, Send, cnt, nil) },
	}
	doubled := regexp.MustCompile(`""([^"]*)""`)
	for name, fn := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := os.ReadFile("testdata/dialect40/events/" + name + ".json")
			if err != nil {
				t.Fatal(err)
			}
			want = doubled.ReplaceAll(bytes.TrimSuffix(want, []byte("\n")), []byte(`"$1"`))
			nb.Counter = 0
			if m := counterRE.FindSubmatch(want); m != nil {
				nb.Counter, _ = strconv.ParseUint(string(m[1]), 10, 64)
			}
			got := fn(nil)
			if !bytes.Equal(got, want) {
				t.Errorf("json:\n%s", firstDiff(got, want))
			}
			if ok, diff := sameJSON(t, got, want); !ok {
				t.Errorf("parsed json: %s", diff)
			}
		})
	}
}

// TestOpenSentDialect40: the OPEN of TestOpenSentGolden without the
// capabilities 4.2 does not have (hostname, software version), as 4.2's
// encoder prints it (testdata/dialect40/events/open-sent.json).
func TestOpenSentDialect40(t *testing.T) {
	enc, _, nb, _ := eventsFixture()
	enc.Dialect = Dialect40
	nb.Counter = 1
	caps := wire.Capabilities{
		Families: []wire.Family{wire.IPv4Unicast, wire.IPv6Unicast}, HasASN4: true, ASN4: 65000,
		HasAddPath: true, AddPath: []wire.AddPathFamily{{Family: wire.IPv4Unicast, Mode: wire.AddPathBoth}},
		HasGracefulRestart: true, GracefulRestart: wire.GracefulRestart{Time: 120, Families: []wire.GRFamily{
			{Family: wire.IPv4Unicast, Flags: 0x80}, {Family: wire.IPv6Unicast, Flags: 0x80}}},
		RouteRefresh: true, EnhancedRefresh: true, Operational: true, ExtendedMessage: true,
		MultiSession: true, MultiSessionCodes: []uint8{wire.CapMultiprotocol},
	}
	o := wire.NewOpen(65000, 180, netip.MustParseAddr("10.0.0.1"), caps)
	want, _ := os.ReadFile("testdata/dialect40/events/open-sent.json")
	want = bytes.TrimSuffix(want, []byte("\n"))
	if got := enc.Open(nil, nb, Send, &o, nil); !bytes.Equal(got, want) {
		t.Errorf("json:\n%s", firstDiff(got, want))
	}
}

func TestParseDialect(t *testing.T) {
	for s, want := range map[string]Dialect{"": Dialect50, "5.0.0": Dialect50, "5": Dialect50, "4.0.1": Dialect40, "4.2": Dialect40, " 4 ": Dialect40} {
		if d, err := ParseDialect(s); err != nil || d != want {
			t.Errorf("ParseDialect(%q) = %v, %v", s, d, err)
		}
	}
	if _, err := ParseDialect("3.4"); err == nil || !strings.Contains(err.Error(), `"3.4"`) {
		t.Errorf("3.4: %v", err)
	}
}

// TestCompactDialect40: api.compact in the 4.2 dialect (4.2's output for
// the compact-off vector with exabgp.api.compact set).
func TestCompactDialect40(t *testing.T) {
	src, _ := os.ReadFile("testdata/update/compact-off.hex")
	lines := strings.SplitN(string(src), "\n", 3)
	fams, _ := decodeArgsOf(lines[0])
	raw, err := ParsePayload(lines[1])
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("testdata/dialect40/compact-on.json")
	nb := DecodeNeighbor()
	enc := &Encoder{Dialect: Dialect40, Host: "host", Compact: true}
	got, err := enc.DecodePayload(nil, &nb, raw, DecodeSession(fams, false))
	if err != nil {
		t.Fatal(err)
	}
	if g, w := tail(got), tail(bytes.TrimSpace(want)); !bytes.Equal(g, w) {
		t.Errorf("%s", firstDiff(g, w))
	}
}
