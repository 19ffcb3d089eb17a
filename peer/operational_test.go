package peer

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"exago/config"
	"exago/wire"
)

// opMessages are the OPERATIONAL messages (type 6) of out.
func opMessages(out []string) []string {
	var o []string
	for _, m := range out {
		if m[36:38] == "06" {
			o = append(o, m)
		}
	}
	return o
}

func opNeighbor() *config.Neighbor {
	n := baseNeighbor()
	n.Capability.Operational = true
	n.Operational = []config.Operational{
		{Kind: "asm", Family: wire.IPv4Unicast, Advisory: "hello"},
		{Kind: "rpcq", Family: wire.IPv4Unicast},
	}
	return n
}

func opCaps() wire.Capabilities {
	c := stdCaps(65000, wire.IPv4Unicast)
	c.Operational = true
	return c
}

// asmHex is ExaBGP's encoding of an ASM for IPv4 unicast.
func asmHex(text string) string {
	b := (&wire.Operational{Type: wire.OpASM, Family: wire.IPv4Unicast, Advisory: []byte(text)}).Append(nil)
	return strings.ToUpper(hex.EncodeToString(b))
}

func TestOperationalConfigured(t *testing.T) {
	h := newHarness(t, opNeighbor(), Options{})
	ops := opMessages(h.establish(65000, opCaps()))
	// the ASM (queued again at session start) then the query, numbered 1
	// and carrying our router-id 10.0.0.2
	if len(ops) != 2 || ops[0] != asmHex("hello") ||
		!strings.HasSuffix(ops[1], "0003000B0001010A00000200000001") {
		t.Fatalf("operational %v", ops)
	}
	// reconnect: only the ASM again
	h.p.OnClosed(h.now, nil)
	h.advance(h.p.backoff.wait(h.now).Sub(h.now))
	h.p.OnConnected(h.now, localAP, remoteAP)
	h.pull()
	h.feed(peerOpen(65000, 180, opCaps()), wire.AppendKeepalive(nil))
	if ops := opMessages(h.pull()); len(ops) != 1 || ops[0] != asmHex("hello") {
		t.Fatalf("after reconnect %v", ops)
	}
}

func TestOperationalNotNegotiated(t *testing.T) {
	h := newHarness(t, opNeighbor(), Options{})
	if ops := opMessages(h.establish(65000, stdCaps(65000, wire.IPv4Unicast))); len(ops) != 0 {
		t.Fatalf("sent without the capability: %v", ops)
	}
	o, err := ParseOperational(strings.Fields(`adm afi ipv4 safi unicast advisory "x"`))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.p.Operational(&o); err != nil {
		t.Fatal(err)
	}
	if ops := opMessages(h.pull()); len(ops) != 0 || len(h.p.ops) != 0 {
		t.Fatalf("sent without the capability: %v", ops)
	}
}

func TestOperationalAPI(t *testing.T) {
	n := baseNeighbor()
	n.Capability.Operational = true
	h := newHarness(t, n, Options{})
	h.establish(65000, opCaps())
	o, err := ParseOperational(strings.Fields(`asm afi ipv4 safi unicast advisory "two words"`))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.p.Operational(&o); err != nil {
		t.Fatal(err)
	}
	q, err := ParseOperational(strings.Fields(`rpcp afi ipv4 safi unicast router-id 1.2.3.4 sequence 7 counter 9`))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.p.Operational(&q); err != nil {
		t.Fatal(err)
	}
	ops := opMessages(h.pull())
	if len(ops) != 2 || ops[0] != asmHex("two words") ||
		!strings.HasSuffix(ops[1], "0004000F000101010203040000000700000009") {
		t.Fatalf("operational %v", ops)
	}
	v6, _ := ParseOperational(strings.Fields(`adm afi ipv6 safi unicast advisory x`))
	if err := h.p.Operational(&v6); !errors.Is(err, ErrFamily) {
		t.Fatalf("family not configured: %v", err)
	}
}

func TestParseOperationalErrors(t *testing.T) {
	for _, line := range []string{
		``,
		`foo afi ipv4 safi unicast`,
		`asm afi ipv4 safi unicast`,
		`rpcq afi ipv4 safi unicast`,
		`rpcq afi ipv4 safi unicast sequence x`,
		`rpcq afi ipv4 safi unicast sequence 1 router-id ::1`,
		`rpcq afi ipv4 safi unicast sequence`,
		`rpcq afi bogus safi unicast sequence 1`,
		`rpcq afi ipv4 safi unicast sequence 1 colour blue`,
	} {
		if _, err := ParseOperational(strings.Fields(line)); !errors.Is(err, ErrOperational) {
			t.Errorf("%q: %v", line, err)
		}
	}
}
