package format

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"exago/wire"
)

// FuzzUpdate feeds arbitrary UPDATE bodies to the JSON and text renderers:
// they must return an event or an error, never panic. Seeded from the
// golden vectors.
func FuzzUpdate(f *testing.F) {
	files, _ := filepath.Glob("testdata/update/*.hex")
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		lines := strings.SplitN(string(src), "\n", 3)
		if raw, err := ParsePayload(lines[1]); err == nil && len(raw) > 19 && raw[18] == wire.TypeUpdate {
			f.Add(raw[19:], false)
		}
	}
	enc := &Encoder{Host: "fuzz"}
	enc40 := &Encoder{Host: "fuzz", Dialect: Dialect40}
	txt := &Text{}
	nb := DecodeNeighbor()
	f.Fuzz(func(t *testing.T, body []byte, addPath bool) {
		if len(body) > 65000 {
			return
		}
		msg := wire.AppendMessage(nil, wire.TypeUpdate, body)
		neg := DecodeSession(nil, addPath)
		out, err := enc.Update(nil, &nb, Receive, msg, neg)
		if err == nil {
			if ok, diff := sameJSON(t, out, out); !ok {
				t.Fatalf("invalid JSON: %s", diff)
			}
		}
		if out, err := enc40.Update(nil, &nb, Receive, msg, neg); err == nil {
			if ok, diff := sameJSON(t, out, out); !ok {
				t.Fatalf("invalid 4.2 JSON: %s", diff)
			}
		}
		_, _ = txt.Update(nil, &nb, Receive, msg, neg)
		_, _ = NLRI(nil, wire.IPv4MPLS, body, addPath)
		_, _ = NLRI(nil, wire.IPv6VPN, body, addPath)
	})
}

// FuzzOpen does the same for OPEN bodies.
func FuzzOpen(f *testing.F) {
	raw, _ := os.ReadFile("testdata/update/open-full.hex")
	if b, err := ParsePayload(strings.SplitN(string(raw), "\n", 3)[1]); err == nil {
		f.Add(b[19:])
	}
	enc := &Encoder{Host: "fuzz"}
	nb := DecodeNeighbor()
	f.Fuzz(func(t *testing.T, body []byte) {
		o, err := wire.DecodeOpen(body)
		if err != nil {
			return
		}
		out := enc.Open(nil, &nb, Receive, &o, nil)
		if ok, diff := sameJSON(t, out, out); !ok {
			t.Fatalf("invalid JSON: %s", diff)
		}
		_ = (&Text{}).Open(nil, &nb, Receive, &o, nil)
		_ = enc.Open(nil, &nb, Send, &o, nil)
	})
}
