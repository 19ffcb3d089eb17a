package format

import (
	"bytes"
	"strconv"

	"exago/wire"
)

// This file renders the BGP-LS attribute (RFC 9552 §5.3) as ExaBGP 5.0's
// str(LinkState) for the text encoder: each TLV (or merged group, as in
// JSON) as '{REPR}: {content}' with Python's str() of the content, joined
// by ", ". The content is read back from the TLV's JSON member: a string
// prints bare, lists and dicts as Python reprs ('a', True, None), the
// opaque TLVs as Python bytes (b'\x01'). TLVs with their own __repr__
// (SR capabilities, SR adjacency, SR prefix) are spelled as ExaBGP does;
// the SRv6 ones print as "key: value" from their JSON.

// lsRepr is each JSON key's REPR (bgpls/{node,link,prefix}/*.py).
var lsRepr = map[string]string{
	"area-id": "ISIS area id", "local-te-router-ids": "Local TE Router IDs", "node-flags": "Node Flags",
	"node-name": "Node Name", "opaque": "Opaque Node Attribute", "sr-algorithms": "SrAlgorithms",
	"sr-capability-flags": "SR Capability Flags", "admin-group-mask": "Admin Group mask",
	"igp-metric": "IGP Metric", "link-name": "Link Name", "maximum-link-bandwidth": "Maximum link bandwidth",
	"mpls-mask": "MPLS Protocol mask", "opaque-link": "Opaque Link Attribute",
	"link-protection-flags":             "Link protection mask",
	"maximum-reservable-link-bandwidth": "Maximum reservable link bandwidth",
	"remote-te-router-id":               "Remote TE Router ID", "shared-risk-link-groups": "link SRLG values",
	"te-metric": "TE Default Metric", "unreserved-bandwidth": "Maximum link bandwidth",
	"igp-extended-route-tags": "IGP Extended Route Tags", "igp-flags": "IGP flags",
	"igp-route-tags": "IGP Route Tags", "opaque-prefix": "Opaque Prefix Attribute",
	"ospf-forwarding-address": "Ospf forwarding address", "prefix-metric": "prefix_metric",
	"sr-prefix-attribute-flags": "Prefix Attr Flags", "sr-source-router-id": "Source router identifier",
}

// lsAttrText appends str(LinkState) for the attribute value v.
func lsAttrText(b []byte, v []byte) ([]byte, error) {
	if err := wire.CheckLSAttr(v); err != nil {
		return b, err
	}
	var scratch [512]byte
	n := 0
	it := wire.NewLSTLVs(v)
	for i := 0; it.Next(); i++ {
		t := it.Type()
		key, merged := lsMergeKey(t)
		if merged && lsMergedBefore(v, key, i) {
			continue
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		n++
		if !lsKnownAttr(t) {
			b = append(b, "Attribute with code [ "...)
			b = appendUint(b, uint64(t))
			b = append(b, " ] not implemented"...)
			continue
		}
		var j []byte
		if merged {
			j = lsMergedJSON(scratch[:0], v, t, key)
		} else {
			j = lsTLVJSON(scratch[:0], t, it.Value())
		}
		b = lsTLVText(b, t, it.Value(), j)
	}
	return b, nil
}

// lsTLVText appends one TLV's str() given its JSON member(s) j.
func lsTLVText(b []byte, t uint16, v []byte, j []byte) []byte {
	members := splitMembers(j)
	if len(members) == 0 {
		return b
	}
	switch t {
	case wire.LSAttrNodeOpaque, wire.LSAttrLinkOpaque, wire.LSAttrPrefixOpaque, wire.LSAttrLinkName:
		b = append(b, lsRepr[string(members[0].key)]...)
		b = append(b, ": "...)
		return appendPyBytes(b, v)
	case wire.LSAttrSRAdjacency, wire.LSAttrSRPrefix:
		// sradj.py: 'adj_flags: {}, sids: {}, undecoded_sid {}';
		// srprefix.py: 'prefix_flags: {}, sids: {}, undecoded_sid: {}'
		inner := splitMembers(bytes.TrimSuffix(bytes.TrimPrefix(members[0].value, []byte("{")), []byte("}")))
		if t == wire.LSAttrSRPrefix {
			inner = members
		}
		get := func(k string) []byte {
			for _, m := range inner {
				if string(m.key) == k {
					return m.value
				}
			}
			return nil
		}
		if t == wire.LSAttrSRAdjacency {
			b = append(b, "adj_flags: "...)
			b = appendPy(b, get("flags"), false)
			b = append(b, ", sids: "...)
			b = appendPy(b, get("sids"), false)
			b = append(b, ", undecoded_sid "...)
			return appendPy(b, get("undecoded-sids"), false)
		}
		b = append(b, "prefix_flags: "...)
		b = appendPy(b, get("sr-prefix-flags"), false)
		b = append(b, ", sids: "...)
		b = appendPy(b, get("sids"), false)
		b = append(b, ", undecoded_sid: "...)
		return appendPy(b, get("undecoded-sids"), false)
	}
	switch string(members[0].key) {
	case "srv6-endx", "srv6-lan-endx-isis", "srv6-lan-endx-ospf":
		// srv6endx.py / srv6lanendx.py: one line per End.X, joined by "\n"
		// (sic: ExaBGP's text event then spans several lines).
		fields := []string{"behavior", "neighbor-id", "flags", "algorithm", "weight", "sid"}
		if string(members[0].key) == "srv6-endx" {
			fields = []string{"behavior", "flags", "algorithm", "weight", "sid"}
		}
		for i, obj := range splitList(members[0].value) {
			if i > 0 {
				b = append(b, '\n')
			}
			inner := splitMembers(bytes.TrimSuffix(bytes.TrimPrefix(obj, []byte("{")), []byte("}")))
			for k, f := range fields {
				if k > 0 {
					b = append(b, ", "...)
				}
				b = append(b, f...)
				b = append(b, ": "...)
				for _, m := range inner {
					if string(m.key) == f {
						b = appendPy(b, m.value, true)
					}
				}
			}
		}
		return b
	}
	for i, m := range members {
		if i > 0 {
			b = append(b, ", "...)
		}
		name := lsRepr[string(m.key)]
		if name == "" || i > 0 {
			name = string(m.key)
		}
		b = append(b, name...)
		b = append(b, ": "...)
		if string(m.key) == "unreserved-bandwidth" && len(m.value) >= 2 && m.value[0] == '[' {
			// a tuple in unrsvpbw.py: "(0.0, 10.0, ...)"
			b = append(b, '(')
			b = appendPy(b, m.value[1:len(m.value)-1], false)
			b = append(b, ')')
			continue
		}
		b = appendPy(b, m.value, true)
	}
	return b
}

// member is one `"key": value` of a JSON object body.
type member struct{ key, value []byte }

// splitMembers splits `"k1": v1, "k2": v2` (ours: no ", " inside keys)
// at the top level.
func splitMembers(j []byte) []member {
	var out []member
	j = bytes.TrimSpace(j)
	for len(j) > 0 {
		if j[0] != '"' {
			return out
		}
		end := bytes.IndexByte(j[1:], '"')
		if end < 0 {
			return out
		}
		key := j[1 : 1+end]
		j = bytes.TrimLeft(j[end+2:], ": ")
		depth, inStr, k := 0, false, 0
		for ; k < len(j); k++ {
			c := j[k]
			switch {
			case inStr && c == '\\':
				k++
			case c == '"':
				inStr = !inStr
			case inStr:
			case c == '[' || c == '{':
				depth++
			case c == ']' || c == '}':
				depth--
			case c == ',' && depth == 0:
				goto done
			}
		}
	done:
		out = append(out, member{key, bytes.TrimSpace(j[:k])})
		if k >= len(j) {
			break
		}
		j = bytes.TrimSpace(j[k+1:])
	}
	return out
}

// splitList returns the top-level elements of a JSON list.
func splitList(j []byte) [][]byte {
	j = bytes.TrimSpace(j)
	if len(j) < 2 || j[0] != '[' {
		return nil
	}
	j = bytes.TrimSpace(j[1 : len(j)-1])
	var out [][]byte
	depth, inStr, start := 0, false, 0
	for k := 0; k < len(j); k++ {
		c := j[k]
		switch {
		case inStr && c == '\\':
			k++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == ',' && depth == 0:
			out = append(out, bytes.TrimSpace(j[start:k]))
			start = k + 1
		}
	}
	if start < len(j) {
		out = append(out, bytes.TrimSpace(j[start:]))
	}
	return out
}

// appendPy appends Python's str() of the JSON value j: a top-level string
// bare when bare, other strings quoted '...', true/false/null as
// True/False/None.
func appendPy(b []byte, j []byte, bare bool) []byte {
	if bare && len(j) > 0 && j[0] == '"' {
		if s, err := strconv.Unquote(string(j)); err == nil {
			return append(b, s...)
		}
	}
	for k := 0; k < len(j); k++ {
		c := j[k]
		switch {
		case c == '"':
			end := k + 1
			for end < len(j) && j[end] != '"' {
				if j[end] == '\\' {
					end++
				}
				end++
			}
			s, err := strconv.Unquote(string(j[k:min(end+1, len(j))]))
			if err != nil {
				s = string(j[k+1 : min(end, len(j))])
			}
			b = appendPyStr(b, s)
			k = end
		case bytes.HasPrefix(j[k:], []byte("true")):
			b = append(b, "True"...)
			k += 3
		case bytes.HasPrefix(j[k:], []byte("false")):
			b = append(b, "False"...)
			k += 4
		case bytes.HasPrefix(j[k:], []byte("null")):
			b = append(b, "None"...)
			k += 3
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendPyStr appends repr(s) of a str: single quotes unless s holds one
// and no double quote.
func appendPyStr(b []byte, s string) []byte {
	q := byte('\'')
	if bytes.IndexByte([]byte(s), '\'') >= 0 && bytes.IndexByte([]byte(s), '"') < 0 {
		q = '"'
	}
	b = append(b, q)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == q || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'x', hexLower[c>>4], hexLower[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, q)
}

// appendPyBytes appends repr(v) of Python bytes: b'..'.
func appendPyBytes(b []byte, v []byte) []byte {
	q := byte('\'')
	if bytes.IndexByte(v, '\'') >= 0 && bytes.IndexByte(v, '"') < 0 {
		q = '"'
	}
	b = append(b, 'b', q)
	for _, c := range v {
		switch {
		case c == q || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c < 0x20 || c >= 0x7f:
			b = append(b, '\\', 'x', hexLower[c>>4], hexLower[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, q)
}
