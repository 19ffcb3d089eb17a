package wire

import (
	"errors"
	"strings"
	"testing"
)

const marker = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"

// TestMalformedMessages checks RFC 4271 §6.1 header errors.
func TestMalformedMessages(t *testing.T) {
	tests := []struct {
		name      string
		hex       string
		code, sub uint8
		data      string
	}{
		{"bad marker", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00:0013:04", 1, 1, ""},
		{"length below 19", marker + ":0012:04", 1, 2, "0012"},
		{"length above 4096", marker + ":1001:02", 1, 2, "1001"},
		{"keepalive with a body", marker + ":0014:04:00", 1, 2, "0014"},
		{"open too short", marker + ":001C:01", 1, 2, "001C"},
		{"update too short", marker + ":0016:02", 1, 2, "0016"},
		{"notification too short", marker + ":0014:03:06", 1, 2, "0014"},
		{"route-refresh wrong length", marker + ":0018:05:0001000100", 1, 2, "0018"},
		{"unknown type", marker + ":0013:FF", 1, 3, "FF"},
		{"type zero", marker + ":0013:00", 1, 3, "00"},
	}
	for _, tt := range tests {
		_, _, err := Frame(unhex(t, tt.hex), MaxSize)
		checkNotify(t, tt.name, err, tt.code, tt.sub, Reset)
		var ne *NotifyError
		if errors.As(err, &ne) && tohex(ne.Data) != tt.data {
			t.Errorf("%s: data %s, want %s", tt.name, tohex(ne.Data), tt.data)
		}
	}
	// A short stream is not an error: more bytes are needed.
	if m, n, err := Frame(unhex(t, marker+":0017:02:0000"), MaxSize); m != nil || n != 0 || err != nil {
		t.Errorf("partial: %v %d %v", m, n, err)
	}
	// Extended messages accept up to 65535.
	big := AppendMessage(nil, TypeUpdate, make([]byte, 5000))
	if _, n, err := Frame(big, MaxSizeExtMsg); err != nil || n != len(big) {
		t.Errorf("extended: %v", err)
	}
}

func checkNotify(t *testing.T, name string, err error, code, sub uint8, h Handling) {
	t.Helper()
	var ne *NotifyError
	if !errors.As(err, &ne) {
		t.Errorf("%s: error %v, want %d/%d", name, err, code, sub)
		return
	}
	if ne.Code != code || ne.Subcode != sub || ne.Action != h {
		t.Errorf("%s: got %d/%d action %d, want %d/%d action %d (%v)", name, ne.Code, ne.Subcode, ne.Action, code, sub, h, ne)
	}
}

// TestMalformedAttributes checks the RFC 7606 action per attribute.
func TestMalformedAttributes(t *testing.T) {
	tests := []struct {
		name      string
		hex       string
		code, sub uint8
		h         Handling
		discarded uint8
	}{
		{"attribute length overrun", "40010500", 3, 1, TreatAsWithdraw, 0},
		{"attribute header truncated", "4001", 3, 1, TreatAsWithdraw, 0},
		{"origin bad value", "40010103", 3, 6, TreatAsWithdraw, 0},
		{"origin bad length", "4001020000", 3, 5, TreatAsWithdraw, 0},
		{"origin bad flags", "C0010100", 3, 4, TreatAsWithdraw, 0},
		{"origin zero length", "400100", 3, 5, TreatAsWithdraw, 0},
		{"as-path bad segment type", "4002040501FFFF", 3, 11, TreatAsWithdraw, 0},
		{"as-path segment overrun", "400204020200FF", 3, 11, TreatAsWithdraw, 0},
		{"next-hop bad length", "400303010203", 3, 5, TreatAsWithdraw, 0},
		{"med bad length", "8004020001", 3, 5, TreatAsWithdraw, 0},
		{"local-pref bad flags", "800504000000FF", 3, 4, TreatAsWithdraw, 0},
		{"large community bad length", "C0200400000001", 3, 5, TreatAsWithdraw, 0},
		{"community bad length", "C00803000001", 3, 5, TreatAsWithdraw, 0},
		{"atomic-aggregate with a value", "40060100", 0, 0, AttrDiscard, AttrAtomicAggregate},
		{"aggregator bad length", "C00703000001", 0, 0, AttrDiscard, AttrAggregator},
		{"aggregator bad flags", "400708000000010A000001", 0, 0, AttrDiscard, AttrAggregator},
		{"duplicate mp_reach", "800E050001010000" + "800E050001010000", 3, 1, Reset, 0},
		{"mp_reach bad flags", "400E050001010000", 3, 4, Reset, 0},
	}
	for _, tt := range tests {
		var u UpdateAttrs
		err := DecodeAttributes(unhex(t, tt.hex), decodeSession(), &u)
		switch tt.h {
		case Reset:
			checkNotify(t, tt.name, err, tt.code, tt.sub, Reset)
		case TreatAsWithdraw:
			if err != nil || u.Withdraw == nil {
				t.Errorf("%s: err %v withdraw %v", tt.name, err, u.Withdraw)
				continue
			}
			checkNotify(t, tt.name, u.Withdraw, tt.code, tt.sub, TreatAsWithdraw)
		case AttrDiscard:
			if err != nil || u.Withdraw != nil || len(u.Discarded) != 1 || u.Discarded[0] != tt.discarded {
				t.Errorf("%s: err %v withdraw %v discarded %v", tt.name, err, u.Withdraw, u.Discarded)
			}
		}
	}
}

// TestDuplicateAttribute keeps the first of a repeated attribute (RFC 7606
// §3(g)).
func TestDuplicateAttribute(t *testing.T) {
	var u UpdateAttrs
	if err := DecodeAttributes(unhex(t, "4001010040010102"), nil, &u); err != nil || u.Origin != OriginIGP || u.Withdraw != nil {
		t.Errorf("%v %d %v", err, u.Origin, u.Withdraw)
	}
}

// TestUnknownAttribute passes an unknown transitive attribute on with the
// Partial bit and drops an unknown non-transitive one.
func TestUnknownAttribute(t *testing.T) {
	var u UpdateAttrs
	if err := DecodeAttributes(unhex(t, "C0990201028063020304"), nil, &u); err != nil {
		t.Fatal(err)
	}
	if len(u.Other) != 1 || u.Other[0].Flags != 0xE0 || u.Other[0].Code != 0x99 || AttrName(0x99, 0xE0) != "attribute-0x99-0xE0" {
		t.Errorf("%+v", u.Other)
	}
}

func TestMalformedUpdate(t *testing.T) {
	tests := []struct {
		name string
		hex  string
		sub  uint8
	}{
		{"withdrawn length overrun", "00050000", 1},
		{"attribute length overrun", "00000009400101", 1},
		{"body too short", "000000", 1},
	}
	for _, tt := range tests {
		_, err := DecodeUpdate(unhex(t, tt.hex))
		checkNotify(t, tt.name, err, 3, tt.sub, Reset)
	}
	for _, tt := range []struct{ name, hex string }{
		{"prefix length 33", "210A000000"},
		{"prefix overrun", "180A00"},
	} {
		it := Prefixes(unhex(t, tt.hex), AFIIPv4, false)
		for it.Next() {
		}
		checkNotify(t, tt.name, it.Err(), 3, 10, Reset)
	}
	if _, _, err := DecodeNLRI(IPv6Unicast, unhex(t, "81"), false); err == nil {
		t.Error("IPv6 /129 accepted")
	}
	if _, _, err := DecodeNLRI(Family{AFIIPv4, 99}, unhex(t, "00"), false); err == nil {
		t.Error("unknown family accepted")
	}
}

func TestMalformedOpen(t *testing.T) {
	tests := []struct {
		name      string
		hex       string
		code, sub uint8
	}{
		{"version 3", "03FFFD00B40A00000200", 2, 1},
		{"truncated parameter", "04FFFD00B40A000002030201", 2, 0},
		{"auth parameter", "04FFFD00B40A00000202" + "0100", 2, 5},
		{"unknown parameter", "04FFFD00B40A00000202" + "0300", 2, 0},
		{"asn4 wrong length", "04FFFD00B40A00000205" + "0203410100", 2, 0},
		{"body too short", "04FFFD00B40A", 1, 2},
		{"params overrun", "04FFFD00B40A0000020A0206", 2, 0},
	}
	for _, tt := range tests {
		_, err := DecodeOpen(unhex(t, tt.hex))
		checkNotify(t, tt.name, err, tt.code, tt.sub, Reset)
	}
}

func TestNotification(t *testing.T) {
	b := AppendNotification(nil, CodeCease, SubcodeAdminReset, "Administrative Reset")
	if got := tohex(b); got != marker+"002A03060414"+tohex([]byte("Administrative Reset")) {
		t.Error(got)
	}
	m, _, err := Frame(b, MaxSize)
	if err != nil {
		t.Fatal(err)
	}
	n := DecodeNotification(m.Body())
	if s, ok := n.Shutdown(); !ok || s != "Administrative Reset" {
		t.Errorf("shutdown %q %v", s, ok)
	}
	if got := n.String(); got != `Cease / Administrative Reset / Shutdown Communication: "Administrative Reset"` {
		t.Error(got)
	}
	if got := tohex(m.Body()[:3]); got != "060414" {
		t.Error(got)
	}
	n = DecodeNotification(unhex(t, "0602FF41"))
	if got := string(n.AppendText(nil)); got != "invalid Shutdown Communication (buffer underrun) length : 255 [0x41]" {
		t.Error(got)
	}
	n = DecodeNotification(unhex(t, "0403"))
	if got := n.String(); got != "Hold timer expired / unknow reason" {
		t.Error(got)
	}
	b = AppendNotification(nil, CodeCease, SubcodePeerDeconfigured, "")
	if got := string(Message(b).Body()[2:]); got != "Peer De-configured" {
		t.Error(got)
	}
	long := strings.Repeat("é", 200) // 400 octets: cut to 254, not inside a rune
	b = AppendNotification(nil, CodeCease, SubcodeAdminShutdown, long)
	if n := DecodeNotification(Message(b).Body()); n.Data[0] != 254 {
		t.Errorf("shutdown communication length %d", n.Data[0])
	} else if s, ok := n.Shutdown(); ok || s != "" {
		t.Errorf("over 128 octets must not be accepted as ExaBGP: %q", s) // RFC 8203 limit on receipt
	}
	r, err := DecodeRouteRefresh(unhex(t, "00020201"))
	if err != nil || r.Family != IPv6Unicast || r.SubtypeName() != "end" {
		t.Errorf("%+v %v", r, err)
	}
	if got := tohex(r.Append(nil)); got != marker+"00170500020201" {
		t.Error(got)
	}
	_, err = DecodeRouteRefresh(unhex(t, "00010301"))
	checkNotify(t, "refresh subtype", err, 7, 2, Reset)
	if got := tohex(AppendKeepalive(nil)); got != marker+"001304" {
		t.Error(got)
	}
}
