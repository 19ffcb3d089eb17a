package main

import (
	"os"
	"path/filepath"
	"testing"

	"exago/qa/testpeer"
)

func TestLoadScript(t *testing.T) {
	if _, mode, err := loadScript(nil, false, false, true); err != nil || mode != testpeer.ModeShow {
		t.Fatalf("--show without a script: %v %v", mode, err)
	}
	if _, _, err := loadScript(nil, true, true, false); err == nil {
		t.Fatal("--sink --echo accepted")
	}
	if _, _, err := loadScript(nil, false, false, false); err == nil {
		t.Fatal("no script and no mode accepted")
	}
	path := filepath.Join(t.TempDir(), "t.msg")
	os.WriteFile(path, []byte("option:asn:65000\n1:raw:0017:02:00000000\n"), 0o644)
	s, mode, err := loadScript([]string{path}, false, false, false)
	if err != nil || mode != testpeer.ModeCheck || s.Options.ASN != 65000 || len(s.Sets) != 1 {
		t.Fatalf("script: %+v %v %v", s, mode, err)
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--bogus"}, {"--sink", "--echo"}, {"--show", "--asn", "70000"}, {"/nonexistent.msg"}} {
		if code := run(args); code != 2 {
			t.Errorf("run(%q) = %d, want 2", args, code)
		}
	}
}

func TestDefaultPort(t *testing.T) {
	t.Setenv("exabgp_tcp_port", "1790")
	if p := defaultPort(); p != 1790 {
		t.Fatalf("defaultPort() = %d", p)
	}
}
