package wire

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestNoFmt keeps wire pure: no I/O, no logging, no fmt (STYLE.md §1).
func TestNoFmt(t *testing.T) {
	banned := map[string]bool{"fmt": true, "log": true, "net": true, "os": true, "github.com/rs/zerolog": true, "io": true}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if banned[p] {
				t.Errorf("%s imports %q: wire must stay pure", f, p)
			}
		}
	}
}
