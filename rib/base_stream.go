package rib

import "encoding/binary"

// stream is the UPDATE messages of a shared pending set encoded for one
// encoding context, built lazily as far as the furthest peer has read:
// peers of the context each keep a cursor ([Batch.NextMessage]) into the
// same bytes.
type stream struct {
	batch *Batch // private walk of the set; nil once done
	enc   Encoder
	buf   []byte
	ends  []int // end of each message in buf
	errs  []streamErr
}

// streamErr is an item that could not be encoded, reported before the
// message at.
type streamErr struct {
	at  int
	err error
}

// fill encodes items until message i exists or the set is exhausted.
func (s *stream) fill(i int) {
	for len(s.ends) <= i && s.batch != nil {
		it, ok := s.batch.Next()
		if !ok {
			s.batch = nil
			return
		}
		off, at := len(s.buf), len(s.ends)
		var n int
		var err error
		s.buf, n, err = s.enc.Append(s.buf, it)
		if err != nil {
			s.errs = append(s.errs, streamErr{at: at, err: err})
		}
		for ; n > 0; n-- {
			off += int(s.buf[off+16])<<8 | int(s.buf[off+17])
			s.ends = append(s.ends, off)
		}
	}
}

// streamFor returns the stream of ps for e's encoding context, creating it.
func (ps *pendSet) streamFor(e *Encoder, grouped bool) *stream {
	k := encodingKey(e, grouped)
	if s := ps.streams[k]; s != nil {
		return s
	}
	if ps.streams == nil {
		ps.streams = map[string]*stream{}
	}
	s := &stream{batch: &Batch{grouped: grouped, groups: ps.groups},
		enc: Encoder{Neg: e.Neg, IncludeWithdraw: e.IncludeWithdraw}}
	ps.streams[k] = s
	return s
}

// encodingKey is everything of an [Encoder] and its wire.Negotiated that
// the bytes of an UPDATE depend on (encode.go, encode_msg.go and
// wire.Attributes.Append read nothing else): two encoders with the same
// key produce the same messages from the same batch. Keep it in step
// with what the encoder reads.
func encodingKey(e *Encoder, grouped bool) string {
	n := e.Neg
	b := make([]byte, 0, 64)
	b = append(b, flag(grouped), flag(e.IncludeWithdraw), flag(n.IsASN4()), flag(n.IBGP()), flag(n != nil && n.AIGP))
	b = binary.BigEndian.AppendUint32(b, uint32(n.MaxMessageSize()))
	if n == nil {
		return string(b)
	}
	b = binary.BigEndian.AppendUint32(b, n.LocalAS)
	b = binary.AppendUvarint(b, uint64(len(n.Families)))
	for _, f := range n.Families {
		b = append(appendFamily(b, f), flag(n.SendAddPath(f)))
	}
	b = binary.AppendUvarint(b, uint64(len(n.NextHops)))
	for _, t := range n.NextHops {
		b = appendFamily(b, t.Family)
		b = binary.BigEndian.AppendUint16(b, uint16(t.NextHopAFI))
	}
	return string(b)
}

// Shared reports whether the batch is a [Base]'s untouched pending set:
// walk it with [Batch.NextMessage], not Next.
func (b *Batch) Shared() bool { return b.shared != nil }

// NextMessage returns the next UPDATE of a shared batch as e would encode
// it (e's settings pick the shared encoding; e itself is not used), or
// ok false when the batch is exhausted. msg is shared with other peers:
// copy it, never write it. A non-nil err reports routes that could not be
// encoded (as [Encoder.Append]), with or without a message.
func (b *Batch) NextMessage(e *Encoder) (msg []byte, err error, ok bool) {
	if b.stream == nil {
		b.stream = b.shared.streamFor(e, b.grouped)
	}
	s := b.stream
	s.fill(b.msg)
	if b.errAt < len(s.errs) && s.errs[b.errAt].at <= b.msg {
		b.errAt++
		err = s.errs[b.errAt-1].err
	}
	if b.msg >= len(s.ends) {
		if err != nil {
			return nil, err, true
		}
		b.phase = phaseDone
		return nil, nil, false
	}
	start := 0
	if b.msg > 0 {
		start = s.ends[b.msg-1]
	}
	b.msg++
	return s.buf[start:s.ends[b.msg-1]:s.ends[b.msg-1]], err, true
}
