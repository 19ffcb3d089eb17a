package peer

import "time"

// Stats are the counters of `show neighbor` (ExaBGP's Peer.stats): per
// message type sent and received in the current session, session times.
type Stats struct {
	FSM       State
	Creation  time.Time // peer created
	Reset     time.Time // last session reset
	Connected time.Time // transport of the current session up
	Complete  time.Time // session established (zero when not)
	Up, Down  int       // sessions established / closed

	Sent, Received [7]uint64 // by message type (1..6); [0] unused
}

// Stats returns a copy of the peer's counters.
func (p *Peer) Stats() Stats { return p.stats }

// Uptime is how long the session has been established (0 when it is not).
func (s *Stats) Uptime(now time.Time) time.Duration {
	if s.Complete.IsZero() {
		return 0
	}
	return now.Sub(s.Complete)
}

func (s *Stats) resetCounters(now time.Time) {
	s.Reset, s.Complete, s.Connected = now, time.Time{}, time.Time{}
	s.Sent, s.Received = [7]uint64{}, [7]uint64{}
}

func (s *Stats) count(sent bool, typ uint8) {
	if int(typ) >= len(s.Sent) {
		return
	}
	if sent {
		s.Sent[typ]++
	} else {
		s.Received[typ]++
	}
}
