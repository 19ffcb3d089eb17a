package qa

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRatchet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pass.txt")
	r, err := LoadRatchet(path)
	if err != nil || r.Must("reactor conf-ebgp") {
		t.Fatalf("missing file: %v %v", r, err)
	}
	os.WriteFile(path, []byte("# comment\nreactor   conf-ebgp  # trailing\n\nsync conf-ebgp\n"), 0o644)
	if r, err = LoadRatchet(path); err != nil {
		t.Fatal(err)
	}
	if !r.Must("reactor conf-ebgp") || !r.Must("sync conf-ebgp") || r.Must("sync conf-flow") {
		t.Fatalf("keys: %v", r.keys)
	}
	if u := r.Unknown(map[string]bool{"reactor conf-ebgp": true}); len(u) != 1 || u[0] != "sync conf-ebgp" {
		t.Fatalf("unknown: %v", u)
	}
	if err := r.Append([]string{"sync conf-flow"}); err != nil {
		t.Fatal(err)
	}
	if r, err = LoadRatchet(path); err != nil || !r.Must("sync conf-flow") {
		t.Fatalf("after append: %v %v", r.keys, err)
	}
	os.WriteFile(path, []byte("a b\na  b\n"), 0o644)
	if _, err := LoadRatchet(path); err == nil || !strings.Contains(err.Error(), ":2:") {
		t.Fatalf("duplicate not reported with its line: %v", err)
	}
}

// TestRatchetFiles checks the committed ratchet files parse.
func TestRatchetFiles(t *testing.T) {
	for _, f := range []string{"encoding_pass.txt", "interop_pass.txt"} {
		if _, err := LoadRatchet(f); err != nil {
			t.Error(err)
		}
	}
}
