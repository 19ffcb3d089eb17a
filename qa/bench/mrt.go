package bench

import (
	"encoding/binary"
	"net/netip"
	"time"

	"exago/wire"
)

// AppendMRT appends routes 0..r-1 (RoutePrefix) as an MRT TABLE_DUMP_V2
// file (RFC 6396 §4.3) learnt from one peer, next hop nh: the form in
// which gobgpd takes a table in bulk (`gobgp mrt inject global FILE`).
func AppendMRT(out []byte, r int, nh netip.Addr) []byte {
	now := uint32(time.Now().Unix())
	// PEER_INDEX_TABLE: collector id, empty view name, one IPv4/AS4 peer.
	body := binary.BigEndian.AppendUint32(nil, 0x7f000001)
	body = binary.BigEndian.AppendUint16(body, 0)
	body = binary.BigEndian.AppendUint16(body, 1)
	body = append(body, 0x02) // peer type: IPv4 address, 4-octet AS
	body = binary.BigEndian.AppendUint32(body, 0x7f000001)
	body = append(body, nh.AsSlice()...)
	body = binary.BigEndian.AppendUint32(body, 65000)
	out = mrtRecord(out, now, 1, body)
	var attrs []byte
	attrs = wire.AppendAttr(attrs, wire.FlagTransitive, wire.AttrOrigin, []byte{wire.OriginIGP})
	attrs = wire.AppendAttr(attrs, wire.FlagTransitive, wire.AttrASPath, nil)
	attrs = wire.AppendAttr(attrs, wire.FlagTransitive, wire.AttrNextHop, nh.AsSlice())
	for i := 0; i < r; i++ {
		p := netip.MustParsePrefix(RoutePrefix(i))
		body = binary.BigEndian.AppendUint32(body[:0], uint32(i))
		body = wire.AppendPrefix(body, p)
		body = binary.BigEndian.AppendUint16(body, 1) // one RIB entry
		body = binary.BigEndian.AppendUint16(body, 0) // peer index
		body = binary.BigEndian.AppendUint32(body, now)
		body = binary.BigEndian.AppendUint16(body, uint16(len(attrs)))
		body = append(body, attrs...)
		out = mrtRecord(out, now, 2, body) // RIB_IPV4_UNICAST
	}
	return out
}

func mrtRecord(b []byte, ts uint32, subtype uint16, body []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, ts)
	b = binary.BigEndian.AppendUint16(b, 13) // TABLE_DUMP_V2
	b = binary.BigEndian.AppendUint16(b, subtype)
	b = binary.BigEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}
