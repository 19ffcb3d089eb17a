package config

import (
	"reflect"
	"strings"
	"testing"

	"exago/wire"
)

// TestASPathGrammar checks the as-path values ExaBGP 5.0.13 accepts and
// rejects (each case was run through ExaBGP's configuration.partial, the
// parser of its `announce route` API command).
func TestASPathGrammar(t *testing.T) {
	seq := func(a ...uint32) wire.ASSegment {
		return wire.ASSegment{Type: wire.ASSequence, ASNs: append([]uint32{}, a...)}
	}
	set := func(a ...uint32) wire.ASSegment {
		return wire.ASSegment{Type: wire.ASSet, ASNs: append([]uint32{}, a...)}
	}
	ok := []struct {
		path string
		want []wire.ASSegment
	}{
		{"[ 1 2 ]", []wire.ASSegment{seq(1, 2)}},
		{"( 1 2 )", []wire.ASSegment{set(1, 2)}},
		{"[ 1 2 ] ( 3 4 )", []wire.ASSegment{seq(1, 2), set(3, 4)}},
		{"[1 2](3 4)[5]", []wire.ASSegment{seq(1, 2), set(3, 4), seq(5)}},
		{"[ 1 2 ] [ 3 ] med 5", []wire.ASSegment{seq(1, 2), seq(3)}},
		{"[ 1, 2 ]", []wire.ASSegment{seq(1, 2)}},
		{"[100, 500] local-preference 100", []wire.ASSegment{seq(100, 500)}},
		{"[ 1 2 )", []wire.ASSegment{seq(1, 2)}}, // ExaBGP does not match brackets
		{"( 1 2 ]", []wire.ASSegment{set(1, 2)}},
		{"[ ]", []wire.ASSegment{seq()}},
		{"[ ] ( )", []wire.ASSegment{seq(), set()}},
		{"[ 01 ]", []wire.ASSegment{seq(1)}},
		{"[ 1.65535 ]", []wire.ASSegment{seq(131071)}},
		{"[ 65536 4294967295 ]", []wire.ASSegment{seq(65536, 4294967295)}},
		{"[ 1 2 ] origin igp", []wire.ASSegment{seq(1, 2)}},
	}
	for _, c := range ok {
		rs, err := ParseAnnounce(strings.Fields("route 1.0.0.0/24 next-hop 1.1.1.1 as-path " + c.path))
		if err != nil {
			t.Errorf("%q: %v", c.path, err)
			continue
		}
		if got := rs[0].Attrs.ASPath; !rs[0].Attrs.HasASPath || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %+v want %+v", c.path, got, c.want)
		}
	}
	bad := []struct{ path, want string }{
		{"[ 1 2 { 3 4 } ]", "command:1:9: could not parse as-path: '{' is not allowed"},
		{"[ 1 2 {3 4} ]", "command:1:9: could not parse as-path: '{' is not allowed"},
		{"[ { 1 2 } ]", "command:1:7: could not parse as-path: '{' is not allowed"},
		{"( { 1 2 } )", "command:1:7: could not parse as-path: '{' is not allowed"},
		{"[{1 2}]", "command:1:6: could not parse as-path: '{' is not allowed"},
		{"[ 1 } 2 ]", "command:1:8: could not parse as-path: '}' is not allowed"},
		{"[ 1 2 }", "command:1:9: could not parse as-path: '}' is not allowed"},
		{"[ 1 ( 2 ) ]", "command:1:8: could not parse as-path: segments can not be nested"},
		{"[ 1 [ 2 ] ]", "command:1:8: could not parse as-path: segments can not be nested"},
		{"65000", "command:1:6: as-path 65000 is not supported, write it as a sequence: as-path [ 65000 ]"},
		{"1.1", "command:1:6: as-path 1.1 is not supported"},
		{"foo", "command:1:6: could not parse as-path: \"foo\""},
		{"]", "command:1:6: could not parse as-path: \"]\""},
		{",", "command:1:6: could not parse as-path: \",\""},
		{"", "command:1:6: missing value after \"as-path\""},
		{"[ 1 2", "command:1:9: as-path is not closed"},
		{"[ foo ]", "command:1:7: invalid ASN \"foo\" in as-path"},
		{"[ 4294967296 ]", "command:1:7: invalid ASN"},
		{"[ -1 ]", "command:1:7: invalid ASN"},
		{"[ +1 ]", "command:1:7: invalid ASN"},
		{"[ AS1 ]", "command:1:7: invalid ASN"},
		{"[ 1as ]", "command:1:7: invalid ASN"},
		{"[ 1.2.3 ]", "command:1:7: invalid ASN"},
		{"[ 65536.1 ]", "command:1:7: invalid ASN"},
		{"[ 1 2 ] 3", "command:1:10: unknown route keyword \"3\""},
		{"1 2", "command:1:6: as-path 1 is not supported"},
	}
	for _, c := range bad {
		_, err := ParseAnnounce(strings.Fields("route 1.0.0.0/24 next-hop 1.1.1.1 as-path " + c.path))
		if err == nil {
			t.Errorf("%q accepted", c.path)
			continue
		}
		if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got  %v\n want %s...", c.path, err, c.want)
		}
	}
}

// TestASPathConfig checks the same grammar in a configuration file, where
// a brace inside the as-path ends the statement in ExaBGP too.
func TestASPathConfig(t *testing.T) {
	head := "neighbor 127.0.0.1 {\n local-address 127.0.0.1;\n local-as 1;\n peer-as 1;\n static {\n"
	cfg, err := LoadText("a.conf", head+"  route 10.0.0.0/8 next-hop 1.1.1.1 as-path [ 1 2 ] ( 3 4 ) [ 5 ];\n }\n}\n", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{1, 2}}, {Type: wire.ASSet, ASNs: []uint32{3, 4}}, {Type: wire.ASSequence, ASNs: []uint32{5}}}
	if got := cfg.Neighbors[0].Routes[0].Attrs.ASPath; !reflect.DeepEqual(got, want) {
		t.Errorf("as-path %+v", got)
	}
	for _, path := range []string{"[ 1 2 { 3 4 } ]", "[ { 1 2 } ]", "( { 1 } )", "65000", "[ 1 } 2 ]"} {
		if _, err := LoadText("a.conf", head+"  route 10.0.0.0/8 next-hop 1.1.1.1 as-path "+path+";\n }\n}\n", nil); err == nil {
			t.Errorf("as-path %s accepted in a configuration file", path)
		} else {
			t.Logf("as-path %s: %v", path, err)
		}
	}
}
