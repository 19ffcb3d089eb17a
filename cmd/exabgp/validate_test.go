package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateConformance runs `exabgp validate -nrv` on every ExaBGP
// example configuration: each must exit 0.
func TestValidateConformance(t *testing.T) {
	dir := os.Getenv("EXAGO_QA_DIR")
	if dir == "" {
		t.Skip("EXAGO_QA_DIR is not set: the ExaBGP conformance data (../shared/exabgp-5.0-qa) is needed")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "conf", "*.conf"))
	if len(files) == 0 {
		t.Skipf("no configuration in %s/conf", dir)
	}
	t.Setenv("EXABGP_ENVFILE", filepath.Join(t.TempDir(), "none.env"))
	for _, f := range files {
		var out, errb bytes.Buffer
		if rc := validateMain([]string{"-nrv", f}, &out, &errb); rc != 0 {
			t.Errorf("validate -nrv %s: exit %d: %s", filepath.Base(f), rc, errb.String())
		}
	}
}

func TestValidateErrors(t *testing.T) {
	t.Setenv("EXABGP_ENVFILE", filepath.Join(t.TempDir(), "none.env"))
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.conf")
	os.WriteFile(bad, []byte("neighbor 127.0.0.1 {\n local-as 1;\n peer-as 1;\n local-address 127.0.0.1;\n bogus;\n}\n"), 0o644)
	cases := []struct {
		args []string
		rc   int
		want string
	}{
		{nil, 2, "the following arguments are required: configuration"},
		{[]string{"-x", bad}, 2, "unrecognized arguments: -x"},
		{[]string{filepath.Join(dir, "absent.conf")}, 1, "absent.conf is not an exabgp config file (file not found)"},
		{[]string{bad}, 1, "bad.conf is not a valid config file: " + bad + ":5:2: unknown neighbor keyword \"bogus\""},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		rc := validateMain(c.args, &out, &errb)
		if rc != c.rc || !strings.Contains(errb.String(), c.want) {
			t.Errorf("validate %v: exit %d, stderr %q; want exit %d and %q", c.args, rc, errb.String(), c.rc, c.want)
		}
	}
	t.Setenv("exabgp_tcp_port", "port")
	var out, errb bytes.Buffer
	if rc := validateMain([]string{bad}, &out, &errb); rc != 1 || !strings.Contains(errb.String(), "exabgp.tcp.port") {
		t.Errorf("bad environment value: exit %d %q", rc, errb.String())
	}
}

func TestEnvCommand(t *testing.T) {
	t.Setenv("EXABGP_ENVFILE", filepath.Join(t.TempDir(), "none.env"))
	t.Setenv("exabgp_tcp_port", "1790")
	var out, errb bytes.Buffer
	if rc := envMain(nil, &out, &errb); rc != 0 || !strings.HasPrefix(out.String(), "\n[exabgp.api]\nack = true\n") || !strings.Contains(out.String(), "\n[exabgp.tcp]\nacl = false\nattempts = 0\nbind = ''\ndelay = 0\nonce = false\nport = 1790\n") {
		t.Errorf("env: %d %q", rc, out.String())
	}
	out.Reset()
	if rc := envMain([]string{"-d", "-e"}, &out, &errb); rc != 0 || out.String() != "exabgp.tcp.port=1790\n" {
		t.Errorf("env -d -e: %d %q", rc, out.String())
	}
	if rc := envMain([]string{"-z"}, &out, &errb); rc != 2 {
		t.Errorf("env -z: exit %d", rc)
	}
}

func TestStripEnvFile(t *testing.T) {
	for _, c := range []struct{ in, out, file string }{
		{"--env-file /x server a.conf", "server a.conf", "/x"},
		{"server --env-file=/y a.conf", "server a.conf", "/y"},
		{"a.conf b.conf", "a.conf b.conf", ""},
	} {
		args, file, _ := stripEnvFile(strings.Fields(c.in))
		if strings.Join(args, " ") != c.out || file != c.file {
			t.Errorf("%q: got %q %q", c.in, args, file)
		}
	}
}

func TestParseArgs(t *testing.T) {
	p, err := parseArgs([]string{"-nrv", "a.conf", "--pdb", "b.conf"}, validateFlags)
	if err != nil || !p.set["neighbor"] || !p.set["route"] || !p.set["verbose"] || !p.set["pdb"] || len(p.pos) != 2 {
		t.Errorf("got %+v %v", p, err)
	}
}

// TestValidateOutput: validate reports through the logger on standard
// error, as ExaBGP does (`configuration   loading FILE`, `✓ loading`, ...),
// and prints nothing on standard output.
func TestValidateOutput(t *testing.T) {
	t.Setenv("EXABGP_ENVFILE", filepath.Join(t.TempDir(), "none.env"))
	dir := t.TempDir()
	good := filepath.Join(dir, "good.conf")
	os.WriteFile(good, []byte("process foo {\n run /bin/cat;\n encoder json;\n}\nneighbor 127.0.0.1 {\n router-id 1.2.3.4;\n local-address 127.0.0.1;\n local-as 65001;\n peer-as 65001;\n static {\n  route 10.0.0.0/24 next-hop 1.1.1.1;\n }\n}\n"), 0o644)
	noLocalAS := filepath.Join(dir, "nolocalas.conf")
	os.WriteFile(noLocalAS, []byte("neighbor 127.0.0.1 {\n\trouter-id 10.0.0.1;\n\tlocal-address 127.0.0.1;\n\tpeer-as 65002;\n}\n"), 0o644)
	noRun := filepath.Join(dir, "norun.conf")
	os.WriteFile(noRun, []byte("process foo {\n\tencoder json;\n}\n"), 0o644)
	cases := []struct {
		args []string
		rc   int
		want string
	}{
		{[]string{good}, 0, "configuration   loading " + good + "\nconfiguration   \u2713 loading\n"},
		{[]string{"-n", good}, 0, "configuration   loading " + good + "\nconfiguration   \u2713 loading\n" +
			"configuration   checking neighbors\nconfiguration   \u2713 neighbor  127.0.0.1\n"},
		{[]string{"-r", good}, 0, "configuration   loading " + good + "\nconfiguration   \u2713 loading\n" +
			"configuration   checking routes\nconfiguration   \u2713 routes\n"},
		{[]string{noLocalAS}, 1, "configuration   loading " + noLocalAS + "\n" +
			"configuration   " + noLocalAS + " is not a valid config file: " + noLocalAS + ":5:1: incomplete neighbor, missing local-as (write auto to accept any)\n" +
			"error: " + noLocalAS + " is not a valid config file: " + noLocalAS + ":5:1: incomplete neighbor, missing local-as (write auto to accept any)\n"},
		{[]string{noRun}, 1, "configuration   loading " + noRun + "\n" +
			"configuration   " + noRun + " is not a valid config file: " + noRun + ":3:1: process foo: unset process sections: run\n" +
			"error: " + noRun + " is not a valid config file: " + noRun + ":3:1: process foo: unset process sections: run\n"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		rc := validateMain(c.args, &out, &errb)
		if rc != c.rc || errb.String() != c.want || out.Len() != 0 {
			t.Errorf("validate %v: exit %d\nstdout %q\nstderr %q\nwant exit %d, stderr %q", c.args, rc, out.String(), errb.String(), c.rc, c.want)
		}
	}
	// -v: every category at DEBUG; the neighbors are logged back under the
	// file name, the routes under "parser"
	var out, errb bytes.Buffer
	if rc := validateMain([]string{"-nrv", good}, &out, &errb); rc != 0 || out.Len() != 0 ||
		!strings.Contains(errb.String(), "\n"+good+" neighbor 127.0.0.1 {\n"+good+"   description \"\";\n") ||
		!strings.Contains(errb.String(), "\nparser          parsed route 10.0.0.0/24 next-hop 1.1.1.1\nconfiguration   \u2713 routes\n") {
		t.Errorf("validate -nrv: exit %d\nstdout %q\nstderr %s", rc, out.String(), errb.String())
	}
	// the log settings apply: at WARNING only the warnings are left
	t.Setenv("exabgp_log_level", "WARNING")
	out.Reset()
	errb.Reset()
	if rc := validateMain([]string{"-nr", good}, &out, &errb); rc != 0 || errb.String() != "configuration   checking neighbors\nconfiguration   checking routes\n" {
		t.Errorf("validate at WARNING: exit %d %q", rc, errb.String())
	}
}
