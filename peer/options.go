package peer

import (
	"math/rand/v2"
	"time"

	"github.com/rs/zerolog"

	"exago/rib"
)

// Options are the settings of a Peer that do not come from its neighbor
// block: environment settings (exabgp.env / exabgp_* variables), the
// logger, the clock and the events sink. The zero value of each field
// means ExaBGP's default.
type Options struct {
	// Log is the peer's logger, normally with per-peer fields already
	// (log.With().Str("peer", ...)). The zero value logs nothing.
	Log zerolog.Logger
	// Events receives API events; nil means [NopEvents].
	Events Events
	// Now is the injected clock, used only where no event time is at hand
	// (API commands); nil means time.Now.
	Now func() time.Time
	// Rand returns a value in [0,1) for RFC 4271 §10 jitter; nil means
	// math/rand/v2. Tests inject a constant.
	Rand func() float64

	// OpenWait is bgp.openwait: how long to wait for the peer's OPEN
	// (default 60 s); expiry sends NOTIFICATION 1/1.
	OpenWait time.Duration
	// ConnectPort is the outgoing port when the neighbor has no `connect`
	// (the exabgp_tcp_port environment variable; default 179).
	ConnectPort uint16
	// Attempts is tcp.attempts: the number of outgoing sessions before the
	// peer stops for good (0 = unlimited).
	Attempts int
	// Passive is bgp.passive: never connect out.
	Passive bool
	// ConnectRetry is the pause between failed connection attempts within
	// one session attempt (ExaBGP retries on every reactor tick; default
	// 1 s, jittered 0.75-1.0 per RFC 4271 §10).
	ConnectRetry time.Duration
	// SendHold is the minimum RFC 9687 send hold time (default 8 minutes;
	// the timer is max(SendHold, 2 x hold time)).
	SendHold time.Duration
	// MaxMessages and MaxBytes bound one Pull (defaults: 25 UPDATEs, 1 with
	// rate-limit, as ExaBGP's routes_per_iteration; 256 KiB).
	MaxMessages int
	MaxBytes    int
	// Out, when set, is the Adj-RIB-Out to keep using: the reactor passes
	// the previous peer's Out() when a changed neighbor restarts on reload,
	// so routes injected by the API survive (ExaBGP caches each neighbor's
	// RIB by name). Ignored when adj-rib-out is off (ExaBGP clears it).
	Out *rib.Out
	// Bases, when set, shares the Adj-RIB-Out start state of neighbors
	// with the same configured routes (rib.Base: one table and one
	// encoding of the first UPDATEs per update group, per-peer changes on
	// top). The driver owns it, one for all its peers; nil: every peer
	// builds its own.
	Bases *rib.Bases
	// FlushDelay, when positive, is how long route changes from commands
	// wait before UPDATEs are built, counted from the first change (a
	// stream of commands never extends it), so that commands arriving close
	// together are applied together. Zero or negative: at once, i.e. at the
	// driver's next write (the default).
	//
	// The default is deliberate. ExaBGP applies the lines of one read of a
	// helper, acknowledges them, then runs its peers: a helper that waits
	// for `done` before its next command always sees the first command's
	// UPDATE on the wire first (api-rib: announce, wait, clear = announce
	// then withdraw). A delay here runs past the acknowledgement and merges
	// such commands, which ExaBGP keeps apart; measured, a Python helper
	// answers an ack in 30 µs to 1 ms while its back-to-back lines arrive
	// up to 130 µs apart, so no delay separates both cases. Merging a burst
	// (announce then clear written together) belongs to the reader of the
	// helpers: read a helper ~2 ms after it becomes readable (ExaBGP's own
	// latency), run every line, then let peers write.
	FlushDelay time.Duration
	// SoftwareVersion is the text of the software-version capability
	// (ExaBGP sends "ExaBGP/<version>").
	SoftwareVersion string
}

func (o *Options) setDefaults() {
	if o.Events == nil {
		o.Events = NopEvents{}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Rand == nil {
		o.Rand = rand.Float64
	}
	if o.OpenWait <= 0 {
		o.OpenWait = 60 * time.Second
	}
	if o.ConnectPort == 0 {
		o.ConnectPort = 179
	}
	if o.ConnectRetry <= 0 {
		o.ConnectRetry = time.Second
	}
	if o.SendHold <= 0 {
		o.SendHold = 8 * time.Minute
	}
	if o.MaxMessages <= 0 {
		o.MaxMessages = 25
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = 256 << 10
	}
	if o.SoftwareVersion == "" {
		o.SoftwareVersion = "ExaBGP/5.0.13"
	}
}

// jitter scales d by a random factor in [0.75, 1.0) (RFC 4271 §10).
func (o *Options) jitter(d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.75 + 0.25*o.Rand()))
}
