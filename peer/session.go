package peer

import (
	"net/netip"
	"time"

	"exago/rib"
	"exago/wire"
)

// Pending transmit bits, served by Pull in this priority order after the
// NOTIFICATION.
const (
	txKeepalive uint8 = 1 << iota
	txOpen
	txEOR // the automatic End-of-RIB after the first dump
)

// session is the state of one TCP session; reset zeroes it.
type session struct {
	up          bool // a transport is bound (connected or accepted)
	connecting  bool // Driver.Connect issued, no answer yet
	outgoing    bool
	local       netip.AddrPort
	remote      netip.AddrPort
	sentOpen    *wire.Open
	recvOpen    *wire.Open
	neg         *Negotiated
	closing     bool   // NOTIFICATION queued or sent: nothing else goes out or in
	notify      []byte // complete NOTIFICATION message to send
	downReason  string // reason for the down event once closed
	shutdown    bool   // Shutdown reported down and IDLE already
	tx          uint8  // txKeepalive | txOpen | txEOR
	refreshQ    []wire.RouteRefresh
	eorQ        []wire.Family // API `announce eor`
	batch       *rib.Batch    // UPDATEs being sent
	enc         rib.Encoder   // UPDATE encoder of the batch
	dumped      bool          // first batch done: withdrawals are sent from now on
	hold        time.Duration // negotiated hold time (0: no hold timer)
	keepalive   time.Duration
	lastRead    time.Time
	lastWrite   time.Time
	kaSeen      bool // hold time 0: one KEEPALIVE was tolerated
	sendHoldArm bool
	updates     int       // UPDATEs received (for logs)
	rateUntil   time.Time // rate-limit: no UPDATE before this
	flushArmed  bool      // route changes wait for the flush tick (TimerRate)
	rx          *rxUpdate // reused decoding state of received UPDATEs, from the first one
}

// rxUpdate is the decoding state of received UPDATEs, allocated on the
// first UPDATE of a session so that a session that receives none (most
// of a route server's or an announcer's) does not carry it.
type rxUpdate struct {
	ua wire.UpdateAttrs
	ru ReceivedUpdate
}

func (s *session) reset() { *s = session{} }
