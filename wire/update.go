package wire

import "net/netip"

// Update is a view of an UPDATE body (RFC 4271 §4.3): its three fields,
// aliasing the message. Decode the path attributes with
// [DecodeAttributes], walk prefixes with [Prefixes].
type Update struct {
	Withdrawn []byte // Withdrawn Routes (IPv4 unicast)
	PathAttrs []byte // Path Attributes
	NLRI      []byte // Network Layer Reachability Information (IPv4 unicast)
}

// PathAttrsOffset is where the path attributes start in the message
// (header included): add it to the Offset of a [NotifyError] from
// [DecodeAttributes], which counts from the start of PathAttrs.
func (u Update) PathAttrsOffset() int { return HeaderLen + 4 + len(u.Withdrawn) }

// NLRIOffset is where the NLRI field starts in the message; [PrefixIter]
// offsets count from the start of the field they walk.
func (u Update) NLRIOffset() int { return u.PathAttrsOffset() + len(u.PathAttrs) }

// DecodeUpdate splits an UPDATE body. A withdrawn routes or total path
// attribute length that overruns the message is 3/1 Malformed Attribute
// List (RFC 4271 §6.3); RFC 7606 §4 makes that a session reset.
func DecodeUpdate(body []byte) (u Update, err error) {
	if len(body) >= 4 {
		w := int(body[0])<<8 | int(body[1])
		if a := 4 + w; a <= len(body) {
			l := body[a-2 : a : a]
			if p := a + (int(l[0])<<8 | int(l[1])); p <= len(body) {
				u.Withdrawn, u.PathAttrs, u.NLRI = body[2:a-2:a-2], body[a:p:p], body[p:]
				return u, nil
			}
		}
	}
	return u, updateError(body)
}

// updateError is DecodeUpdate's error for a malformed body.
func updateError(body []byte) error {
	if len(body) < 4 {
		return &NotifyError{Code: CodeUpdate, Subcode: SubcodeMalformedAttrList,
			Offset: HeaderLen, Reason: "UPDATE shorter than its two length fields"}
	}
	w := int(be.Uint16(body))
	if 2+w+2 > len(body) {
		return &NotifyError{Code: CodeUpdate, Subcode: SubcodeMalformedAttrList,
			Offset: HeaderLen, Reason: "withdrawn routes length overruns the UPDATE"}
	}
	return &NotifyError{Code: CodeUpdate, Subcode: SubcodeMalformedAttrList,
		Offset: HeaderLen + 2 + w, Reason: "path attributes length overruns the UPDATE"}
}

// EOR reports whether the UPDATE is an End-of-RIB marker (RFC 4724 §2):
// an empty UPDATE for IPv4 unicast, or one holding only an MP_UNREACH_NLRI
// with just AFI/SAFI. The common answer, an UPDATE with withdrawn routes
// or NLRI, is inlined in the caller.
func (u Update) EOR() (f Family, ok bool) {
	if len(u.Withdrawn)|len(u.NLRI) == 0 {
		f, ok = eor(u.PathAttrs)
	}
	return
}

// eor is EOR for an UPDATE with path attributes only.
func eor(attrs []byte) (Family, bool) {
	if len(attrs) == 0 {
		return IPv4Unicast, true
	}
	it := Attrs(attrs)
	if !it.Next() {
		return Family{}, false
	}
	a := it.Attr()
	if a.Code != AttrMPUnreach || len(a.Value) != 3 || it.Next() {
		return Family{}, false
	}
	return Family{AFI(be.Uint16(a.Value)), SAFI(a.Value[2])}, true
}

// MPReach is an MP_REACH_NLRI value (RFC 4760 §3). NextHop is the first
// next hop address (a route distinguisher before it, RFC 4364/4659, is
// skipped), LinkLocal the second when there are two (RFC 2545 §3).
// NextHopRaw is the whole next hop field. NLRI aliases the message.
type MPReach struct {
	Family     Family
	NextHop    netip.Addr
	LinkLocal  netip.Addr
	NextHopRaw []byte
	NLRI       []byte
}

// MPUnreach is an MP_UNREACH_NLRI value (RFC 4760 §4).
type MPUnreach struct {
	Family Family
	NLRI   []byte
}

func mpError(reason string) error {
	return &NotifyError{Code: CodeUpdate, Subcode: SubcodeOptionalAttr, Attr: AttrMPReach, Reason: reason}
}

// DecodeMPReach decodes an MP_REACH_NLRI value. Next hop lengths 0, 4, 16
// and 32, each optionally preceded by an 8-octet route distinguisher (12,
// 24, 40, and 48 for RD+IPv6+RD+IPv6), are accepted. Errors are 3/9 and,
// per RFC 7606 §5.3, reset the session.
func DecodeMPReach(v []byte) (MPReach, error) {
	var r MPReach
	if len(v) < 5 {
		return r, mpError("MP_REACH_NLRI too short")
	}
	r.Family = Family{AFI(be.Uint16(v)), SAFI(v[2])}
	l := int(v[3])
	if 4+l+1 > len(v) {
		return r, mpError("MP_REACH_NLRI next hop overruns the attribute")
	}
	r.NextHopRaw = v[4 : 4+l : 4+l]
	if err := r.parseNextHop(); err != nil {
		return r, err
	}
	// v[4+l] is the reserved octet (RFC 4760 §3): ignored on receipt.
	r.NLRI = v[5+l:]
	return r, nil
}

func (r *MPReach) parseNextHop() error {
	nh := r.NextHopRaw
	switch len(nh) {
	case 12, 24, 40:
		nh = nh[8:]
	case 48:
		r.NextHop = netip.AddrFrom16([16]byte(nh[8:24]))
		r.LinkLocal = netip.AddrFrom16([16]byte(nh[32:48]))
		return nil
	}
	switch len(nh) {
	case 0:
	case 4:
		r.NextHop = netip.AddrFrom4([4]byte(nh))
	case 16:
		r.NextHop = netip.AddrFrom16([16]byte(nh))
	case 32:
		r.NextHop = netip.AddrFrom16([16]byte(nh))
		r.LinkLocal = netip.AddrFrom16([16]byte(nh[16:]))
	default:
		return mpError("invalid MP_REACH_NLRI next hop length")
	}
	return nil
}

// DecodeMPUnreach decodes an MP_UNREACH_NLRI value.
func DecodeMPUnreach(v []byte) (MPUnreach, error) {
	if len(v) < 3 {
		return MPUnreach{}, &NotifyError{Code: CodeUpdate, Subcode: SubcodeOptionalAttr,
			Attr: AttrMPUnreach, Reason: "MP_UNREACH_NLRI too short"}
	}
	return MPUnreach{Family: Family{AFI(be.Uint16(v)), SAFI(v[2])}, NLRI: v[3:]}, nil
}

// NLRIIter walks the NLRI of any registered family with [DecodeNLRI]
// (each value allocates; use [Prefixes] for the unicast fast path).
type NLRIIter struct {
	b       []byte
	f       Family
	addPath bool
	cur     NLRI
	err     error
}

// NLRIs returns an iterator over the NLRI of family f in b.
func NLRIs(f Family, b []byte, addPath bool) NLRIIter { return NLRIIter{b: b, f: f, addPath: addPath} }

// Next decodes the next NLRI.
func (it *NLRIIter) Next() bool {
	if it.err != nil || len(it.b) == 0 {
		return false
	}
	n, used, err := DecodeNLRI(it.f, it.b, it.addPath)
	if err == nil && used <= 0 {
		err = nlriError("NLRI decoder consumed nothing")
	}
	if err != nil {
		it.err = err
		return false
	}
	it.cur, it.b = n, it.b[used:]
	return true
}

// NLRI is the current NLRI.
func (it *NLRIIter) NLRI() NLRI { return it.cur }

// Err is the error that stopped the iteration.
func (it *NLRIIter) Err() error { return it.err }
