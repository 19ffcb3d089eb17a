package wire

import "unicode/utf8"

// Subcodes ExaGo sends by name (RFC 4271 §4.5, RFC 4486, RFC 5492,
// RFC 6608, RFC 7313).
const (
	SubcodeUnspecific uint8 = 0

	SubcodeUnsupportedVersion  uint8 = 1 // OPEN
	SubcodeBadPeerAS           uint8 = 2
	SubcodeBadBGPID            uint8 = 3
	SubcodeUnsupportedParam    uint8 = 4
	SubcodeUnacceptableHold    uint8 = 6
	SubcodeUnsupportedCap      uint8 = 7
	SubcodeGroupingConflict    uint8 = 8 // draft-ietf-idr-bgp-multisession
	SubcodeGroupingRequired    uint8 = 9
	SubcodeCapabilityMismatch  uint8 = 10
	SubcodeMalformedAttrList   uint8 = 1 // UPDATE
	SubcodeUnrecognizedWK      uint8 = 2
	SubcodeMissingWK           uint8 = 3
	SubcodeAttrFlags           uint8 = 4
	SubcodeAttrLength          uint8 = 5
	SubcodeInvalidOrigin       uint8 = 6
	SubcodeInvalidNextHop      uint8 = 8
	SubcodeOptionalAttr        uint8 = 9
	SubcodeInvalidNetwork      uint8 = 10
	SubcodeMalformedASPath     uint8 = 11
	SubcodeMaxPrefixes         uint8 = 1 // Cease, RFC 4486
	SubcodeAdminShutdown       uint8 = 2
	SubcodePeerDeconfigured    uint8 = 3
	SubcodeAdminReset          uint8 = 4
	SubcodeConnectionRejected  uint8 = 5
	SubcodeOtherConfigChange   uint8 = 6
	SubcodeCollision           uint8 = 7
	SubcodeOutOfResources      uint8 = 8
	SubcodeInvalidRefreshLen   uint8 = 1 // ROUTE-REFRESH, RFC 7313 §5
	SubcodeMalformedRefreshSub uint8 = 2
)

// MaxShutdownCommunication is the longest shutdown communication ExaBGP
// accepts (RFC 8203's 128; RFC 9003 allows 255).
const MaxShutdownCommunication = 128

// Notification is a NOTIFICATION message (RFC 4271 §4.5). Data aliases
// the message it was decoded from.
type Notification struct {
	Code    uint8
	Subcode uint8
	Data    []byte
}

// DecodeNotification decodes a NOTIFICATION body. A body shorter than two
// octets is not an error to answer (RFC 4271 §6.5 forbids answering a
// NOTIFICATION): like ExaBGP it yields code 0/0 with an explanatory Data.
func DecodeNotification(body []byte) Notification {
	if len(body) < 2 {
		return Notification{Data: []byte("peer sent a NOTIFICATION too short to carry a code")}
	}
	return Notification{Code: body[0], Subcode: body[1], Data: body[2:]}
}

// Append appends n as a complete NOTIFICATION message.
func (n Notification) Append(b []byte) []byte {
	b, s := BeginMessage(b, TypeNotification)
	b = append(b, n.Code, n.Subcode)
	b = append(b, n.Data...)
	return EndMessage(b, s)
}

// AppendNotification appends the NOTIFICATION ExaBGP sends for code/subcode
// with text: text is carried as Data, and for Cease 6/2 and 6/4 it is a
// length-prefixed RFC 9003 shutdown communication (truncated to 255 bytes
// on a UTF-8 boundary). An empty text uses the subcode's name, as ExaBGP's
// Notify does.
func AppendNotification(b []byte, code, subcode uint8, text string) []byte {
	if text == "" {
		text = SubcodeName(code, subcode)
		if text == "unknow reason" {
			text = "unknown notification type"
		}
	}
	b, s := BeginMessage(b, TypeNotification)
	b = append(b, code, subcode)
	if code == CodeCease && (subcode == SubcodeAdminShutdown || subcode == SubcodeAdminReset) {
		text = truncateUTF8(text, 255)
		b = append(b, byte(len(text)))
	}
	b = append(b, text...)
	return EndMessage(b, s)
}

// IsShutdown reports whether n is a Cease that may carry an RFC 9003
// shutdown communication (6/2 Administrative Shutdown, 6/4 Administrative
// Reset).
func (n Notification) IsShutdown() bool {
	return n.Code == CodeCease && (n.Subcode == SubcodeAdminShutdown || n.Subcode == SubcodeAdminReset)
}

// AppendText appends the data as ExaBGP stores and prints it: the raw Data,
// except for 6/2 and 6/4 where the shutdown communication is decoded
// (`Shutdown Communication: "msg"`, or ExaBGP's "invalid Shutdown
// Communication (...)" / "empty Shutdown Communication." texts).
func (n Notification) AppendText(b []byte) []byte {
	if !n.IsShutdown() || len(n.Data) == 0 {
		return append(b, n.Data...)
	}
	l, d := int(n.Data[0]), n.Data[1:]
	switch {
	case l == 0:
		return append(b, "empty Shutdown Communication."...)
	case len(d) < l:
		return invalidShutdown(b, "buffer underrun", l, d)
	case l > MaxShutdownCommunication:
		return invalidShutdown(b, "too large", l, d)
	case !utf8.Valid(d[:l]):
		return invalidShutdown(b, "invalid UTF-8", l, d)
	}
	b = append(b, "Shutdown Communication: \""...)
	for _, c := range d[:l] {
		if c == '\r' || c == '\n' {
			c = ' '
		}
		b = append(b, c)
	}
	b = append(b, '"')
	if len(d) > l {
		b = append(b, ", trailing data: "...)
		b = appendHexString(b, d[l:])
	}
	return b
}

func invalidShutdown(b []byte, why string, l int, d []byte) []byte {
	b = append(b, "invalid Shutdown Communication ("...)
	b = append(b, why...)
	b = append(b, ") length : "...)
	b = appendUint(b, uint64(l))
	b = append(b, " ["...)
	b = appendHexString(b, d)
	return append(b, ']')
}

// appendHexString appends ExaBGP's hexstring: "0x" and upper-case hex.
func appendHexString(b []byte, d []byte) []byte {
	const digits = "0123456789ABCDEF"
	b = append(b, '0', 'x')
	for _, c := range d {
		b = append(b, digits[c>>4], digits[c&15])
	}
	return b
}

// Shutdown returns the RFC 9003 shutdown communication of a 6/2 or 6/4
// and whether there was a well-formed one.
func (n Notification) Shutdown() (string, bool) {
	if !n.IsShutdown() || len(n.Data) == 0 {
		return "", false
	}
	l := int(n.Data[0])
	if l == 0 || len(n.Data)-1 < l || l > MaxShutdownCommunication || !utf8.Valid(n.Data[1:1+l]) {
		return "", false
	}
	return string(n.Data[1 : 1+l]), true
}

// String is ExaBGP's rendering: "code name / subcode name[ / data]".
func (n Notification) String() string {
	s := CodeName(n.Code) + " / " + SubcodeName(n.Code, n.Subcode)
	if t := n.AppendText(nil); len(t) > 0 {
		s += " / " + string(t)
	}
	return s
}

var codeNames = [...]string{1: "Message header error", 2: "OPEN message error",
	3: "UPDATE message error", 4: "Hold timer expired", 5: "State machine error", 6: "Cease"}

// CodeName is ExaBGP's name of a NOTIFICATION code, or "unknown error".
func CodeName(code uint8) string {
	if int(code) < len(codeNames) && codeNames[code] != "" {
		return codeNames[code]
	}
	return "unknown error"
}

var subcodeNames = map[[2]uint8]string{
	{1, 0}: "Unspecific", {1, 1}: "Connection Not Synchronized", {1, 2}: "Bad Message Length",
	{1, 3}: "Bad Message Type",
	{2, 0}: "Unspecific", {2, 1}: "Unsupported Version Number", {2, 2}: "Bad Peer AS",
	{2, 3}: "Bad BGP Identifier", {2, 4}: "Unsupported Optional Parameter",
	{2, 5}: "Authentication Notification (Deprecated)", {2, 6}: "Unacceptable Hold Time",
	{2, 7}: "Unsupported Capability", {2, 8}: "Grouping Conflict", {2, 9}: "Grouping Required",
	{2, 10}: "Capability Value Mismatch",
	{3, 0}:  "Unspecific", {3, 1}: "Malformed Attribute List", {3, 2}: "Unrecognized Well-known Attribute",
	{3, 3}: "Missing Well-known Attribute", {3, 4}: "Attribute Flags Error", {3, 5}: "Attribute Length Error",
	{3, 6}: "Invalid ORIGIN Attribute", {3, 7}: "AS Routing Loop", {3, 8}: "Invalid NEXT_HOP Attribute",
	{3, 9}: "Optional Attribute Error", {3, 10}: "Invalid Network Field", {3, 11}: "Malformed AS_PATH",
	{4, 0}: "Unspecific", {5, 0}: "Unspecific",
	{5, 1}: "Receive Unexpected Message in OpenSent State",
	{5, 2}: "Receive Unexpected Message in OpenConfirm State",
	{5, 3}: "Receive Unexpected Message in Established State",
	{6, 0}: "Unspecific", {6, 1}: "Maximum Number of Prefixes Reached", {6, 2}: "Administrative Shutdown",
	{6, 3}: "Peer De-configured", {6, 4}: "Administrative Reset", {6, 5}: "Connection Rejected",
	{6, 6}: "Other Configuration Change", {6, 7}: "Connection Collision Resolution",
	{6, 8}: "Out of Resources",
	{7, 1}: "Invalid Message Length", {7, 2}: "Malformed Message Subtype",
}

// SubcodeName is ExaBGP's name of a subcode, or its "unknow reason" (sic).
func SubcodeName(code, subcode uint8) string {
	if s, ok := subcodeNames[[2]uint8{code, subcode}]; ok {
		return s
	}
	return "unknow reason"
}

// truncateUTF8 cuts s to at most n octets without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	i := len(s) - 1
	for i > 0 && i > len(s)-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	if !utf8.FullRuneInString(s[i:]) {
		s = s[:i]
	}
	return s
}

// Notification is the NOTIFICATION to send for e (RFC 4271 §6): its code,
// subcode and Data. ExaBGP instead sends the reason as text; use
// AppendNotification(b, e.Code, e.Subcode, e.Reason) for that.
func (e *NotifyError) Notification() Notification {
	return Notification{Code: e.Code, Subcode: e.Subcode, Data: e.Data}
}
