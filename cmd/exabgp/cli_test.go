package main

import (
	"strings"
	"testing"
)

func TestParseCLIArgs(t *testing.T) {
	for _, tt := range []struct {
		args        []string
		pipe, words string
		inter       bool
		code        int
	}{
		{[]string{"show", "neighbor"}, "", "show neighbor", false, -1},
		{[]string{"--pipename", "x", "s", "n", "-v"}, "x", "s n -v", false, -1},
		{[]string{"--pipename=y", "--interactive"}, "y", "", true, -1},
		{[]string{"--", "--weird"}, "", "--weird", false, -1},
		{[]string{"--bogus"}, "", "", false, 2},
		{[]string{"--pipename"}, "", "", false, 2},
	} {
		pipe, inter, words, code := parseCLIArgs(tt.args)
		if pipe != tt.pipe || inter != tt.inter || strings.Join(words, " ") != tt.words || code != tt.code {
			t.Errorf("%v: got %q %v %q %d", tt.args, pipe, inter, words, code)
		}
	}
}
