package format

import "exago/wire"

// This file renders VPLS (RFC 4761) and RTC (RFC 4684) NLRI as ExaBGP
// 5.0's nlri/vpls.py and nlri/rtc.py.

func init() {
	registerFamily(FamilyRenderer{JSON: vplsJSON, Text: vplsText}, wire.L2VPNVPLS)
	registerFamily(FamilyRenderer{JSON: rtcJSON, Text: familyExtensive, TextNextHop: familyExtensiveNH}, wire.IPv4RTC)
}

// vplsJSON appends `{ "rd": "x", "endpoint": N, "base": N, "offset": N, "size": N }`.
func vplsJSON(b []byte, n wire.NLRI, _ Style) []byte {
	v, ok := n.(wire.VPLS)
	if !ok {
		return append(b, "{ }"...)
	}
	b = append(b, `{ "rd": "`...)
	b = appendRD(b, v.RD[:])
	b = append(b, `", "endpoint": `...)
	b = appendUint(b, uint64(v.Endpoint))
	b = append(b, `, "base": `...)
	b = appendUint(b, uint64(v.Base))
	b = append(b, `, "offset": `...)
	b = appendUint(b, uint64(v.Offset))
	b = append(b, `, "size": `...)
	b = appendUint(b, uint64(v.Size))
	return append(b, " }"...)
}

// vplsText appends VPLS.extensive() without its next-hop part:
// "vpls rd X endpoint N base N offset N size N".
func vplsText(b []byte, n wire.NLRI) []byte {
	v, ok := n.(wire.VPLS)
	if !ok {
		return b
	}
	b = append(b, "vpls rd "...)
	b = appendRD(b, v.RD[:])
	b = append(b, " endpoint "...)
	b = appendUint(b, uint64(v.Endpoint))
	b = append(b, " base "...)
	b = appendUint(b, uint64(v.Base))
	b = append(b, " offset "...)
	b = appendUint(b, uint64(v.Offset))
	b = append(b, " size "...)
	return appendUint(b, uint64(v.Size))
}

// rtcRT returns the route target with its two flag bits cleared, as
// RTC.resetFlags does before printing.
func rtcRT(r wire.RTC) [8]byte {
	rt := r.RT
	rt[0] &^= 0xC0
	return rt
}

// rtcJSON appends `{ "origin": N, "route-target": "target:..." }` or the
// wildcard `{ "origin": 0, "route-target": null }`.
func rtcJSON(b []byte, n wire.NLRI, _ Style) []byte {
	r, ok := n.(wire.RTC)
	if !ok || r.Bits == 0 {
		return append(b, `{ "origin": 0, "route-target": null }`...)
	}
	b = append(b, `{ "origin": `...)
	b = appendUint(b, uint64(r.OriginAS))
	b = append(b, `, "route-target": "`...)
	rt := rtcRT(r)
	b = appendExtCommunity(b, rt[:])
	return append(b, `" }`...)
}

// rtcString appends RTC.__str__(): "rtc ORIGIN:RT" or "rtc wildcard".
func rtcString(b []byte, n wire.NLRI) []byte {
	r, ok := n.(wire.RTC)
	if !ok || r.Bits == 0 {
		return append(b, "rtc wildcard"...)
	}
	b = append(b, "rtc "...)
	b = appendUint(b, uint64(r.OriginAS))
	b = append(b, ':')
	rt := rtcRT(r)
	return appendExtCommunity(b, rt[:])
}
