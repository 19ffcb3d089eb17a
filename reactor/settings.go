package reactor

import (
	"net/netip"
	"time"

	"exago/config"
)

// Settings are the environment settings the drivers use (config.Env
// tcp.* and reactor.*), with ExaGo's budgets.
type Settings struct {
	// Bind are the tcp.bind addresses listened on at Port. Empty means no
	// listener except neighbors with `listen` (ExaBGP's default).
	Bind []netip.Addr
	// Port is tcp.port, the port of the Bind listeners (0: one the kernel
	// picks, for tests).
	Port uint16
	// Attempts is tcp.attempts: with > 0 the driver returns once every
	// peer has stopped.
	Attempts int
	// ConnectTimeout bounds a non-blocking connect (default 10 s).
	ConnectTimeout time.Duration
	// ShutdownGrace bounds how long Shutdown waits for the peers to send
	// their Cease and close (default 2 s).
	ShutdownGrace time.Duration
	// ReadBudget is how many bytes one peer may read per turn (default
	// 64 KiB); WriteBudget how many it may write (default 256 KiB).
	ReadBudget  int
	WriteBudget int
	// StartAt delays the peers' start (tcp.delay: the next minute of the
	// hour that is a multiple of N); zero starts at once.
	StartAt time.Time
	// Tick is the timer wheel's slot width (default 10 ms, ExaBGP's
	// reactor.speed 1.0 pacing).
	Tick time.Duration
}

// SettingsFromEnv extracts the drivers' settings from the environment.
func SettingsFromEnv(e *config.Env) Settings {
	s := Settings{
		Bind:     e.TCP.Bind,
		Port:     uint16(e.TCP.Port),
		Attempts: e.TCP.Attempts,
	}
	if d := e.TCP.Delay; d > 0 {
		s.StartAt = delayed(time.Now(), d)
	}
	if e.Reactor.Speed > 0 {
		s.Tick = time.Duration(e.Reactor.Speed * float64(10*time.Millisecond))
	}
	return s
}

func (s *Settings) setDefaults() {
	if s.ConnectTimeout <= 0 {
		s.ConnectTimeout = 10 * time.Second
	}
	if s.ShutdownGrace <= 0 {
		s.ShutdownGrace = 2 * time.Second
	}
	if s.ReadBudget <= 0 {
		s.ReadBudget = 64 << 10
	}
	if s.WriteBudget <= 0 {
		s.WriteBudget = 256 << 10
	}
	if s.Tick <= 0 {
		s.Tick = 10 * time.Millisecond
	}
}

// delayed is ExaBGP's tcp.delay (reactor/loop.py): wait d*60 s minus the
// epoch seconds modulo d*60 (a full period when exactly on a multiple).
func delayed(now time.Time, d int) time.Time {
	period := int64(d) * 60
	return now.Add(time.Duration(period-now.Unix()%period) * time.Second)
}
