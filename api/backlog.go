package api

import (
	"time"

	"exago/config"
	"exago/peer"
)

// Back-pressure from helpers to peers (STYLE.md §11, GitHub issue 5).
//
// A helper that reads its events slower than a peer sends UPDATEs must not
// lose them, and must not stall anyone else. While one of the helpers a
// neighbor's events go to has more than backlogHigh bytes queued, that
// peer stops reading its socket (peer.Backlog → Driver.PauseRead), so TCP
// pushes back on the BGP speaker; it resumes once every such queue is
// under backlogLow. ExaBGP blocks its whole loop on the write instead.
//
// A helper that reads nothing at all for stuckAfter while it holds peers
// back stops holding them (they resume before their hold timers can
// expire); its queue then grows to the output limit, where it is treated
// as dead, killed and respawned when allowed (io.go). It holds peers back
// again as soon as it reads.

// stuckAfter is short against any hold time (3 s at least): a paused
// peer's keepalives wait behind its UPDATEs in the socket.
const stuckAfter = time.Second

func (s *Server) backlogHigh() int { return s.outLimit / 4 }
func (s *Server) backlogLow() int  { return s.outLimit / 16 }

// Backlogged makes PeerEvents a peer.Backlog.
func (e PeerEvents) Backlogged(p *peer.Peer) bool {
	if !e.S.behind(p.Neighbor(), e.S.backlogHigh()) {
		return false
	}
	e.S.hold(p, p.Resume)
	return true
}

// behind reports whether a helper that gets n's events has more than
// limit bytes queued.
func (s *Server) behind(n *config.Neighbor, limit int) bool {
	if s.silence {
		return false
	}
	for _, name := range s.routes(n).processes {
		if p := s.procs[name]; p != nil && !p.gone && !p.stalled && len(p.wbuf)-p.woff > limit {
			return true
		}
	}
	return false
}

// hold records a paused peer and arms the stuck-helper check.
func (s *Server) hold(key any, resume func()) {
	if s.held == nil {
		s.held = map[any]heldPeer{}
	}
	if _, ok := s.held[key]; ok {
		return
	}
	s.held[key] = heldPeer{resume: resume}
	if !s.stuckArmed {
		s.stuckArmed = true
		s.armStuck()
	}
}

type heldPeer struct{ resume func() }

// armStuck checks, stuckAfter from now, that every backlogged helper has
// written something meanwhile.
func (s *Server) armStuck() {
	mark := make(map[*process]int64, len(s.procs))
	for _, p := range s.procs {
		mark[p] = p.written
	}
	s.loop.At(s.loop.Now().Add(stuckAfter), func() {
		for _, p := range s.procs {
			before := mark[p] // 0 for a helper started since: it read nothing yet either
			if !p.gone && !p.stalled && p.written == before && len(p.wbuf)-p.woff > s.backlogHigh() {
				p.stalled = true
				s.log.Error().Str("process", p.name).Int("queued", len(p.wbuf)-p.woff).
					Msgf("process %s has not read its input for %v: peers no longer wait for it", p.name, stuckAfter)
			}
		}
		s.release()
		if len(s.held) > 0 {
			s.armStuck()
			return
		}
		s.stuckArmed = false
	})
}

// release resumes the held peers once no helper is over backlogLow.
func (s *Server) release() {
	if len(s.held) == 0 {
		return
	}
	low := s.backlogLow()
	for _, p := range s.procs {
		if !p.gone && !p.stalled && len(p.wbuf)-p.woff > low {
			return
		}
	}
	held := s.held
	s.held = nil
	for _, h := range held {
		h.resume()
	}
}
