package wire

import (
	"net/netip"
	"reflect"
	"testing"
)

// Regression tests, one per bug found (mostly by the fuzzers).

// A first label of value 0 with traffic-class bits set (raw 0x000002) was
// not taken as the end of the stack, so the stack re-encoded differently.
func TestIssueLabelZeroWithTC(t *testing.T) {
	b := []byte{0x30, 0x00, 0x00, 0x02, 0x30, 0x30, 0x31}
	n, used, err := DecodeNLRI(IPv4MPLS, b, false)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := DecodeNLRI(IPv4MPLS, n.AppendNLRI(nil, false), false)
	if err != nil || !reflect.DeepEqual(n, m) || used != len(b) {
		t.Errorf("round trip: %+v %+v %v", n, m, err)
	}
}

// The attribute decoder state escaped to the heap through the table's
// indirect calls: one allocation per UPDATE.
func TestIssueDecoderEscapes(t *testing.T) {
	b, n := sampleUpdate(t, 1)
	var ua UpdateAttrs
	if a := testing.AllocsPerRun(50, func() { decodeAll(b, n, &ua) }); a != 0 {
		t.Errorf("%v allocations", a)
	}
}

// The eBGP default AS_PATH was built in arrays that escaped: two
// allocations per UpdateBuilder.Append.
func TestIssueDefaultASPathEscapes(t *testing.T) {
	u := UpdateBuilder{Family: IPv4Unicast, NextHop: sampleNH, Announce: []NLRI{prefixNLRI(IPv4Unicast, "10.0.0.0/24")}}
	n := negotiated(65000, 65001)
	buf := make([]byte, 0, 4096)
	if a := testing.AllocsPerRun(50, func() { u.Append(buf[:0], n) }); a != 0 {
		t.Errorf("%v allocations", a)
	}
	out, _ := u.Append(nil, n)
	// ORIGIN IGP, AS_PATH [65000], NEXT_HOP, no LOCAL_PREF on eBGP.
	if got := tohex(out); got != marker+"002F02000000144001010040020602010000FDE8400304C0000201180A0000" {
		t.Error(got)
	}
}

func TestCheckPrefix(t *testing.T) {
	if CheckPrefix(netip.MustParsePrefix("10.0.0.0/24")) != nil || CheckPrefix(netip.MustParsePrefix("10.0.0.1/24")) == nil ||
		CheckPrefix(netip.MustParsePrefix("2001:db8::1/64")) == nil || CheckPrefix(netip.Prefix{}) == nil {
		t.Error("CheckPrefix")
	}
	e := &NotifyError{Code: 3, Subcode: 1, Data: []byte{1}}
	if n := e.Notification(); n.Code != 3 || n.Subcode != 1 || len(n.Data) != 1 {
		t.Error(n)
	}
}
