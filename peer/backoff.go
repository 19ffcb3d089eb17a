package peer

import "time"

// backoff is ExaBGP's delay between sessions (reactor/delay.py): after a
// session closes the next attempt waits 0, 1, 2, 3, 4, 5, 7, 9, 11, 14, 17,
// 21, 26, 32, 39, 47, 57, 60, 60... seconds (next = min(int(1+next*1.2), 60)).
// It resets once a session is established, on teardown, on an accepted
// incoming connection and on flush.
type backoff struct {
	until time.Time // no new attempt before this instant
	next  int       // seconds the next increase waits
}

// reset allows an attempt at once and restarts the sequence.
func (b *backoff) reset(now time.Time) {
	b.until = now
	b.next = 0
}

// increase forbids attempts for the current step and moves to the next one.
func (b *backoff) increase(now time.Time) {
	b.until = now.Add(time.Duration(b.next) * time.Second)
	b.next = min(int(1+float64(b.next)*1.2), 60)
}

// wait returns when the next attempt may start (now when allowed already).
func (b *backoff) wait(now time.Time) time.Time {
	if b.until.After(now) {
		return b.until
	}
	return now
}
