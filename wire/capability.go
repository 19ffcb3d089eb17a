package wire

import "unicode/utf8"

// Capability codes (IANA capability-codes, RFC 5492) ExaBGP 5.0 knows.
const (
	CapMultiprotocol     uint8 = 1   // RFC 4760
	CapRouteRefresh      uint8 = 2   // RFC 2918
	CapNextHop           uint8 = 5   // RFC 8950 extended next hop
	CapExtendedMessage   uint8 = 6   // RFC 8654
	CapGracefulRestart   uint8 = 64  // RFC 4724
	CapASN4              uint8 = 65  // RFC 6793
	CapMultiSession      uint8 = 68  // draft-ietf-idr-bgp-multisession
	CapAddPath           uint8 = 69  // RFC 7911
	CapEnhancedRefresh   uint8 = 70  // RFC 7313
	CapHostName          uint8 = 73  // draft-walton-bgp-hostname-capability
	CapSoftwareVersion   uint8 = 75  // draft-abraitis-bgp-version-capability
	CapRouteRefreshCisco uint8 = 128 // pre-standard route refresh
	CapMultiSessionCisco uint8 = 131 // Cisco multisession
	CapOperational       uint8 = 185 // ExaBGP's OPERATIONAL
)

// ADD-PATH send/receive modes (RFC 7911 §4).
const (
	AddPathReceive uint8 = 1
	AddPathSend    uint8 = 2
	AddPathBoth    uint8 = 3
)

// Graceful restart flags (RFC 4724 §3).
const (
	GRRestartState uint8 = 0x08 // restart flags nibble: R bit
	GRForwarding   uint8 = 0x80 // per-family: F bit
)

// MaxHostNameLen is the longest host or domain name ExaBGP sends; longer
// ones are truncated (also the software-version limit).
const MaxHostNameLen = 64

// AddPathFamily is one ADD-PATH capability entry (RFC 7911 §4).
type AddPathFamily struct {
	Family Family
	Mode   uint8 // AddPathReceive, AddPathSend or AddPathBoth
}

// NextHopTuple is one extended next hop capability entry (RFC 8950 §3):
// NLRI of Family may carry a next hop of NextHopAFI.
type NextHopTuple struct {
	Family     Family
	NextHopAFI AFI
}

// GRFamily is one graceful restart family with its flags (RFC 4724 §3).
type GRFamily struct {
	Family Family
	Flags  uint8
}

// GracefulRestart is the graceful restart capability value.
type GracefulRestart struct {
	Flags    uint8  // restart flags nibble (GRRestartState ...)
	Time     uint16 // restart time, 12 bits
	Families []GRFamily
}

// RawCapability is a capability kept as received (unknown codes).
type RawCapability struct {
	Code  uint8
	Value []byte
}

// Capabilities is every capability of an OPEN, typed. A Has* flag, a true
// bool or a non-nil slice means "announced". Repeated capabilities of one
// code are merged, as ExaBGP does (its Capabilities is a dict).
type Capabilities struct {
	Families           []Family // multiprotocol, in received order
	RouteRefresh       bool
	RouteRefreshCisco  bool
	EnhancedRefresh    bool
	NextHops           []NextHopTuple
	HasNextHop         bool // the capability was present, maybe empty
	ExtendedMessage    bool
	HasGracefulRestart bool
	GracefulRestart    GracefulRestart
	HasASN4            bool
	ASN4               uint32
	MultiSession       bool
	MultiSessionCisco  bool
	MultiSessionCodes  []uint8 // the codes after the 0 (ExaBGP: [CapMultiprotocol]); not negotiated
	HasAddPath         bool
	AddPath            []AddPathFamily
	HasHostName        bool // set only when a host name is configured
	HostName           string
	DomainName         string
	HasSoftwareVersion bool
	SoftwareVersion    string
	Operational        bool
	Unknown            []RawCapability
	// Order lists the distinct codes in the order first received, which is
	// the order ExaBGP prints them in JSON. Append ignores it.
	Order []uint8
}

// Has reports whether capability code was announced.
func (c *Capabilities) Has(code uint8) bool {
	switch code {
	case CapMultiprotocol:
		return len(c.Families) > 0
	case CapRouteRefresh:
		return c.RouteRefresh
	case CapRouteRefreshCisco:
		return c.RouteRefreshCisco
	case CapEnhancedRefresh:
		return c.EnhancedRefresh
	case CapNextHop:
		return c.HasNextHop || len(c.NextHops) > 0
	case CapExtendedMessage:
		return c.ExtendedMessage
	case CapGracefulRestart:
		return c.HasGracefulRestart
	case CapASN4:
		return c.HasASN4
	case CapMultiSession:
		return c.MultiSession
	case CapMultiSessionCisco:
		return c.MultiSessionCisco
	case CapAddPath:
		return c.HasAddPath
	case CapHostName:
		return c.HasHostName
	case CapSoftwareVersion:
		return c.HasSoftwareVersion
	case CapOperational:
		return c.Operational
	}
	for _, u := range c.Unknown {
		if u.Code == code {
			return true
		}
	}
	return false
}

// AddPathMode returns the ADD-PATH mode announced for f (0 if none).
func (c *Capabilities) AddPathMode(f Family) uint8 {
	for _, a := range c.AddPath {
		if a.Family == f {
			return a.Mode
		}
	}
	return 0
}

// CapabilityName is ExaBGP's JSON name of a capability code, or "unknown".
func CapabilityName(code uint8) string {
	switch code {
	case CapMultiprotocol:
		return "multiprotocol"
	case CapRouteRefresh, CapRouteRefreshCisco:
		return "route-refresh"
	case CapNextHop:
		return "nexthop"
	case CapExtendedMessage:
		return "extended-message"
	case CapGracefulRestart:
		return "graceful restart"
	case CapASN4:
		return "asn4"
	case CapMultiSession, CapMultiSessionCisco:
		return "multisession"
	case CapAddPath:
		return "addpath"
	case CapEnhancedRefresh:
		return "enhanced-route-refresh"
	case CapHostName:
		return "hostname"
	case CapSoftwareVersion:
		return "software-version"
	case CapOperational:
		return "operational"
	}
	return "unknown"
}

// AddPathModeName is ExaBGP's name of an ADD-PATH mode.
func AddPathModeName(m uint8) string {
	switch m {
	case 0:
		return "disabled"
	case AddPathReceive:
		return "receive"
	case AddPathSend:
		return "send"
	case AddPathBoth:
		return "send/receive"
	}
	return "invalid (" + utoa(uint64(m)) + ")"
}

func capError(reason string) error {
	return &NotifyError{Code: CodeOpen, Subcode: SubcodeUnspecific, Reason: reason}
}

// decodeCapability merges capability code with value v into c (RFC 5492
// §4). Errors are 2/0 as ExaBGP raises them.
func (c *Capabilities) decodeCapability(code uint8, v []byte) error {
	seen := false
	for _, o := range c.Order {
		if o == code {
			seen = true
			break
		}
	}
	if !seen {
		c.Order = append(c.Order, code)
	}
	switch code {
	case CapMultiprotocol:
		if len(v) < 4 {
			return capError("invalid multiprotocol capability")
		}
		c.Families = append(c.Families, Family{AFI(be.Uint16(v)), SAFI(v[3])})
	case CapRouteRefresh:
		c.RouteRefresh = true
	case CapRouteRefreshCisco:
		c.RouteRefreshCisco = true
	case CapEnhancedRefresh:
		c.EnhancedRefresh = true
	case CapExtendedMessage:
		c.ExtendedMessage = true
	case CapOperational:
		c.Operational = true
	case CapMultiSession, CapMultiSessionCisco:
		if code == CapMultiSession {
			c.MultiSession = true
		} else {
			c.MultiSessionCisco = true
		}
		for _, k := range v { // ExaBGP's layout: 0, then one code per capability
			if k != 0 {
				c.MultiSessionCodes = append(c.MultiSessionCodes, k)
			}
		}
	case CapNextHop:
		return c.decodeNextHop(v)
	case CapGracefulRestart:
		return c.decodeGraceful(v)
	case CapASN4:
		if len(v) != 4 {
			return capError("AS4 capability must be 4 bytes long")
		}
		c.HasASN4, c.ASN4 = true, be.Uint32(v)
	case CapAddPath:
		return c.decodeAddPath(v)
	case CapHostName:
		return c.decodeHostName(v)
	case CapSoftwareVersion:
		return c.decodeSoftware(v)
	default:
		c.Unknown = append(c.Unknown, RawCapability{Code: code, Value: v})
	}
	return nil
}

func (c *Capabilities) decodeNextHop(v []byte) error {
	c.HasNextHop = true
	for ; len(v) > 0; v = v[6:] {
		if len(v) < 6 {
			return capError("invalid extended next-hop capability, trailing data")
		}
		t := NextHopTuple{Family{AFI(be.Uint16(v)), SAFI(v[3])}, AFI(be.Uint16(v[4:]))}
		dup := false
		for _, o := range c.NextHops {
			dup = dup || o == t
		}
		if !dup {
			c.NextHops = append(c.NextHops, t)
		}
	}
	return nil
}

func (c *Capabilities) decodeGraceful(v []byte) error {
	if len(v) < 2 {
		return capError("invalid graceful-restart capability, not enough data for the header")
	}
	g := GracefulRestart{Flags: v[0] >> 4, Time: be.Uint16(v) & 0x0fff}
	for v = v[2:]; len(v) > 0; v = v[4:] {
		if len(v) < 4 {
			return capError("invalid graceful-restart capability, trailing data")
		}
		g.Families = append(g.Families, GRFamily{Family{AFI(be.Uint16(v)), SAFI(v[2])}, v[3] & GRForwarding})
	}
	c.HasGracefulRestart, c.GracefulRestart = true, g
	return nil
}

func (c *Capabilities) decodeAddPath(v []byte) error {
	c.HasAddPath = true
	for ; len(v) > 0; v = v[4:] {
		if len(v) < 4 {
			return capError("invalid ADD-PATH capability, trailing data")
		}
		e := AddPathFamily{Family{AFI(be.Uint16(v)), SAFI(v[2])}, v[3]}
		replaced := false
		for i := range c.AddPath {
			if c.AddPath[i].Family == e.Family {
				c.AddPath[i], replaced = e, true
			}
		}
		if !replaced {
			c.AddPath = append(c.AddPath, e)
		}
	}
	return nil
}

func (c *Capabilities) decodeHostName(v []byte) error {
	c.HasHostName = true
	if len(v) == 0 {
		return nil
	}
	l1 := int(v[0])
	if len(v) < l1+1 {
		return capError("Hostname capability truncated")
	}
	if !utf8.Valid(v[1 : l1+1]) {
		return capError("the host name in the capability is not valid UTF-8")
	}
	c.HostName = string(v[1 : l1+1])
	if l1+1 < len(v) {
		l2 := int(v[l1+1])
		if len(v) < l1+2+l2 {
			return capError("Hostname capability truncated")
		}
		d := v[l1+2 : l1+2+l2]
		if !utf8.Valid(d) {
			return capError("the domain name in the capability is not valid UTF-8")
		}
		c.DomainName = string(d)
	}
	return nil
}

func (c *Capabilities) decodeSoftware(v []byte) error {
	if len(v) == 0 {
		return capError("Software capability too short: need at least 1 byte")
	}
	l := int(v[0])
	if len(v) < l+1 {
		return capError("Software capability truncated")
	}
	if !utf8.Valid(v[1 : l+1]) {
		return capError("the software version in the capability is not valid UTF-8")
	}
	c.HasSoftwareVersion, c.SoftwareVersion = true, string(v[1:l+1])
	return nil
}

// capWriter appends capabilities, each in its own optional parameter of
// type 2 (ExaBGP's layout), with 1- or 2-octet parameter lengths.
type capWriter struct {
	b        []byte
	extended bool // RFC 9072 2-octet parameter length
}

func (w *capWriter) add(code uint8, value ...[]byte) {
	n := 0
	for _, v := range value {
		n += len(v)
	}
	w.b = append(w.b, 2)
	if w.extended {
		w.b = appendU16(w.b, uint16(n+2))
	} else {
		w.b = append(w.b, byte(n+2))
	}
	w.b = append(w.b, code, byte(n))
	for _, v := range value {
		w.b = append(w.b, v...)
	}
}

// appendCapabilities appends every capability in ExaBGP's fixed order: MP
// (each family on its own), ASN4, NEXTHOP, ADD-PATH, GR, RR + ERR (and the
// Cisco variant), OPERATIONAL, EXTENDED-MESSAGE, HOSTNAME,
// SOFTWARE-VERSION, MULTISESSION, then unknown ones.
func (c *Capabilities) append(w *capWriter) {
	var t [8]byte
	for _, f := range c.Families {
		be.PutUint16(t[:], uint16(f.AFI))
		t[2], t[3] = 0, byte(f.SAFI)
		w.add(CapMultiprotocol, t[:4])
	}
	if c.HasASN4 {
		be.PutUint32(t[:], c.ASN4)
		w.add(CapASN4, t[:4])
	}
	if c.Has(CapNextHop) {
		c.appendNextHop(w)
	}
	if c.HasAddPath {
		c.appendAddPath(w)
	}
	if c.HasGracefulRestart {
		c.appendGraceful(w)
	}
	if c.RouteRefresh {
		w.add(CapRouteRefresh)
	}
	if c.EnhancedRefresh {
		w.add(CapEnhancedRefresh)
	}
	if c.RouteRefreshCisco {
		w.add(CapRouteRefreshCisco)
	}
	if c.Operational {
		w.add(CapOperational)
	}
	if c.ExtendedMessage {
		w.add(CapExtendedMessage)
	}
	if c.HasHostName {
		h, d := truncate(c.HostName), truncate(c.DomainName)
		w.add(CapHostName, []byte{byte(len(h))}, []byte(h), []byte{byte(len(d))}, []byte(d))
	}
	if c.HasSoftwareVersion {
		s := c.SoftwareVersion
		if len(s) > MaxHostNameLen {
			s = s[:MaxHostNameLen-3] + "..."
		}
		w.add(CapSoftwareVersion, []byte{byte(len(s))}, []byte(s))
	}
	c.appendMultiSession(w)
	for _, u := range c.Unknown {
		w.add(u.Code, u.Value)
	}
}

func truncate(s string) string {
	if len(s) > MaxHostNameLen {
		return s[:MaxHostNameLen]
	}
	return s
}

func (c *Capabilities) appendNextHop(w *capWriter) {
	v := make([]byte, 0, 6*len(c.NextHops))
	for _, n := range c.NextHops {
		v = appendU16(v, uint16(n.Family.AFI))
		v = append(v, 0, byte(n.Family.SAFI))
		v = appendU16(v, uint16(n.NextHopAFI))
	}
	w.add(CapNextHop, v)
}

// appendAddPath writes every entry (leave disabled families out, as
// ExaBGP does).
func (c *Capabilities) appendAddPath(w *capWriter) {
	v := make([]byte, 0, 4*len(c.AddPath))
	for _, a := range c.AddPath {
		v = appendU16(v, uint16(a.Family.AFI))
		v = append(v, byte(a.Family.SAFI), a.Mode)
	}
	w.add(CapAddPath, v)
}

func (c *Capabilities) appendGraceful(w *capWriter) {
	g := &c.GracefulRestart
	v := make([]byte, 0, 2+4*len(g.Families))
	v = appendU16(v, uint16(g.Flags&0x0f)<<12|g.Time&0x0fff)
	for _, f := range g.Families {
		v = appendU16(v, uint16(f.Family.AFI))
		v = append(v, byte(f.Family.SAFI), f.Flags)
	}
	w.add(CapGracefulRestart, v)
}

// appendMultiSession writes ExaBGP's multisession layout: one capability
// holding 0, then one per listed code (each its own capability).
func (c *Capabilities) appendMultiSession(w *capWriter) {
	for _, ms := range [...]struct {
		on   bool
		code uint8
	}{{c.MultiSession, CapMultiSession}, {c.MultiSessionCisco, CapMultiSessionCisco}} {
		if !ms.on {
			continue
		}
		w.add(ms.code, []byte{0})
		for _, k := range c.MultiSessionCodes {
			w.add(ms.code, []byte{k})
		}
	}
}
