package wire

import "net/netip"

// Refresh is the negotiated route refresh support.
type Refresh uint8

// Route refresh levels, as ExaBGP's REFRESH.
const (
	RefreshAbsent   Refresh = iota // neither side or one side only
	RefreshNormal                  // RFC 2918 on both sides
	RefreshEnhanced                // RFC 7313 on both sides
)

// String is ExaBGP's name: "absent", "normal" or "enhanced".
func (r Refresh) String() string {
	switch r {
	case RefreshNormal:
		return "normal"
	case RefreshEnhanced:
		return "enhanced"
	}
	return "absent"
}

// Negotiated is what the two OPENs of a session agreed on: everything the
// UPDATE codec and the FSM need. Build it with [Negotiate]; the zero value
// is a pre-OPEN session (2-octet ASNs, 4096-byte messages, no add-path).
type Negotiated struct {
	ASN4        bool // both sent the ASN4 capability (RFC 6793)
	MaxSize     int  // MaxSize, or MaxSizeExtMsg when both sent extended message (RFC 8654)
	HoldTime    uint16
	LocalAS     uint32 // our AS (4-octet value)
	PeerAS      uint32 // the peer's AS, from its ASN4 capability when My AS is AS_TRANS
	LocalID     netip.Addr
	PeerID      netip.Addr
	Families    []Family       // the peer's MP list filtered by ours, in the peer's order
	NextHops    []NextHopTuple // extended next hop tuples both sent (RFC 8950), in the peer's order
	Refresh     Refresh
	Operational bool
	// AIGP is ExaBGP's `capability { aigp; }` pseudo-capability (set by the
	// caller from configuration): AIGP is sent and accepted on eBGP too.
	AIGP bool
	// MultiSession is true when both sent it (RFC or Cisco); a mismatch is
	// reported by [Negotiate]'s error, not here.
	MultiSession bool
	// AddPath holds the RFC 7911 direction per family: bit AddPathSend
	// when we send path ids, bit AddPathReceive when we receive them.
	AddPath map[Family]uint8
	// Mismatch lists the families one side announced and the other not:
	// first ours only (ExaBGP: "peer is not configured for"), then the
	// peer's only, which are also in MismatchPeer (ExaBGP: "exabgp is not
	// configured for").
	Mismatch     []Family
	MismatchPeer []Family
	// Sent and Received are the two OPENs (for the API's negotiated event).
	Sent, Received *Open
}

// MaxMessageSize returns the negotiated maximum message size (4096 when
// unset).
func (n *Negotiated) MaxMessageSize() int {
	if n == nil || n.MaxSize == 0 {
		return MaxSize
	}
	return n.MaxSize
}

// SendAddPath reports whether we include a path identifier when sending f.
func (n *Negotiated) SendAddPath(f Family) bool {
	return n != nil && len(n.AddPath) != 0 && n.AddPath[f]&AddPathSend != 0
}

// ReceiveAddPath reports whether NLRI of f we receive carry a path
// identifier.
// The map lookup is skipped when no add-path was negotiated.
func (n *Negotiated) ReceiveAddPath(f Family) bool {
	return n != nil && len(n.AddPath) != 0 && n.AddPath[f]&AddPathReceive != 0
}

// IsASN4 reports whether AS numbers travel as 4 octets.
func (n *Negotiated) IsASN4() bool { return n != nil && n.ASN4 }

// HasFamily reports whether f was negotiated.
func (n *Negotiated) HasFamily(f Family) bool {
	if n == nil {
		return false
	}
	for _, g := range n.Families {
		if g == f {
			return true
		}
	}
	return false
}

// ExtendedNextHop reports whether NLRI of f may carry a next hop of afi
// (RFC 8950).
func (n *Negotiated) ExtendedNextHop(f Family, afi AFI) bool {
	if n == nil {
		return false
	}
	for _, t := range n.NextHops {
		if t.Family == f && t.NextHopAFI == afi {
			return true
		}
	}
	return false
}

// IBGP reports whether the session is internal (true for a nil n).
func (n *Negotiated) IBGP() bool { return n == nil || n.LocalAS == n.PeerAS }

// Negotiate combines the OPEN we sent and the one we received, as ExaBGP's
// Negotiated does. The result is returned even when err is non-nil; err is
// the NOTIFICATION to send for a multisession mismatch (2/8, 2/9). Checks
// that need the configuration (peer AS, router id, hold time) are in
// [Negotiated.Validate].
func Negotiate(sent, recv *Open) (*Negotiated, error) {
	sc, rc := &sent.Caps, &recv.Caps
	n := &Negotiated{
		ASN4:        sc.HasASN4 && rc.HasASN4,
		MaxSize:     MaxSize,
		HoldTime:    min(sent.HoldTime, recv.HoldTime),
		LocalAS:     sent.PeerAS(),
		PeerAS:      uint32(recv.ASN),
		LocalID:     sent.RouterID,
		PeerID:      recv.RouterID,
		Operational: sc.Operational && rc.Operational,
		Sent:        sent,
		Received:    recv,
	}
	if n.ASN4 && recv.ASN == ASTrans {
		n.PeerAS = rc.ASN4
	}
	if sc.ExtendedMessage && rc.ExtendedMessage {
		n.MaxSize = MaxSizeExtMsg
	}
	switch {
	case sc.EnhancedRefresh && rc.EnhancedRefresh:
		n.Refresh = RefreshEnhanced
	case sc.RouteRefresh && rc.RouteRefresh:
		n.Refresh = RefreshNormal
	}
	n.Families = intersect(rc.Families, sc.Families)
	n.Mismatch = mismatch(sc.Families, rc.Families)
	for _, f := range n.Mismatch {
		if len(intersect([]Family{f}, rc.Families)) > 0 {
			n.MismatchPeer = append(n.MismatchPeer, f)
		}
	}
	if rc.Has(CapNextHop) && sc.Has(CapNextHop) {
		for _, t := range rc.NextHops {
			for _, u := range sc.NextHops {
				if t == u {
					n.NextHops = append(n.NextHops, t)
					break
				}
			}
		}
	}
	n.AddPath = addPath(sc, rc)
	return n, n.multiSession(sc, rc)
}

func intersect(a, b []Family) []Family {
	var r []Family
	for _, f := range a {
		for _, g := range b {
			if f == g {
				r = append(r, f)
				break
			}
		}
	}
	return r
}

func mismatch(s, r []Family) []Family {
	var m []Family
	for _, f := range s {
		if len(intersect([]Family{f}, r)) == 0 {
			m = append(m, f)
		}
	}
	for _, f := range r {
		if len(intersect([]Family{f}, s)) == 0 {
			m = append(m, f)
		}
	}
	return m
}

// addPath applies RFC 7911 §4: we send when we said send and they said
// receive, we receive when we said receive and they said send.
func addPath(sc, rc *Capabilities) map[Family]uint8 {
	m := map[Family]uint8{}
	set := func(f Family) {
		ours, theirs := sc.AddPathMode(f), rc.AddPathMode(f)
		var d uint8
		if ours&AddPathSend != 0 && theirs&AddPathReceive != 0 {
			d |= AddPathSend
		}
		if ours&AddPathReceive != 0 && theirs&AddPathSend != 0 {
			d |= AddPathReceive
		}
		if d != 0 {
			m[f] = d
		}
	}
	for _, a := range sc.AddPath {
		set(a.Family)
	}
	return m
}

// multiSession reproduces ExaBGP's check: both must agree, and a side that
// requires it with a peer that does not gets 2/9.
func (n *Negotiated) multiSession(sc, rc *Capabilities) error {
	n.MultiSession = (sc.MultiSession && rc.MultiSession) || (sc.MultiSessionCisco && rc.MultiSessionCisco)
	if !n.MultiSession {
		if sc.MultiSession {
			return &NotifyError{Code: CodeOpen, Subcode: SubcodeGroupingRequired,
				Reason: "multisession is mandatory with this peer"}
		}
		return nil
	}
	// ExaBGP ignores the value of a received multisession capability, so
	// the session ids it compares are always {multiprotocol}: what remains
	// is that the MP lists must be equal.
	if !sameFamilies(sc.Families, rc.Families) {
		return &NotifyError{Code: CodeOpen, Subcode: SubcodeGroupingConflict,
			Reason: "when checking session id, capability multiprotocol did not match"}
	}
	return nil
}

func sameFamilies(a, b []Family) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Validate applies ExaBGP's OPEN checks that need the configuration:
// peerAS (0 = any) must match (2/2), the peer's router id must not be
// 0.0.0.0 (2/3) nor ours on iBGP (2/3), its hold time must be 0 or ≥ 3
// (2/6).
func (n *Negotiated) Validate(peerAS, localAS uint32, localID netip.Addr) error {
	r := n.Received
	switch {
	case peerAS != 0 && n.PeerAS != peerAS:
		return &NotifyError{Code: CodeOpen, Subcode: SubcodeBadPeerAS, Reason: "ASN in OPEN did not match ASN expected"}
	case r.RouterID == netip.AddrFrom4([4]byte{}):
		return &NotifyError{Code: CodeOpen, Subcode: SubcodeBadBGPID, Reason: "0.0.0.0 is an invalid router_id"}
	case uint32(r.ASN) == localAS && r.RouterID == localID:
		return &NotifyError{Code: CodeOpen, Subcode: SubcodeBadBGPID,
			Reason: "BGP Identifier collision, same router-id on both sides of this IBGP session"}
	case r.HoldTime != 0 && r.HoldTime < MinHoldTime:
		return &NotifyError{Code: CodeOpen, Subcode: SubcodeUnacceptableHold, Reason: "Hold Time is invalid"}
	}
	return nil
}
