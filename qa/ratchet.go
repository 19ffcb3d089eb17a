package qa

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Ratchet is the set of end-to-end tests that must pass, read from a file
// with one key a line ("reactor conf-ebgp", "bird ipv4-md5"); blank lines
// and text after '#' are ignored, runs of spaces count as one.
type Ratchet struct {
	Path string
	keys map[string]bool
}

// LoadRatchet reads the ratchet file at path. A missing file is an empty
// ratchet.
func LoadRatchet(path string) (*Ratchet, error) {
	r := &Ratchet{Path: path, keys: map[string]bool{}}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return r, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return r, r.read(f)
}

func (r *Ratchet) read(in io.Reader) error {
	sc := bufio.NewScanner(in)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		key := strings.Join(strings.Fields(line), " ")
		if key == "" {
			continue
		}
		if r.keys[key] {
			return fmt.Errorf("%s:%d: %q listed twice", r.Path, n, key)
		}
		r.keys[key] = true
	}
	return sc.Err()
}

// Must reports whether the test named key is listed, and so must pass.
func (r *Ratchet) Must(key string) bool { return r.keys[key] }

// Unknown returns the listed keys not in known, so a typo or a removed
// test does not silently stop guarding anything.
func (r *Ratchet) Unknown(known map[string]bool) []string {
	var out []string
	for k := range r.keys {
		if !known[k] {
			out = append(out, k)
		}
	}
	return out
}

// Append adds keys to the ratchet file, one a line, and to r.
func (r *Ratchet) Append(keys []string) error {
	if len(keys) == 0 {
		return nil
	}
	f, err := os.OpenFile(r.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	for _, k := range keys {
		r.keys[k] = true
		fmt.Fprintln(f, k)
	}
	return f.Close()
}
