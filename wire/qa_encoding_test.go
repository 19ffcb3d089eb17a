package wire

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestQAEncodingRebuild takes every UPDATE ExaBGP is expected to send in
// its qa/encoding suite, decodes it to typed values and rebuilds it with
// the UpdateBuilder: the bytes must be identical. This checks attribute
// order, flags, next hop encodings, MP_REACH/MP_UNREACH layout and the
// INET NLRI encodings against ExaBGP's own output.
func TestQAEncodingRebuild(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(qaDir(t), "encoding", "*.msg"))
	if len(files) == 0 {
		t.Skip("no encoding vectors")
	}
	total, rebuilt := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			if strings.Contains(line, "#") {
				continue
			}
			parts := strings.SplitN(line, ":raw:", 2)
			if len(parts) != 2 {
				continue
			}
			raw := unhex(t, parts[1])
			if len(raw) < HeaderLen || raw[18] != TypeUpdate {
				continue
			}
			total++
			var ok bool
			var err string
			for _, c := range [][2]bool{{false, true}, {true, true}, {false, false}, {true, false}} {
				if ok, err = rebuild(raw, c[0], c[1]); ok || err != "" {
					break
				}
			}
			if err != "" {
				t.Errorf("%s: %s\n%s", filepath.Base(f), err, tohex(raw))
			}
			if ok {
				rebuilt++
			}
		}
	}
	t.Logf("rebuilt %d of %d UPDATEs byte for byte (the others are End-of-RIB markers or carry no NLRI)", rebuilt, total)
}

// rebuild decodes one UPDATE and rebuilds it; ok is false (and err empty)
// when the UPDATE is outside what this test covers.
func rebuild(raw []byte, addPath, asn4 bool) (ok bool, err string) {
	n := &Negotiated{ASN4: asn4, MaxSize: MaxSizeExtMsg, AIGP: true, LocalAS: 1, PeerAS: 1}
	m, _, e := Frame(raw, MaxSizeExtMsg)
	if e != nil {
		return false, e.Error()
	}
	u, e := DecodeUpdate(m.Body())
	if e != nil {
		return false, e.Error()
	}
	if _, eor := u.EOR(); eor {
		return false, ""
	}
	var ua UpdateAttrs
	if e := DecodeAttributes(u.PathAttrs, n, &ua); e != nil {
		return false, e.Error()
	}
	if ua.Withdraw != nil {
		return false, "" // maybe a 2-octet AS_PATH: try the next session
	}
	b := UpdateBuilder{Family: IPv4Unicast, NoDefaults: true, NextHop: ua.NextHop}
	if len(u.PathAttrs) > 0 {
		b.Attrs = &ua.Attributes
	}
	var reach MPReach
	var unreach MPUnreach
	if ua.HasReach {
		if reach, e = DecodeMPReach(ua.Reach); e != nil {
			return false, e.Error()
		}
		b.Family, b.NextHop, b.LinkLocal = reach.Family, reach.NextHop, reach.LinkLocal
	}
	if ua.HasUnreach {
		if unreach, e = DecodeMPUnreach(ua.Unreach); e != nil {
			return false, e.Error()
		}
		b.Family = unreach.Family
	}
	if *verboseQA && addPath && !asn4 {
		defer func() {
			if !ok {
				println("skipped", b.Family.String(), tohex(raw))
			}
		}()
	}
	if _, known := nlriDecoders[b.Family]; !known || (ua.HasReach && ua.HasUnreach && reach.Family != unreach.Family) {
		return false, ""
	}
	var list [][]NLRI
	for _, field := range [][]byte{u.Withdrawn, u.NLRI, unreach.NLRI, reach.NLRI} {
		var l []NLRI
		it := NLRIs(b.Family, field, addPath)
		if b.Family != IPv4Unicast && (len(u.Withdrawn) > 0 || len(u.NLRI) > 0) {
			return false, ""
		}
		for it.Next() {
			l = append(l, it.NLRI())
		}
		if it.Err() != nil {
			return false, "" // add-path or a family layout this test does not guess
		}
		list = append(list, l)
	}
	if len(list[0])+len(list[1])+len(list[2])+len(list[3]) == 0 {
		return false, "" // attributes and no NLRI: not something the builder makes
	}
	b.Withdraw = append(list[0], list[2]...)
	b.Announce = append(list[1], list[3]...)
	if addPath {
		n.AddPath = map[Family]uint8{b.Family: AddPathSend}
	}
	got, e := b.Append(nil, n)
	if e != nil {
		return false, e.Error()
	}
	if tohex(got) != tohex(raw) {
		return false, "rebuilt as\n" + tohex(got)
	}
	return true, ""
}

var verboseQA = flag.Bool("qa.verbose", false, "list the UPDATEs TestQAEncodingRebuild skips")
