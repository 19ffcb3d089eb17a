package format

import "exago/wire"

// This file renders MCAST-VPN (RFC 6514) and MUP
// (draft-mpmz-bess-mup-safi) NLRI as ExaBGP 5.0's nlri/mvpn/*.py and
// nlri/mup/*.py json() and __str__().
//
// Deviation: ExaBGP's Type 1 ST json() lacks a comma before
// "source_ip_len", which is not JSON; we print the comma. (An absent source
// prints as "b''", as in ExaBGP.)

func init() {
	registerFamily(FamilyRenderer{JSON: mvpnJSON, Text: familyExtensive, TextNextHop: familyExtensiveNH}, wire.IPv4McastVPN, wire.IPv6McastVPN)
	registerFamily(FamilyRenderer{JSON: mupJSON, Text: familyExtensive, TextNextHop: familyExtensiveNH}, wire.IPv4MUP, wire.IPv6MUP)
}

// mvpnJSON appends MVPN.json().
func mvpnJSON(b []byte, n wire.NLRI, _ Style) []byte {
	m, ok := n.(wire.MVPN)
	if !ok {
		return append(b, "{ }"...)
	}
	hdr := []byte{m.Type, byte(len(m.Raw))}
	if !m.Parsed {
		b = append(b, `{ "code": `...)
		b = appendUint(b, uint64(m.Type))
		b = append(b, `, "parsed": false, `...)
		b = appendRawNLRI(b, hdr, m.Raw)
		return append(b, " }"...)
	}
	b = append(b, `{ "code": `...)
	b = appendUint(b, uint64(m.Type))
	b = append(b, `, "parsed": true, `...)
	b = appendRawNLRI(b, hdr, m.Raw)
	b = append(b, `, "name": "`...)
	b = append(b, wire.MVPNName(m.Type)...)
	b = append(b, `", "rd": "`...)
	b = appendRD(b, m.RD[:])
	b = append(b, `", `...)
	if m.Type != wire.MVPNSourceAD {
		b = append(b, `"source-as": "`...)
		b = appendUint(b, uint64(m.SourceAS))
		b = append(b, `", `...)
	}
	b = append(b, `"source": `...)
	b = appendQuotedAddr(b, m.Source)
	b = append(b, `, "group": `...)
	b = appendQuotedAddr(b, m.Group)
	return append(b, '}')
}

var mvpnShort = map[uint8]string{5: "sourcead", 6: "shared-join", 7: "source-join"}

// mvpnString appends MVPN.__str__().
func mvpnString(b []byte, n wire.NLRI) []byte {
	m, ok := n.(wire.MVPN)
	if !ok {
		return b
	}
	b = append(b, "mvpn:"...)
	if !m.Parsed {
		b = append(b, "unknown:"...)
		return appendHexLower(b, m.Raw)
	}
	b = append(b, mvpnShort[m.Type]...)
	b = append(b, "::"...) // _prefix() ends in ':' and __str__ adds one
	b = appendRD(b, m.RD[:])
	b = append(b, ':')
	if m.Type != wire.MVPNSourceAD {
		b = appendUint(b, uint64(m.SourceAS))
		b = append(b, ':')
	}
	b = m.Source.AppendTo(b)
	b = append(b, ':')
	return m.Group.AppendTo(b)
}

// mupHeader is the 4-byte header of a MUP NLRI (for "raw").
func mupHeader(m wire.MUP) []byte {
	return []byte{m.Arch, byte(m.Type >> 8), byte(m.Type), byte(len(m.Raw))}
}

// mupJSON appends the MUP route types' json().
func mupJSON(b []byte, n wire.NLRI, _ Style) []byte {
	m, ok := n.(wire.MUP)
	if !ok {
		return append(b, "{ }"...)
	}
	if !m.Parsed {
		// sic: GenericMUP's constructor swaps its afi and arch arguments,
		// so ExaBGP shows the AFI as the architecture, in "raw" too.
		h := mupHeader(m)
		h[0] = byte(m.Fam.AFI)
		b = append(b, `{ "arch": `...)
		b = appendUint(b, uint64(h[0]))
		b = append(b, `, "code": `...)
		b = appendUint(b, uint64(m.Type))
		b = append(b, ", "...)
		b = appendRawNLRI(b, h, m.Raw)
		return append(b, " }"...)
	}
	b = append(b, `{ "name": "`...)
	b = append(b, wire.MUPName(m.Type)...)
	b = append(b, `", `...)
	if m.Type == wire.MUPT2ST {
		b = append(b, ' ') // sic, t2st.py
	}
	b = append(b, `"arch": `...)
	b = appendUint(b, uint64(m.Arch))
	b = append(b, `, "code": `...)
	b = appendUint(b, uint64(m.Type))
	b = append(b, ", "...)
	switch m.Type {
	case wire.MUPISD:
		b = mupPrefixJSON(b, m)
	case wire.MUPDSD:
		b = append(b, `"ip": `...)
		b = appendQuotedAddr(b, m.Endpoint)
		b = append(b, ", "...)
	case wire.MUPT1ST:
		b = mupPrefixJSON(b, m)
		b = mupQuotedUint(b, "teid", uint64(m.TEID))
		b = mupQuotedUint(b, "qfi", uint64(m.QFI))
	case wire.MUPT2ST:
		b = append(b, `"endpoint_len": `...)
		b = appendUint(b, uint64(m.EndpointLen))
		b = append(b, `, "endpoint_ip": `...)
		b = appendQuotedAddr(b, m.Endpoint)
		b = append(b, ", "...)
	}
	b = append(b, `"rd": "`...)
	b = appendRD(b, m.RD[:])
	b = append(b, `", `...)
	switch m.Type {
	case wire.MUPT1ST:
		b = mupT1STTail(b, m)
	case wire.MUPT2ST:
		b = mupQuotedUint(b, "teid", uint64(m.TEID))
	}
	b = appendRawNLRI(b, mupHeader(m), m.Raw)
	return append(b, " }"...)
}

func mupPrefixJSON(b []byte, m wire.MUP) []byte {
	b = append(b, `"prefix_ip_len": `...)
	b = appendUint(b, uint64(m.Prefix.Bits()))
	b = append(b, `, "prefix_ip": `...)
	b = appendQuotedAddr(b, m.Prefix.Addr())
	return append(b, ", "...)
}

func mupQuotedUint(b []byte, k string, v uint64) []byte {
	b = appendKey(b, k)
	b = append(b, '"')
	b = appendUint(b, v)
	return append(b, `", `...)
}

// mupT1STTail appends the endpoint and source members of a Type 1 ST.
func mupT1STTail(b []byte, m wire.MUP) []byte {
	b = append(b, `"endpoint_ip_len": `...)
	b = appendUint(b, uint64(m.Endpoint.BitLen()))
	b = append(b, `, "endpoint_ip": `...)
	b = appendQuotedAddr(b, m.Endpoint)
	b = append(b, `, "source_ip_len": `...)
	if !m.Source.IsValid() {
		return append(b, `0, "source_ip": "b''", `...)
	}
	b = appendUint(b, uint64(m.Source.BitLen()))
	b = append(b, `, "source_ip": `...)
	b = appendQuotedAddr(b, m.Source)
	return append(b, ", "...)
}

var mupShort = [...]string{1: "isd", 2: "dsd", 3: "t1st", 4: "t2st"}

// mupString appends the MUP route types' __str__().
func mupString(b []byte, n wire.NLRI) []byte {
	m, ok := n.(wire.MUP)
	if !ok {
		return b
	}
	b = append(b, "mup:"...)
	if !m.Parsed {
		b = append(b, "unknown:"...)
		return appendHexLower(b, m.Raw)
	}
	b = append(b, mupShort[m.Type]...)
	b = append(b, "::"...) // _prefix() ends in ':' and __str__ adds one
	b = appendRD(b, m.RD[:])
	b = append(b, ':')
	switch m.Type {
	case wire.MUPISD:
		return appendPrefix(b, m.Prefix)
	case wire.MUPDSD:
		return m.Endpoint.AppendTo(b)
	case wire.MUPT1ST:
		b = appendPrefix(b, m.Prefix)
		b = append(b, ':')
		b = appendUint(b, uint64(m.TEID))
		b = append(b, ':')
		b = appendUint(b, uint64(m.QFI))
		b = append(b, ':')
		b = m.Endpoint.AppendTo(b)
		b = append(b, '/')
		b = appendUint(b, uint64(m.Prefix.Bits())) // sic, t1st.py
		if m.Source.IsValid() {
			b = append(b, ':')
			b = m.Source.AppendTo(b)
			b = append(b, '/')
			b = appendUint(b, uint64(m.Source.BitLen()))
		}
		return b
	}
	b = appendUint(b, uint64(m.EndpointLen))
	b = append(b, ':')
	b = m.Endpoint.AppendTo(b)
	b = append(b, ':')
	b = appendUint(b, uint64(m.TEID))
	return append(b, ':')
}
