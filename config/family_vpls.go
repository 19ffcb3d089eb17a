package config

// The "vpls" grammar (RFC 4761): `l2vpn { vpls [NAME] { kw value; ... } |
// vpls kw value ...; }`, `announce { l2vpn { vpls ...; } }` and the API's
// `announce|withdraw vpls ...` (ExaBGP configuration/l2vpn/,
// announce/vpls.py). Keywords: endpoint, base, offset, size, rd, next-hop
// and the attributes of static routes.

import (
	"strconv"

	"exago/wire"
)

func init() {
	RegisterGrammar("vpls", Grammar{Section: vplsSection, Line: vplsLine})
}

// vplsDraft collects one VPLS route; the has bits track what was given.
type vplsDraft struct {
	route Route
	nlri  wire.VPLS
	has   map[string]bool
}

// vplsSection parses a neighbor's `l2vpn { ... }` section.
func vplsSection(n *Node) ([]Route, error) {
	var out []Route
	for _, c := range n.Children {
		if c.Keyword() != "vpls" {
			return nil, errAt(c.Pos, "unknown l2vpn statement \""+c.Keyword()+"\" (expected vpls)")
		}
		d := vplsDraft{has: map[string]bool{}}
		d.route.Pos = c.Pos
		if c.Block {
			if len(c.Words) > 1 {
				d.route.Name = c.Words[1].Text
			}
			for _, st := range c.Children {
				if st.Block {
					return nil, errAt(st.Pos, "unexpected section in vpls")
				}
				if err := d.words(NewWords(st.Tokens(), st.End)); err != nil {
					return nil, err
				}
			}
		} else if err := d.words(c.Args()); err != nil {
			return nil, err
		}
		r, err := d.finish(c.Pos, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// vplsLine parses the words of a one-line VPLS route.
func vplsLine(_ wire.Family, w *Words, withdraw bool) ([]Route, error) {
	d := vplsDraft{has: map[string]bool{}}
	d.route.Pos = w.Pos()
	if err := d.words(w); err != nil {
		return nil, err
	}
	r, err := d.finish(d.route.Pos, withdraw)
	if err != nil {
		return nil, err
	}
	return []Route{r}, nil
}

// words parses keyword/value pairs until w is exhausted.
func (d *vplsDraft) words(w *Words) error {
	for !w.Done() {
		kw, _ := w.Next()
		switch kw.Text {
		case "endpoint", "base", "offset", "size":
			v, err := uintValue(w, kw.Text, 16)
			if err != nil {
				return err
			}
			d.set(kw.Text, uint16(v))
			continue
		case "rd", "route-distinguisher":
			t, err := w.Value(kw.Text, "a route distinguisher")
			if err != nil {
				return err
			}
			rd, ok := ParseRD(t.Text)
			if !ok {
				return errAt(t.Pos, "\""+t.Text+"\" is not a valid route distinguisher")
			}
			d.nlri.RD, d.has["rd"] = rd, true
			continue
		}
		known, err := ParseAttribute(kw, w, &d.route)
		if err != nil {
			return err
		}
		if !known {
			return errAt(kw.Pos, "unknown vpls keyword \""+kw.Text+"\"")
		}
	}
	return nil
}

func (d *vplsDraft) set(kw string, v uint16) {
	d.has[kw] = true
	switch kw {
	case "endpoint":
		d.nlri.Endpoint = v
	case "base":
		d.nlri.Base = uint32(v)
	case "offset":
		d.nlri.Offset = v
	case "size":
		d.nlri.Size = v
	}
}

// finish checks what VPLS.feedback checks and builds the route.
func (d *vplsDraft) finish(p Pos, withdraw bool) (Route, error) {
	if !withdraw && !d.route.NextHop.IsValid() && !d.route.NextHopSelf {
		return Route{}, errAt(p, "vpls nlri next-hop missing")
	}
	for _, k := range []string{"endpoint", "base", "offset", "size", "rd"} {
		if !d.has[k] {
			name := k
			if k == "rd" {
				name = "route-distinguisher"
			}
			return Route{}, errAt(p, "vpls nlri "+name+" missing")
		}
	}
	if d.nlri.Base > 0xFFFFF-uint32(d.nlri.Size) {
		return Route{}, errAt(p, "vpls nlri size inconsistency (base "+strconv.Itoa(int(d.nlri.Base))+")")
	}
	d.route.NLRI = d.nlri
	return d.route, nil
}
