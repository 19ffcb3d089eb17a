package config

import (
	"net/netip"
	"strconv"
	"strings"
)

// Env holds every exabgp.env setting of ExaBGP 5.0.13
// (src/exabgp/environment/setup.py) plus ExaGo's reactor.mode, typed.
// Build it with [LoadEnv] (or [DefaultEnv]); the zero value is not the
// default configuration.
type Env struct {
	Profile struct {
		Enable bool
		File   string
	}
	PDB struct {
		Enable bool
	}
	Daemon struct {
		PID       string
		User      string
		Daemonize bool
		Drop      bool
		Umask     uint32
	}
	Log struct {
		Enable        bool
		Level         string // FATAL CRITICAL ERROR WARNING INFO DEBUG NOTSET
		Destination   string // stdout, stderr, syslog, host:ADDR, file:PATH or a path
		All           bool
		Configuration bool
		Reactor       bool
		Daemon        bool
		Processes     bool
		Network       bool
		Statistics    bool
		Packets       bool
		RIB           bool
		Message       bool
		Timers        bool
		Routes        bool
		Parser        bool
		Short         bool
	}
	TCP struct {
		Once     bool
		Attempts int // 0 = unlimited; also set by exabgp_tcp_connections / exabgp_tcp_once
		Delay    int // minutes
		Bind     []netip.Addr
		Port     int  // listening port
		ACL      bool // unused
		// ConnectPort is the port outgoing connections go to when the
		// neighbor has no `connect`: ExaBGP reads it only from the process
		// environment (exabgp.tcp.port / exabgp_tcp_port), never from the
		// ini file (reactor/protocol.py). 0 means 179.
		ConnectPort int
	}
	BGP struct {
		Passive  bool
		OpenWait int // seconds
	}
	Cache struct {
		Attributes bool
		Nexthops   bool
	}
	API struct {
		Ack              bool
		Chunk            int
		ShowRoutesFormat string // v1 or v2
		Encoder          string // text or json (stored, unused, as in ExaBGP)
		Compact          bool
		Respawn          bool
		Terminate        bool
		CLI              bool
		PipeName         string
	}
	Reactor struct {
		Speed float64
		// Mode is ExaGo's own setting: "reactor" (epoll, one goroutine) or
		// "sync" (blocking sockets).
		Mode string
	}
	Debug struct {
		PDB           bool
		Memory        bool
		Configuration bool
		Selfcheck     bool
		Route         string
		Defensive     bool
		Rotate        bool
	}
}

// Environment variable names ExaBGP reads besides the settings.
const (
	EnvRoot    = "EXABGP_ROOT"
	EnvFile    = "EXABGP_ENVFILE"
	EnvVersion = "exabgp_version"
)

// DefaultEnv returns the built-in defaults of every setting.
func DefaultEnv() *Env {
	e := &Env{}
	for i := range settings {
		s := &settings[i]
		if err := s.parse(e, s.def, false); err != nil {
			panic("config: bad built-in default for " + s.name() + ": " + err.Error())
		}
	}
	return e
}

// pyFloat formats f as Python's str(float) does for ordinary values
// ("1.0", "0.5", "2.25").
func pyFloat(f float64) string {
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEnN") {
		s += ".0"
	}
	return s
}

// boolWord is ExaBGP's environment boolean (parsing.boolean): true for
// 1 yes on enable true in any case, false for anything else.
func boolWord(s string) bool {
	switch strings.ToLower(s) {
	case "1", "yes", "on", "enable", "true":
		return true
	}
	return false
}

// unquote strips spaces then quotes around s (parsing.unquote).
func unquote(s string) string {
	return strings.Trim(strings.TrimSpace(s), `'"`)
}
