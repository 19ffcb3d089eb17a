package reactor

import "time"

// Clock is the reactor's only source of time. The reactor, the timer wheel
// and the peers read time from it, so tests drive time with a fake.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the wall clock (with Go's monotonic reading).
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }
