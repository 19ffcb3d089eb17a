package testpeer

import (
	"bytes"

	"exago/api/format"
)

// DescribeJSON renders msg as `exabgp decode` would (ExaBGP's JSON, all
// families, api/format), keeping only the "message" object; it retries
// with add-path (RFC 7911) when the plain decode fails. It returns the
// decoder's error text when neither works.
func DescribeJSON(msg []byte) string {
	nb := format.DecodeNeighbor()
	enc := &format.Encoder{}
	var firstErr error
	for _, addPath := range []bool{false, true} {
		out, err := decodeJSON(enc, &nb, msg, addPath)
		if err == nil {
			return messageObject(out)
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return "(exabgp decode fails: " + firstErr.Error() + ")"
}

// decodeJSON guards against a decoder panic: a report must not crash.
func decodeJSON(enc *format.Encoder, nb *format.Neighbor, msg []byte, addPath bool) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errPanic
		}
	}()
	return enc.DecodePayload(nil, nb, msg, format.DecodeSession(nil, addPath))
}

// messageObject cuts the event down to its "message" object: what differs
// between two messages, without the synthetic neighbor around it.
func messageObject(out []byte) string {
	out = bytes.TrimSpace(out)
	key := []byte(`"message": `)
	i := bytes.Index(out, key)
	if i < 0 {
		return string(out)
	}
	out = out[i+len(key):]
	for range 2 { // the closing braces of "neighbor" and of the event
		out = bytes.TrimSuffix(bytes.TrimSpace(out), []byte("}"))
	}
	return string(bytes.TrimSpace(out))
}
