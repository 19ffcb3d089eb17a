package wire

import (
	"net/netip"
	"reflect"
	"testing"
)

func TestOperational(t *testing.T) {
	for _, o := range []Operational{
		{Type: OpASM, Family: IPv4Unicast, Advisory: []byte("hello")},
		{Type: OpRPCQ, Family: IPv6Unicast, RouterID: netip.MustParseAddr("1.2.3.4"), Sequence: 7},
		{Type: OpLPCP, Family: IPv4VPN, RouterID: netip.MustParseAddr("1.2.3.4"), Sequence: 7, Counter: 99},
	} {
		raw := o.Append(nil)
		m, _, err := Frame(raw, MaxSize)
		if err != nil {
			t.Fatal(err)
		}
		d, ok, err := DecodeOperational(m.Body())
		if err != nil || !ok || !reflect.DeepEqual(d, o) {
			t.Errorf("%s: got %+v %v %v", OperationalName(o.Type), d, ok, err)
		}
	}
	if got := tohex((&Operational{Type: OpASM, Family: IPv4Unicast, Advisory: []byte("x")}).Append(nil)); got != marker+"001B06000200040001017"+"8" {
		t.Error(got)
	}
	if _, _, err := DecodeOperational([]byte{0, 3, 0, 3, 0, 1, 1}); err == nil {
		t.Error("short query accepted")
	}
	if _, ok, err := DecodeOperational([]byte{0, 0x0b, 0, 0}); ok || err != nil {
		t.Error("unknown type not ignored")
	}
	if ty, ok := OperationalType("rpcq"); !ok || ty != OpRPCQ {
		t.Error(ty, ok)
	}
}
