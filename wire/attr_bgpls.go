package wire

// BGP-LS attribute (type 29), RFC 9552 §5.3: a sequence of TLVs (type and
// length 2 bytes each) describing a node, link or prefix, plus the SR and
// SRv6 TLVs of RFC 9085 and RFC 9514. The attribute is carried as bytes
// (RawAttr) and walked with [NewLSTLVs]; CheckLSAttr validates it as
// ExaBGP 5.0 does when it decodes one.
//
// RFC 9552 §8.2.2: a malformed BGP-LS attribute is discarded
// (attribute-discard); CheckLSAttr's error says so.

// BGP-LS attribute TLV codes ExaBGP 5.0 decodes (RFC 9552 §5.3, RFC 9085,
// RFC 9514). Every other code is shown as "generic-lsid-N".
const (
	LSAttrNodeFlags            uint16 = 1024
	LSAttrNodeOpaque           uint16 = 1025
	LSAttrNodeName             uint16 = 1026
	LSAttrISISArea             uint16 = 1027
	LSAttrLocalTERouterID4     uint16 = 1028
	LSAttrLocalTERouterID6     uint16 = 1029
	LSAttrRemoteTERouterID4    uint16 = 1030
	LSAttrRemoteTERouterID6    uint16 = 1031
	LSAttrSRCapabilities       uint16 = 1034
	LSAttrSRAlgorithm          uint16 = 1035
	LSAttrSRv6Capabilities     uint16 = 1038
	LSAttrAdminGroup           uint16 = 1088
	LSAttrMaxBandwidth         uint16 = 1089
	LSAttrMaxRsvBandwidth      uint16 = 1090
	LSAttrUnrsvBandwidth       uint16 = 1091
	LSAttrTEMetric             uint16 = 1092
	LSAttrLinkProtection       uint16 = 1093
	LSAttrMPLSMask             uint16 = 1094
	LSAttrIGPMetric            uint16 = 1095
	LSAttrSRLG                 uint16 = 1096
	LSAttrLinkOpaque           uint16 = 1097
	LSAttrLinkName             uint16 = 1098
	LSAttrSRAdjacency          uint16 = 1099
	LSAttrSRAdjacencyLAN       uint16 = 1100
	LSAttrSRv6EndX             uint16 = 1106
	LSAttrSRv6LANEndXISIS      uint16 = 1107
	LSAttrSRv6LANEndXOSPF      uint16 = 1108
	LSAttrIGPFlags             uint16 = 1152
	LSAttrIGPRouteTags         uint16 = 1153
	LSAttrIGPExtRouteTags      uint16 = 1154
	LSAttrPrefixMetric         uint16 = 1155
	LSAttrOSPFFwdAddr          uint16 = 1156
	LSAttrPrefixOpaque         uint16 = 1157
	LSAttrSRPrefix             uint16 = 1158
	LSAttrSRv6Locator          uint16 = 1162
	LSAttrSRPrefixAttrFlags    uint16 = 1170
	LSAttrSRSourceRouterID     uint16 = 1171
	LSAttrSRv6EndpointBehavior uint16 = 1250
	LSAttrSRv6SIDStructure     uint16 = 1252
)

// lsAttrSize gives ExaBGP's size rule of a TLV: exact size (>0), multiple
// of (-n), or 0 for a rule checked in lsAttrCheckOne.
var lsAttrSize = map[uint16]int{
	LSAttrNodeFlags: 1, LSAttrAdminGroup: 4, LSAttrMaxBandwidth: 4, LSAttrMaxRsvBandwidth: 4,
	LSAttrUnrsvBandwidth: 32, LSAttrTEMetric: 4, LSAttrLinkProtection: 2, LSAttrMPLSMask: 1,
	LSAttrIGPFlags: 1, LSAttrPrefixMetric: 4, LSAttrSRLG: -4, LSAttrIGPRouteTags: -4,
	LSAttrIGPExtRouteTags: -8,
}

// lsAttrMin gives the minimum size of the TLVs ExaBGP reads a header of.
var lsAttrMin = map[uint16]int{
	LSAttrISISArea: 1, LSAttrSRCapabilities: 1, LSAttrSRAdjacency: 2, LSAttrSRAdjacencyLAN: 10,
	LSAttrSRv6EndX: 22, LSAttrSRv6LANEndXISIS: 28, LSAttrSRv6LANEndXOSPF: 22, LSAttrSRPrefix: 2,
	LSAttrSRv6Locator: 8, LSAttrSRPrefixAttrFlags: 1, LSAttrSRv6EndpointBehavior: 4,
	LSAttrSRv6SIDStructure: 4, LSAttrSRv6Capabilities: 0,
}

// CheckLSAttr validates a BGP-LS attribute value: TLV framing and the
// sizes ExaBGP checks. The error is a *NotifyError 3/5 (Attribute Length
// Error) with Action AttrDiscard (RFC 9552 §8.2.2).
func CheckLSAttr(v []byte) error {
	for len(v) > 0 {
		if len(v) < 4 {
			return lsAttrErr("Invalid BGP-LS attribute, truncated TLV header")
		}
		l := 4 + int(afU16(v[2:]))
		if l > len(v) {
			return lsAttrErr("Invalid BGP-LS attribute, TLV runs past the attribute")
		}
		if err := lsAttrCheckOne(afU16(v), v[4:l]); err != nil {
			return err
		}
		v = v[l:]
	}
	return nil
}

func lsAttrErr(reason string) *NotifyError {
	return &NotifyError{Code: CodeUpdate, Subcode: 5, Action: AttrDiscard, Attr: AttrBGPLS, Reason: reason}
}

// lsAttrCheckOne applies one TLV's size rule.
func lsAttrCheckOne(t uint16, v []byte) error {
	if n, ok := lsAttrSize[t]; ok {
		if (n > 0 && len(v) != n) || (n < 0 && len(v)%-n != 0) {
			return lsAttrErr("Unable to decode BGP-LS attribute TLV, wrong size")
		}
		return nil
	}
	if n, ok := lsAttrMin[t]; ok && len(v) < n {
		return lsAttrErr("Unable to decode BGP-LS attribute TLV, not enough data")
	}
	switch t {
	case LSAttrNodeName, LSAttrLinkName:
		if len(v) > 255 {
			return lsAttrErr("BGP-LS name TLV length too large")
		}
	case LSAttrLocalTERouterID4, LSAttrLocalTERouterID6, LSAttrRemoteTERouterID4, LSAttrRemoteTERouterID6,
		LSAttrOSPFFwdAddr, LSAttrSRSourceRouterID:
		if len(v) != 4 && len(v) != 16 {
			return lsAttrErr("BGP-LS router-ID or address TLV is not 4 or 16 bytes")
		}
	case LSAttrIGPMetric:
		if len(v) < 1 || len(v) > 3 {
			return lsAttrErr("Incorrect IGP Metric Size")
		}
	case LSAttrSRCapabilities:
		return lsCheckSRCap(v)
	}
	return nil
}

// lsCheckSRCap checks the SID/Label ranges of SR Capabilities (RFC 9085
// §2.1.2): range size (3), sub-TLV 1161 with a 3 or 4 byte SID/label.
func lsCheckSRCap(v []byte) error {
	if len(v) < 2 {
		return nil
	}
	for v = v[2:]; len(v) > 0; {
		if len(v) < 7 || afU16(v[3:]) != 1161 {
			return lsAttrErr("Unable to decode SR Capabilities, truncated range or invalid sub-TLV")
		}
		v = v[min(len(v), 7+int(afU16(v[5:]))):]
	}
	return nil
}
