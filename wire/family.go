package wire

// AFI is an address family identifier (IANA address-family-numbers).
type AFI uint16

// SAFI is a subsequent address family identifier (IANA safi-namespace).
type SAFI uint8

// AFIs ExaBGP 5.0 knows.
const (
	AFIIPv4  AFI = 1
	AFIIPv6  AFI = 2
	AFIL2VPN AFI = 25
	AFIBGPLS AFI = 16388
)

// SAFIs ExaBGP 5.0 knows.
const (
	SAFIUnicast   SAFI = 1
	SAFIMulticast SAFI = 2
	SAFIMPLS      SAFI = 4 // "nlri-mpls", RFC 8277
	SAFIMcastVPN  SAFI = 5
	SAFIVPLS      SAFI = 65
	SAFIEVPN      SAFI = 70
	SAFIBGPLS     SAFI = 71
	SAFIBGPLSVPN  SAFI = 72
	SAFIMUP       SAFI = 85
	SAFIVPN       SAFI = 128 // "mpls-vpn"
	SAFIRTC       SAFI = 132
	SAFIFlow      SAFI = 133
	SAFIFlowVPN   SAFI = 134
)

// Family is an AFI/SAFI pair. It is comparable and usable as a map key.
type Family struct {
	AFI  AFI
	SAFI SAFI
}

// Families ExaBGP 5.0 registers, in ExaBGP's order of AFI then SAFI.
var (
	IPv4Unicast   = Family{AFIIPv4, SAFIUnicast}
	IPv4Multicast = Family{AFIIPv4, SAFIMulticast}
	IPv4MPLS      = Family{AFIIPv4, SAFIMPLS}
	IPv4McastVPN  = Family{AFIIPv4, SAFIMcastVPN}
	IPv4MUP       = Family{AFIIPv4, SAFIMUP}
	IPv4VPN       = Family{AFIIPv4, SAFIVPN}
	IPv4RTC       = Family{AFIIPv4, SAFIRTC}
	IPv4Flow      = Family{AFIIPv4, SAFIFlow}
	IPv4FlowVPN   = Family{AFIIPv4, SAFIFlowVPN}
	IPv6Unicast   = Family{AFIIPv6, SAFIUnicast}
	IPv6Multicast = Family{AFIIPv6, SAFIMulticast}
	IPv6MPLS      = Family{AFIIPv6, SAFIMPLS}
	IPv6McastVPN  = Family{AFIIPv6, SAFIMcastVPN}
	IPv6MUP       = Family{AFIIPv6, SAFIMUP}
	IPv6VPN       = Family{AFIIPv6, SAFIVPN}
	IPv6Flow      = Family{AFIIPv6, SAFIFlow}
	IPv6FlowVPN   = Family{AFIIPv6, SAFIFlowVPN}
	L2VPNVPLS     = Family{AFIL2VPN, SAFIVPLS}
	L2VPNEVPN     = Family{AFIL2VPN, SAFIEVPN}
	BGPLS         = Family{AFIBGPLS, SAFIBGPLS}
	BGPLSVPN      = Family{AFIBGPLS, SAFIBGPLSVPN}
)

// AllFamilies lists the 21 families ExaBGP 5.0 registers, sorted by AFI then
// SAFI: what a neighbor without a family block announces.
var AllFamilies = [...]Family{
	IPv4Unicast, IPv4Multicast, IPv4MPLS, IPv4McastVPN, IPv4MUP, IPv4VPN, IPv4RTC, IPv4Flow, IPv4FlowVPN,
	IPv6Unicast, IPv6Multicast, IPv6MPLS, IPv6McastVPN, IPv6MUP, IPv6VPN, IPv6Flow, IPv6FlowVPN,
	L2VPNVPLS, L2VPNEVPN, BGPLS, BGPLSVPN,
}

// String returns ExaBGP's name of the AFI ("ipv4", "bgp-ls", ...), or
// "unknown-afi-0xNN" as ExaBGP prints it.
func (a AFI) String() string {
	switch a {
	case AFIIPv4:
		return "ipv4"
	case AFIIPv6:
		return "ipv6"
	case AFIL2VPN:
		return "l2vpn"
	case AFIBGPLS:
		return "bgp-ls"
	}
	return "unknown-afi-0x" + hex16(uint16(a))
}

var safiNames = map[SAFI]string{
	SAFIUnicast: "unicast", SAFIMulticast: "multicast", SAFIMPLS: "nlri-mpls",
	SAFIMcastVPN: "mcast-vpn", SAFIVPLS: "vpls", SAFIEVPN: "evpn", SAFIBGPLS: "bgp-ls",
	SAFIBGPLSVPN: "bgp-ls-vpn", SAFIMUP: "mup", SAFIVPN: "mpls-vpn", SAFIRTC: "rtc",
	SAFIFlow: "flow", SAFIFlowVPN: "flow-vpn",
}

// String returns ExaBGP's name of the SAFI ("unicast", "nlri-mpls", ...).
func (s SAFI) String() string {
	if n, ok := safiNames[s]; ok {
		return n
	}
	return "unknown-safi-0x" + hex16(uint16(s))
}

// String returns "afi safi" as ExaBGP prints families in JSON keys.
func (f Family) String() string { return f.AFI.String() + " " + f.SAFI.String() }

// Known reports whether ExaBGP 5.0 registers the family.
func (f Family) Known() bool {
	for _, k := range AllFamilies {
		if k == f {
			return true
		}
	}
	return false
}

// ParseAFI maps ExaBGP's AFI name to its code.
func ParseAFI(s string) (AFI, bool) {
	switch s {
	case "ipv4":
		return AFIIPv4, true
	case "ipv6":
		return AFIIPv6, true
	case "l2vpn":
		return AFIL2VPN, true
	case "bgp-ls", "bgpls":
		return AFIBGPLS, true
	}
	return 0, false
}

// ParseSAFI maps ExaBGP's SAFI name to its code.
func ParseSAFI(s string) (SAFI, bool) {
	for k, v := range safiNames {
		if v == s {
			return k, true
		}
	}
	return 0, false
}

func hex16(v uint16) string {
	const digits = "0123456789abcdef"
	if v < 0x100 {
		return string([]byte{digits[v>>4], digits[v&15]})
	}
	return string([]byte{digits[v>>12], digits[(v>>8)&15], digits[(v>>4)&15], digits[v&15]})
}
