package testpeer

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseScriptGroups(t *testing.T) {
	src := `# comment line
option:asn:65000
option:tcp_connections:3
option:open:send-unknown-capability

2:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000
1:raw:0017:02:00000000 # ignored: holds a hash
1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001B:02:0004180200000000
B1:raw:ffffffffffffffffffffffffffffffff:0017:02:00000000
A2:signal:sigusr1
A3:notification:Closing Session
`
	s, err := ParseScript(strings.NewReader(src), "t.msg")
	if err != nil {
		t.Fatal(err)
	}
	if s.Options.ASN != 65000 || s.Options.TCPConnections != 3 || !s.Options.UnknownCapability || s.Options.Connections() != 3 {
		t.Fatalf("options: %+v", s.Options)
	}
	// "1","2" are connection 'A' (upper case); "A3:notification" keeps its
	// case; the other lettered rules are lower-cased: A1 A2 A3 a2 b1.
	want := [][]string{
		{"raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001B:02:0004180200000000"},
		{"raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000"},
		{"notification:closing session"},
		{"signal:SIGUSR1"},
		{"raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000"},
	}
	if len(s.Sets) != len(want) {
		t.Fatalf("got %d sets, want %d: %+v", len(s.Sets), len(want), s.Sets)
	}
	for i, set := range s.Sets {
		for j, r := range set {
			if r.String() != want[i][j] {
				t.Errorf("set %d rule %d = %q, want %q", i, j, r.String(), want[i][j])
			}
		}
	}
}

func TestParseScriptErrors(t *testing.T) {
	for _, src := range []string{
		"1:raw:XYZ\n",
		"1:bogus:00\n",
		"x:raw:00\n",
		"option:asn:70000\n",
		"option:whatever\n",
		"justtext\n",
	} {
		_, err := ParseScript(strings.NewReader(src), "bad.msg")
		if err == nil || !strings.Contains(err.Error(), "bad.msg:1:") {
			t.Errorf("%q: error %v does not name the line", src, err)
		}
	}
}

// daemonOpen is an OPEN as ExaBGP sends it: AS 65533, router-id 10.0.0.2,
// each capability in its own parameter, ASN4 first.
func daemonOpen() []byte {
	body := []byte{4, 0xFF, 0xFD, 0, 180, 10, 0, 0, 2, 0}
	params := []byte{
		2, 6, 65, 4, 0, 0, 0xFF, 0xFD,
		2, 6, 1, 4, 0, 1, 0, 1,
	}
	body[9] = byte(len(params))
	body = append(body, params...)
	return append(header(nil, typeOpen, len(body)), body...)
}

func TestOpenReply(t *testing.T) {
	open := daemonOpen()
	got, err := OpenReply(open, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	if got[19+8] != 3 || !bytes.Equal(got[:19+8], open[:19+8]) || !bytes.Equal(got[19+9:], open[19+9:]) {
		t.Fatalf("router-id not incremented alone: %X", got)
	}
	got, err = OpenReply(open, 65000, true)
	if err != nil {
		t.Fatal(err)
	}
	d := Describe(got)
	for _, w := range []string{"asn 65000", "router-id 10.0.0.2", "asn4 65000", "capability-66 6C6F72656D697073756D", "multiprotocol ipv4 unicast"} {
		if !strings.Contains(d, w) {
			t.Errorf("reply %q lacks %q", d, w)
		}
	}
	if int(got[16])<<8|int(got[17]) != len(got) || int(got[28]) != len(got)-29 {
		t.Errorf("lengths not patched: %X", got)
	}
	if _, err := OpenReply(Keepalive(), 0, false); err == nil {
		t.Error("OpenReply accepted a KEEPALIVE")
	}
}

func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		msg  []byte
		want string
	}{
		{Keepalive(), "KEEPALIVE"},
		{DefaultRoute(), "UPDATE attributes [origin igp, as-path [], next-hop 127.0.0.1, local-preference 100] announce [0.0.0.0/32]"},
		{Cease("bye"), `NOTIFICATION 6/0 data 627965 "bye"`},
		{mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000201"), "UPDATE End-of-RIB ipv6 unicast"},
		{mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180200000000"), "UPDATE withdraw [2.0.0.0/24]"},
		{[]byte{1, 2}, "truncated message 0102"},
	} {
		if got := Describe(c.msg); got != c.want {
			t.Errorf("Describe(%X) = %q, want %q", c.msg, got, c.want)
		}
	}
}

func mustHex(h string) []byte {
	r := Rule{Hex: h, Full: true}
	return r.bytes()
}

func TestDescribeJSON(t *testing.T) {
	got := DescribeJSON(DefaultRoute())
	if !strings.HasPrefix(got, `{ "update"`) || !strings.Contains(got, `"nlri": "0.0.0.0/32"`) {
		t.Errorf("DescribeJSON(default route) = %s", got)
	}
	if got := DescribeJSON([]byte{1, 2, 3}); !strings.HasPrefix(got, "(exabgp decode fails") {
		t.Errorf("DescribeJSON(garbage) = %s", got)
	}
}
