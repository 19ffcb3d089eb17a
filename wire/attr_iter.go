package wire

// Attr is one path attribute as it is on the wire (RFC 4271 §4.3). Value
// aliases the message. Offset is where its header starts in the slice
// given to [Attrs].
type Attr struct {
	Flags  uint8
	Code   uint8
	Value  []byte
	Offset int
}

// AttrIter walks the path attributes of an UPDATE without copying or
// allocating:
//
//	it := wire.Attrs(upd.PathAttrs)
//	for it.Next() { a := it.Attr(); ... }
//	if err := it.Err(); err != nil { ... }
type AttrIter struct {
	b   []byte
	off int
	cur Attr
	err error
}

// Attrs returns an iterator over the path attributes in b.
func Attrs(b []byte) AttrIter { return AttrIter{b: b} }

// Next advances to the next attribute. It returns false at the end or on
// a framing error: an attribute header or value that overruns the path
// attribute section is 3/1 Malformed Attribute List, which RFC 7606 §4
// handles as treat-as-withdraw.
func (it *AttrIter) Next() bool {
	if it.err != nil || it.off >= len(it.b) {
		return false
	}
	b := it.b[it.off:]
	if len(b) < 3 {
		it.err = it.fail("attribute header overruns the path attributes", 0)
		return false
	}
	flags, n, h := b[0], int(b[2]), 3
	if flags&FlagExtLen != 0 {
		if len(b) < 4 {
			it.err = it.fail("attribute header overruns the path attributes", 0)
			return false
		}
		n, h = n<<8|int(b[3]), 4
	}
	if h+n > len(b) {
		it.err = it.fail("attribute length overruns the path attributes", b[1])
		return false
	}
	it.cur = Attr{Flags: flags, Code: b[1], Value: b[h : h+n : h+n], Offset: it.off}
	it.off += h + n
	return true
}

func (it *AttrIter) fail(reason string, code uint8) error {
	return &NotifyError{Code: CodeUpdate, Subcode: SubcodeMalformedAttrList, Action: TreatAsWithdraw,
		Attr: code, Offset: it.off, Reason: reason}
}

// Attr returns the current attribute.
func (it *AttrIter) Attr() Attr { return it.cur }

// Err returns the framing error that stopped the iteration, if any.
func (it *AttrIter) Err() error { return it.err }

// AppendAttr appends one attribute header and value, choosing the
// extended length when the value exceeds 255 octets or flags asks for it
// (RFC 4271 §4.3).
func AppendAttr(b []byte, flags, code uint8, value []byte) []byte {
	if len(value) > 255 {
		flags |= FlagExtLen
	}
	b = append(b, flags, code)
	if flags&FlagExtLen != 0 {
		b = appendU16(b, uint16(len(value)))
	} else {
		b = append(b, byte(len(value)))
	}
	return append(b, value...)
}

// beginAttr appends an attribute header with a 2-octet length to
// back-fill with endAttr (STYLE.md §3).
func beginAttr(b []byte, flags, code uint8) ([]byte, int) {
	b = append(b, flags|FlagExtLen, code, 0, 0)
	return b, len(b) - 4
}

// endAttr back-fills the length of the attribute begun at start and, when
// it fits in one octet, shifts the value left to use the short form, as
// ExaBGP writes it.
func endAttr(b []byte, start int) []byte {
	n := len(b) - start - 4
	if n > 255 {
		putU16(b, start+2, n)
		return b
	}
	b[start] &^= FlagExtLen
	b[start+2] = byte(n)
	copy(b[start+3:], b[start+4:])
	return b[:len(b)-1]
}
