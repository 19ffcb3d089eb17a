package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestDecodeCommand runs `exabgp decode` in-process: flags, exit codes and
// the one-line outputs.
func TestDecodeCommand(t *testing.T) {
	const open = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00510104FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135"
	const upd = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003C020000001C4001010040020040030465016501800404000000C840050400000064000000002001010101"
	cases := []struct {
		args        []string
		code        int
		stdout      string // substring expected on stdout
		stderr      string // substring expected on stderr
		notOnStdout string
	}{
		{[]string{"--open", open}, 0, `"type": "open"`, "", ""},
		{[]string{"-f", "ipv4 unicast", "--update", upd}, 0, `"101.1.101.1": [ { "nlri": "0.0.0.0/0" }`, "", ""},
		{[]string{"--family=ipv4 unicast", "-u", upd}, 0, `"announce"`, "", ""},
		{[]string{"-ui", "-fipv4 unicast", upd[38:]}, 0, `"type": "update"`, "", ""},
		{[]string{"-f", "ipv4 unicast", "FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF:001E:02:0000:0007:900F:0003:0001:01"}, 0, `"eor": { "afi" : "ipv4", "safi" : "unicast" }`, "", ""},
		{[]string{"-n", "-f", "ipv4 unicast", "180A0100 200A000001"}, 0, `{ "nlri": "10.1.0.0/24" }`, "", ""},
		{[]string{"zz"}, 1, "must be an hexadecimal string", "payload character 0", ""},
		{[]string{"-f", "ipv4", upd}, 1, "families provided are invalid", "", ""},
		{[]string{upd[:len(upd)-4]}, 1, "invalid payload", "", `"type"`},
		{[]string{"0000000B4001020000400200400304"}, 1, "invalid payload", "", ""},
		{[]string{}, 2, "", "required: payload", ""},
		{[]string{"--bogus", upd}, 2, "", "unrecognized arguments", ""},
		{[]string{"-h"}, 0, "usage: exabgp decode", "", ""},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := decodeMain(c.args, &out, &errb)
		if code != c.code {
			t.Errorf("decode %q: exit %d, want %d (stdout %q, stderr %q)", c.args, code, c.code, out.String(), errb.String())
		}
		if !strings.Contains(out.String(), c.stdout) {
			t.Errorf("decode %q: stdout %q lacks %q", c.args, out.String(), c.stdout)
		}
		if c.notOnStdout != "" && strings.Contains(out.String(), c.notOnStdout) {
			t.Errorf("decode %q: stdout %q has %q", c.args, out.String(), c.notOnStdout)
		}
		if !strings.Contains(errb.String(), c.stderr) {
			t.Errorf("decode %q: stderr %q lacks %q", c.args, errb.String(), c.stderr)
		}
		if c.code == 0 && c.stdout != "" && strings.Count(out.String(), "\n") < 1 {
			t.Errorf("decode %q: output is not a line", c.args)
		}
	}
}
