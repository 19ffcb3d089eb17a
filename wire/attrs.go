package wire

import "net/netip"

// Path attribute type codes (IANA bgp-parameters-2).
const (
	AttrOrigin           uint8 = 1
	AttrASPath           uint8 = 2
	AttrNextHop          uint8 = 3
	AttrMED              uint8 = 4
	AttrLocalPref        uint8 = 5
	AttrAtomicAggregate  uint8 = 6
	AttrAggregator       uint8 = 7
	AttrCommunities      uint8 = 8
	AttrOriginatorID     uint8 = 9
	AttrClusterList      uint8 = 10
	AttrMPReach          uint8 = 14
	AttrMPUnreach        uint8 = 15
	AttrExtCommunities   uint8 = 16
	AttrAS4Path          uint8 = 17
	AttrAS4Aggregator    uint8 = 18
	AttrPMSI             uint8 = 22
	AttrAIGP             uint8 = 26
	AttrBGPLS            uint8 = 29
	AttrLargeCommunities uint8 = 32
	AttrPrefixSID        uint8 = 40
)

// Attribute flags (RFC 4271 §4.3).
const (
	FlagOptional   uint8 = 0x80
	FlagTransitive uint8 = 0x40
	FlagPartial    uint8 = 0x20
	FlagExtLen     uint8 = 0x10
)

// ORIGIN values (RFC 4271 §5.1.1).
const (
	OriginIGP        uint8 = 0
	OriginEGP        uint8 = 1
	OriginIncomplete uint8 = 2
)

// AS_PATH segment types (RFC 4271 §4.3, RFC 5065 §3).
const (
	ASSet            uint8 = 1
	ASSequence       uint8 = 2
	ASConfedSequence uint8 = 3
	ASConfedSet      uint8 = 4
)

// ASSegment is one AS_PATH segment; ASNs are always held as 4-octet values.
type ASSegment struct {
	Type uint8
	ASNs []uint32
}

// Aggregator is the AGGREGATOR attribute (RFC 4271 §5.1.7), ASN 4-octet.
type Aggregator struct {
	ASN  uint32
	Addr netip.Addr
}

// LargeCommunity is one RFC 8092 large community.
type LargeCommunity struct{ Global, Local1, Local2 uint32 }

// ExtCommunity is one RFC 4360 extended community (8 octets; 20-octet IPv6
// extended communities stay in Other as attribute 25). attr_extcomm.go
// builds and names the kinds ExaBGP knows.
type ExtCommunity [8]byte

// RawAttr is an attribute kept as it is on the wire: unknown codes, and the
// attributes ExaBGP carries opaquely (PMSI, prefix-SID, BGP-LS, ...) until
// their typed form is needed. Value excludes the flags/code/length header.
type RawAttr struct {
	Flags uint8
	Code  uint8
	Value []byte
}

// Attributes is the typed, session-independent form of a route's path
// attributes, as configuration and the API build them and as the UPDATE
// builder encodes them (ascending type-code order, ExaBGP's defaults applied
// by the builder, not here). A Has* flag or a nil slice means "absent".
// NEXT_HOP is not here: it belongs to the route (it may travel in MP_REACH).
type Attributes struct {
	HasOrigin        bool
	Origin           uint8
	HasASPath        bool
	ASPath           []ASSegment
	HasMED           bool
	MED              uint32
	HasLocalPref     bool
	LocalPref        uint32
	AtomicAggregate  bool
	HasAggregator    bool
	Aggregator       Aggregator
	Communities      []uint32
	HasOriginatorID  bool
	OriginatorID     netip.Addr
	ClusterList      []netip.Addr
	ExtCommunities   []ExtCommunity
	LargeCommunities []LargeCommunity
	HasAIGP          bool
	AIGP             uint64
	// Other holds every other attribute (PMSI, prefix-SID, generic
	// `attribute [ code flags value ]`, unknown received ones), encoded.
	// [Attributes.Append] merges them by code among the typed ones (slice
	// order within a code) with their own flags; decoding sets the Partial
	// bit on unknown transitive ones and drops unknown non-transitive ones.
	Other []RawAttr
}
