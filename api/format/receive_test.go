package format

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// testdata/receive holds what ExaBGP 5.0.13's JSON and Text encoders
// print for a *received* UPDATE (the .hex vectors, decoded with the
// session `exabgp decode -f` negotiates), after reactor/protocol.py's
// handling of an RFC 7606 treat-as-withdraw: every NLRI is then listed as
// withdrawn (with its next hop), where `decode` lists it as announced.
// Produced by running ExaBGP's Response.JSON/Text on ExaBGP's own parse
// of each vector, with the events fixture's envelope and neighbor.
func TestReceiveGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/receive/*.hex")
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatal("no testdata/receive vectors")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".hex")
		t.Run(name, func(t *testing.T) {
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
			want, _ := os.ReadFile(strings.TrimSuffix(f, ".hex") + ".json")
			want = bytes.TrimSuffix(want, []byte("\n"))
			wantText, _ := os.ReadFile(strings.TrimSuffix(f, ".hex") + ".txt")
			enc, txt, nb, _ := eventsFixture()
			nb.Counter = 1
			neg := DecodeSession(fams, addPath)
			got, err := enc.Update(nil, nb, Receive, raw, neg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("json:\n%s", firstDiff(got, want))
			}
			gotText, err := txt.Update(nil, nb, Receive, raw, neg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(gotText, wantText) {
				t.Errorf("text:\n got: %q\nwant: %q", gotText, wantText)
			}
		})
	}
}
