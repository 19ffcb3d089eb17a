package peer

import (
	"net/netip"
	"strconv"

	"exago/config"
	"exago/wire"
)

// ExaBGP's fixed orders for the ADD-PATH and extended next hop capabilities
// (bgp/message/open/capability/capabilities.py).
var (
	addPathOrder = [...]wire.Family{
		wire.IPv4Unicast, wire.IPv6Unicast, wire.IPv4MPLS, wire.IPv6MPLS,
		wire.IPv4VPN, wire.IPv6VPN, wire.IPv4MUP, wire.IPv6MUP,
	}
	nextHopOrder = [...]wire.NextHopTuple{
		{Family: wire.IPv4Unicast, NextHopAFI: wire.AFIIPv6},
		{Family: wire.IPv4Multicast, NextHopAFI: wire.AFIIPv6},
		{Family: wire.IPv4MPLS, NextHopAFI: wire.AFIIPv6},
		{Family: wire.IPv4VPN, NextHopAFI: wire.AFIIPv6},
	}
)

// localAS is the AS our OPEN speaks for: the configured local-as, or with
// `local-as auto` the AS of the peer's OPEN (ExaBGP then reads first).
func (p *Peer) localAS() uint32 {
	if p.n.LocalAS.Auto && p.s.recvOpen != nil {
		return p.s.recvOpen.PeerAS()
	}
	return p.n.LocalAS.Value
}

// buildOpen returns the OPEN we send, with ExaBGP's capabilities
// (Capabilities.new: MP per family, ASN4, NEXTHOP, ADD-PATH, GR, RR+ERR,
// OPERATIONAL, EXTENDED-MESSAGE, HOSTNAME, SOFTWARE-VERSION, MULTISESSION;
// wire.Open.Append writes them in that order).
func (p *Peer) buildOpen() wire.Open {
	n, c := p.n, &p.n.Capability
	var caps wire.Capabilities
	caps.Families = n.Families
	as := p.localAS()
	if c.ASN4 {
		caps.HasASN4, caps.ASN4 = true, as
	}
	if c.NextHop == config.On {
		caps.HasNextHop, caps.NextHops = true, p.nextHopCaps()
	}
	if c.AddPath != 0 {
		caps.HasAddPath = true
		for _, f := range addPathOrder {
			if hasFamily(n.AddPath, f) {
				caps.AddPath = append(caps.AddPath, wire.AddPathFamily{Family: f, Mode: c.AddPath})
			}
		}
	}
	if p.grEnabled() {
		caps.HasGracefulRestart, caps.GracefulRestart = true, p.gracefulCap()
	}
	caps.RouteRefresh, caps.EnhancedRefresh = c.RouteRefresh, c.RouteRefresh
	caps.Operational = c.Operational
	caps.ExtendedMessage = c.ExtendedMessage
	if n.HostName != "" {
		caps.HasHostName, caps.HostName, caps.DomainName = true, n.HostName, n.DomainName
	}
	if c.SoftwareVersion {
		caps.HasSoftwareVersion, caps.SoftwareVersion = true, p.opts.SoftwareVersion
	}
	if c.MultiSession {
		caps.MultiSession = true
		caps.MultiSessionCodes = []uint8{wire.CapMultiprotocol}
	}
	rid := p.routerID()
	if !rid.Is4() {
		rid = netip.IPv4Unspecified() // no IPv4 identifier at all: the peer answers 2/3
	}
	return wire.NewOpen(as, n.HoldTime, rid, caps)
}

// nextHopCaps are the configured RFC 8950 tuples in ExaBGP's order.
func (p *Peer) nextHopCaps() []wire.NextHopTuple {
	var l []wire.NextHopTuple
	for _, t := range nextHopOrder {
		for _, u := range p.n.NextHops {
			if u.Family == t.Family && u.NextHopAFI == t.NextHopAFI {
				l = append(l, t)
			}
		}
	}
	return l
}

// gracefulCap is ExaBGP's graceful restart capability: the R bit unless
// the peer was stopped, the configured time, every family with F set.
func (p *Peer) gracefulCap() wire.GracefulRestart {
	g := wire.GracefulRestart{Time: uint16(p.n.Capability.GracefulRestart)}
	if p.restarted {
		g.Flags = wire.GRRestartState
	}
	for _, f := range p.n.Families {
		g.Families = append(g.Families, wire.GRFamily{Family: f, Flags: wire.GRForwarding})
	}
	return g
}

// grEnabled reports whether graceful restart is configured: config uses -1
// for "disable" (ExaBGP's false); 0 is a valid restart time.
func (p *Peer) grEnabled() bool { return p.n.Capability.GracefulRestart >= 0 }

// validateOpen applies ExaBGP's checks on the peer's OPEN
// (negotiated.py validate), with ExaBGP's NOTIFICATION texts, after the
// multisession result of wire.Negotiate (msErr).
func (p *Peer) validateOpen(neg *Negotiated, msErr error) error {
	recv := neg.Received
	if !p.n.PeerAS.Auto && neg.PeerAS != p.n.PeerAS.Value {
		return &wire.NotifyError{Code: wire.CodeOpen, Subcode: wire.SubcodeBadPeerAS,
			Reason: "ASN in OPEN (" + strconv.Itoa(int(recv.ASN)) + ") did not match ASN expected (" +
				strconv.FormatUint(uint64(p.n.PeerAS.Value), 10) + ")"}
	}
	if !recv.RouterID.IsValid() || recv.RouterID.IsUnspecified() {
		return &wire.NotifyError{Code: wire.CodeOpen, Subcode: wire.SubcodeBadBGPID,
			Reason: "0.0.0.0 is an invalid router_id"}
	}
	if uint32(recv.ASN) == p.localAS() && recv.RouterID == p.n.RouterID {
		return &wire.NotifyError{Code: wire.CodeOpen, Subcode: wire.SubcodeBadBGPID,
			Reason: "BGP Identifier collision, same router-id (" + recv.RouterID.String() +
				") on both sides of this IBGP session"}
	}
	if recv.HoldTime > 0 && recv.HoldTime < wire.MinHoldTime {
		return &wire.NotifyError{Code: wire.CodeOpen, Subcode: wire.SubcodeUnacceptableHold,
			Reason: "Hold Time is invalid (" + strconv.Itoa(int(recv.HoldTime)) + ")"}
	}
	return msErr
}

func hasFamily(l []wire.Family, f wire.Family) bool {
	for _, g := range l {
		if g == f {
			return true
		}
	}
	return false
}
