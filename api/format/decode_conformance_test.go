package format

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"exago/wire"
)

// decodingNotYet lists the $EXAGO_QA_DIR/decoding vectors whose family
// renderers are not finished. The test logs them; it FAILS when one of
// them passes (remove it from the list) and for any failing vector not
// listed.
var decodingNotYet = map[string]string{}

// volatileKeys change from run to run and are dropped before comparing.
var volatileKeys = []string{"exabgp", "time", "host", "pid", "ppid", "counter", "version"}

// decodeVector runs one vector file through the decode code path and
// returns our output and the expected JSON line.
func decodeVector(path string) (got, want []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	lines := strings.SplitN(string(data), "\n", 4)
	if len(lines) < 3 {
		return nil, nil, &PayloadError{Reason: "vector file has fewer than 3 lines"}
	}
	words := strings.Fields(lines[0])
	raw, err := ParsePayload(lines[1])
	if err != nil {
		return nil, []byte(lines[2]), err
	}
	var fams []wire.Family
	if len(words) == 3 {
		afi, _ := wire.ParseAFI(words[1])
		safi, _ := wire.ParseSAFI(words[2])
		fams = []wire.Family{{AFI: afi, SAFI: safi}}
	}
	nb := DecodeNeighbor()
	enc := &Encoder{Host: "test", PID: 1, PPID: 1}
	if words[0] == "nlri" {
		got, err = NLRI(nil, fams[0], raw, false)
	} else {
		got, err = enc.DecodePayload(nil, &nb, raw, DecodeSession(fams, false))
	}
	return got, []byte(lines[2]), err
}

// normalise parses a JSON line and drops the volatile envelope keys.
func normalise(t testing.TB, line []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(line))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if m, ok := v.(map[string]any); ok {
		for _, k := range volatileKeys {
			delete(m, k)
		}
	}
	return v, nil
}

// sameJSON compares a vector's output with its expectation.
func sameJSON(t testing.TB, got, want []byte) (bool, string) {
	g, err := normalise(t, got)
	if err != nil {
		return false, "our output is not JSON: " + err.Error() + "\n" + string(got)
	}
	w, err := normalise(t, want)
	if err != nil {
		return false, "expected line is not JSON: " + err.Error()
	}
	if reflect.DeepEqual(g, w) {
		return true, ""
	}
	return false, "got:  " + string(got) + "\nwant: " + string(want)
}

func TestDecodingConformance(t *testing.T) {
	dir := os.Getenv("EXAGO_QA_DIR")
	if dir == "" {
		t.Skip("EXAGO_QA_DIR is not set (the Makefile sets it to ../shared/exabgp-5.0-qa): no ExaBGP conformance data")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "decoding", "*"))
	if len(files) == 0 {
		t.Skipf("no decoding vectors in %s/decoding", dir)
	}
	sort.Strings(files)
	pass := 0
	for _, f := range files {
		name := filepath.Base(f)
		got, want, err := decodeVector(f)
		ok, diff := false, ""
		if err != nil {
			diff = "decode error: " + err.Error()
		} else {
			ok, diff = sameJSON(t, got, want)
		}
		why, listed := decodingNotYet[name]
		switch {
		case ok && listed:
			t.Errorf("%s now passes: remove it from decodingNotYet", name)
		case ok:
			pass++
		case listed:
			t.Logf("not yet: %s (%s)", name, why)
		default:
			t.Errorf("%s: %s", name, diff)
		}
	}
	t.Logf("%d/%d decoding vectors pass, %d listed as not yet", pass, len(files), len(decodingNotYet))
}

// TestDecodingExtra runs another directory of vectors in the same format
// (e.g. ExaBGP's full qa/decoding) and only reports: set
// EXAGO_DECODING_EXTRA to use it.
func TestDecodingExtra(t *testing.T) {
	dir := os.Getenv("EXAGO_DECODING_EXTRA")
	if dir == "" {
		t.Skip("EXAGO_DECODING_EXTRA is not set")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(files)
	pass := 0
	for _, f := range files {
		got, want, err := decodeVector(f)
		if err != nil {
			t.Logf("FAIL %s: %v", filepath.Base(f), err)
			continue
		}
		if ok, diff := sameJSON(t, got, want); !ok {
			t.Logf("FAIL %s:\n%s", filepath.Base(f), diff)
			continue
		}
		pass++
		t.Logf("ok   %s", filepath.Base(f))
	}
	t.Logf("%d/%d pass", pass, len(files))
}
