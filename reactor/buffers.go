package reactor

// rxSize holds two maximum-size (RFC 8654) messages; remSize one
// maximum-size message without the Extended Message capability (RFC 4271
// §4.1), the largest partial message a session keeps out of a receive
// buffer.
const (
	rxSize  = 2 << 16
	remSize = 4096
)

// spareBuffers bounds each pool: the loop runs one session at a time, so
// a few spares serve any number of idle sessions. A transmit buffer grown
// past maxSpare by a bulk Pull is left to the GC rather than kept.
const (
	spareBuffers = 4
	maxSpare     = 2 * rxSize
)

// bufPool lends I/O buffers to sessions for as long as they hold bytes:
// an idle session keeps neither a receive nor a transmit buffer (GitHub
// issue 7), a busy one keeps its own until it has drained. Loop
// goroutine only; size 0 lends buffers of any capacity (transmit, grown by
// Pull's appends), otherwise every buffer has capacity size (receive,
// partial-message remainders) and put ignores other sizes.
type bufPool struct {
	size int
	free [][]byte
}

// get returns an empty buffer.
func (p *bufPool) get() []byte {
	if n := len(p.free); n > 0 {
		b := p.free[n-1]
		p.free[n-1] = nil
		p.free = p.free[:n-1]
		return b[:0]
	}
	return make([]byte, 0, p.size)
}

// put takes b back; the caller must not use it any more.
func (p *bufPool) put(b []byte) {
	if b == nil || len(p.free) >= spareBuffers || cap(b) > maxSpare || (p.size > 0 && cap(b) != p.size) {
		return
	}
	p.free = append(p.free, b[:0])
}
