package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestHealthcheckHelp: --help prints the usage, a description and every
// option of the usage with its help text, as ExaBGP's argparse help does,
// in 78 columns.
func TestHealthcheckHelp(t *testing.T) {
	var out bytes.Buffer
	if rc := healthcheckMain([]string{"--help"}, strings.NewReader(""), &out, io.Discard, false, nil); rc != 0 {
		t.Fatalf("exit %d", rc)
	}
	help := out.String()
	if !strings.HasPrefix(help, hcUsage+"\nHealthchecker for exabgp.\n") {
		t.Errorf("help does not start with the usage and the title:\n%s", help)
	}
	for _, title := range []string{"\noptions:\n", "\nchecking healthiness:\n", "\nadvertising options:\n", "\nreporting:\n"} {
		if !strings.Contains(help, title) {
			t.Errorf("no %q group", title)
		}
	}
	// every option of the usage (and every alias) is described
	described := map[string]bool{}
	for _, g := range hcHelpGroups {
		for _, o := range g.opts {
			if strings.TrimSpace(o[1]) == "" {
				t.Errorf("%s has no help text", o[0])
			}
			for _, inv := range strings.Split(o[0], ", ") {
				described[strings.Fields(inv)[0]] = true
			}
		}
	}
	for _, part := range hcUsageParts {
		for _, w := range strings.Fields(strings.Trim(part, "[]")) {
			if strings.HasPrefix(w, "-") && !described[w] {
				t.Errorf("%s is in the usage but not described", w)
			}
		}
	}
	for short := range hcShort {
		if !described[short] {
			t.Errorf("alias %s is not described", short)
		}
	}
	for flag := range hcFlags {
		if !described[flag] {
			t.Errorf("%s is not described", flag)
		}
	}
	for _, line := range strings.Split(help, "\n") {
		if len(line) > hcHelpWidth {
			t.Errorf("line longer than %d columns: %q", hcHelpWidth, line)
		}
	}
	// a short invocation shares its line with the help, a long one does not
	for _, want := range []string{
		"\n  --rise N              successful checks needed before the service is\n                        considered up\n",
		"\n  --syslog-facility [FACILITY], -sF [FACILITY]\n                        log to syslog with",
	} {
		if !strings.Contains(help, want) {
			t.Errorf("layout: %q not found in\n%s", want, help)
		}
	}
}

// TestHealthcheckUsageWrap: the usage is wrapped as argparse wraps it,
// parts kept whole, continuation lines under the first option.
func TestHealthcheckUsageWrap(t *testing.T) {
	got := hcFormatUsage("prog", []string{"[-a]", "[--bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb X]", "[--cccccccccccccccccccccccccccccccccc Y]", "[-d]"})
	want := "usage: prog [-a] [--bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb X]\n" +
		"            [--cccccccccccccccccccccccccccccccccc Y] [-d]\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
