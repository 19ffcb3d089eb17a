package api

import (
	"regexp"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
)

// Options configure a [Server].
type Options struct {
	// Log receives the API's log lines (ExaBGP's "process" and "api"
	// categories).
	Log zerolog.Logger
	// Loop is the reactor's event loop.
	Loop Loop
	// Daemon executes commands.
	Daemon Daemon
	// Env holds api.ack, api.respawn and api.terminate; nil means the
	// defaults (ack on, respawn on, terminate off).
	Env *config.Env
	// JSON and Text render events for `encoder json` and `encoder text`
	// helpers (package api/format). A nil renderer writes nothing.
	JSON, Text Renderer
	// Version is the release string the `version` command prints.
	Version string
	// ExtraEnv is appended to every helper's environment (the server sets
	// exabgp_cli_pipe and exabgp_api_pipename here when it found the CLI
	// pipes).
	ExtraEnv []string
	// OutputLimit bounds the bytes queued for one helper (default 8 MiB).
	OutputLimit int
}

// respawnMask buckets time.Unix() into ~64 s slots as ExaBGP's
// respawn_timemask (0xFFFFFF - 0b111111) does.
const respawnMask = 0xFFFFFF - 0x3F

// respawnLimit is how many starts a bucket allows past the first.
const respawnLimit = 5

type respawnBucket struct {
	bucket int64
	count  int
}

// Server runs the helper processes and serves their commands and events.
// It is not safe for concurrent use: every method runs on the reactor
// goroutine.
type Server struct {
	log    zerolog.Logger
	loop   Loop
	daemon Daemon

	held       map[any]heldPeer // peers paused for a helper's backlog (backlog.go)
	stuckArmed bool

	defaultAck bool
	respawns   int // 5, or 0 with api.respawn false
	terminate  bool
	outLimit   int

	conf       map[string]*config.Process
	confOrder  []string
	procs      map[string]*process
	byFd       map[int]*process
	restart    map[string]bool // ExaBGP's _restart: may the process be (re)started
	respawning map[string]respawnBucket
	halted     bool // the respawn limit was hit: no more starts
	silence    bool
	shutdown   *shutdownState

	counters map[*config.Neighbor]uint64
	routing  map[*config.Neighbor]*routing
	regexps  map[string]*regexp.Regexp

	commands   []command
	json, text Renderer
	version    string
	extraEnv   []string

	// scratch, reused by every command and event
	rbuf  []byte // one read from a helper
	line  []byte
	words []string
	peers []Peer
	sel   []*config.Neighbor
	out   []byte
	ev    Event
}

// New returns a Server with no process running.
func New(o Options) *Server {
	s := &Server{
		log: o.Log, loop: o.Loop, daemon: o.Daemon,
		defaultAck: true, respawns: respawnLimit,
		outLimit: o.OutputLimit,
		conf:     map[string]*config.Process{}, procs: map[string]*process{},
		byFd: map[int]*process{}, restart: map[string]bool{},
		respawning: map[string]respawnBucket{},
		counters:   map[*config.Neighbor]uint64{}, routing: map[*config.Neighbor]*routing{},
		regexps:  map[string]*regexp.Regexp{},
		commands: newCommands(),
		json:     o.JSON, text: o.Text, version: o.Version, extraEnv: o.ExtraEnv,
	}
	if o.Env != nil {
		s.defaultAck = o.Env.API.Ack
		if !o.Env.API.Respawn {
			s.respawns = 0
		}
		s.terminate = o.Env.API.Terminate
	}
	if s.outLimit <= 0 {
		s.outLimit = outputLimit
	}
	return s
}

// Start starts the configured processes as ExaBGP's Processes.start does:
// running processes no longer configured are terminated, new ones started,
// and with restart every configured process is restarted (SIGUSR2,
// `restart`). nil entries are skipped.
func (s *Server) Start(procs []*config.Process, restart bool) {
	conf := make(map[string]*config.Process, len(procs))
	order := make([]string, 0, len(procs))
	for _, p := range procs {
		if p == nil {
			continue
		}
		if _, dup := conf[p.Name]; !dup {
			order = append(order, p.Name)
		}
		conf[p.Name] = p
	}
	for _, name := range s.running() {
		if conf[name] == nil {
			s.stop(s.procs[name])
		}
	}
	s.conf, s.confOrder = conf, order
	s.silence = false
	for _, name := range order {
		if p := s.procs[name]; p != nil {
			if restart {
				s.stop(p)
				s.start(name)
			}
			continue
		}
		s.start(name)
	}
}

// running lists the running process names in configuration order.
func (s *Server) running() []string {
	names := make([]string, 0, len(s.procs))
	for _, n := range s.confOrder {
		if s.procs[n] != nil {
			names = append(names, n)
		}
	}
	return names
}

// Fds lists the pipe descriptors of the running helpers (their stdout,
// read; their stdin, written): what the reactor watches.
func (s *Server) Fds() []int {
	fds := make([]int, 0, len(s.byFd))
	for fd := range s.byFd {
		fds = append(fds, fd)
	}
	return fds
}

// Processes lists the running helpers' names and pids, for logs and tests.
func (s *Server) Processes() map[string]int {
	m := make(map[string]int, len(s.procs))
	for n, p := range s.procs {
		m[n] = p.pid
	}
	return m
}

// start spawns one configured process (ExaBGP's Processes._start).
func (s *Server) start(name string) {
	if ok, seen := s.restart[name]; (seen && !ok) || s.halted {
		return
	}
	if s.procs[name] != nil {
		return
	}
	conf := s.conf[name]
	if conf == nil || len(conf.Run) == 0 {
		s.log.Debug().Str("process", name).Msg("can not start process, no configuration for it")
		return
	}
	p, err := spawn(name, conf.Run, s.extraEnv)
	if err != nil {
		s.log.Error().Str("process", name).Err(err).Msg("could not start process")
		s.brokenProcess(name)
		return
	}
	p.conf = conf
	p.json = conf.Encoder == "json"
	p.ack = s.defaultAck
	s.procs[name] = p
	s.byFd[p.stdout] = p
	s.byFd[p.stdin] = p
	s.loop.Interest(p.stdout, true, false)
	s.log.Debug().Str("process", name).Int("pid", p.pid).Msg("forked process")
	go s.wait(p)

	s.restart[name] = conf.Respawn
	s.countRespawn(name)
}

// countRespawn applies ExaBGP's respawn limit (Processes._start): every
// start is counted in its ~64 s bucket and more than five starts past the
// first inside one bucket is "Too many death". ExaBGP then raises
// ProcessError out of its loop, which logs "Problem when sending
// message(s) to helper program, stopping" and performs the ordinary
// shutdown on its next turn, which also sets the exit code back to 0: the
// helpers get the shutdown event, the peers are stopped and the daemon
// exits with 0. ExaGo does the same: the limit is logged once, nothing is
// started any more, and a shutdown is requested from the daemon on the
// next turn of the loop (posted, never run inside the start that hit it).
// The helper started last is left running until that shutdown, as in
// ExaBGP.
func (s *Server) countRespawn(name string) {
	around := s.loop.Now().Unix() & respawnMask
	r, seen := s.respawning[name]
	if !seen || r.bucket != around {
		s.respawning[name] = respawnBucket{around, 1}
		return
	}
	r.count++
	s.respawning[name] = r
	if r.count > s.respawns && !s.halted {
		s.halted = true
		s.log.Error().Str("process", name).Int("limit", s.respawns).
			Msgf("Too many death for %s (%d) terminating program", name, s.respawns)
		s.log.Error().Msg("Problem when sending message(s) to helper program, stopping")
		s.loop.Post(func() { s.daemon.Signal(SignalShutdown) })
	}
}

// wait is the only goroutine per helper: it blocks in wait(2) and posts the
// exit to the reactor goroutine. It touches no Server state itself.
func (s *Server) wait(p *process) {
	err := p.cmd.Wait()
	s.loop.Post(func() { s.exited(p, err) })
}

// exited handles a helper's exit reported by its wait goroutine.
func (s *Server) exited(p *process, err error) {
	p.exited = true
	if p.gone {
		s.shutdownProgress()
		return
	}
	s.log.Debug().Str("process", p.name).AnErr("status", err).Msg("process ended")
	// What it wrote before exiting is still in the pipe: run it first, as
	// ExaBGP reads a dead helper's output before handling its death.
	s.drain(p)
	s.problem(p)
}

// problem is ExaBGP's _handle_problem: the helper is stopped and, when
// respawn is allowed, started again.
func (s *Server) problem(p *process) {
	if p.gone {
		return
	}
	s.stop(p)
	defer s.release()
	if s.respawns > 0 && s.restart[p.name] && !s.halted {
		s.log.Debug().Str("process", p.name).Msg("process ended, restarting it")
		s.start(p.name)
		return
	}
	s.log.Debug().Str("process", p.name).Msg("process ended")
}

// brokenProcess records a helper that could not be started or written
// to: ExaBGP shuts down (api.terminate) or stops the peers.
func (s *Server) brokenProcess(name string) {
	s.log.Error().Str("process", name).Msg("ExaBGP lost the helper process for this peer - stopping")
	if s.terminate {
		s.daemon.Signal(SignalShutdown)
		return
	}
	s.loop.Broken(name)
}

// stop forgets a helper, closes our pipe ends and terminates it: SIGTERM,
// then SIGKILL when it has not exited 2 s later.
func (s *Server) stop(p *process) {
	if p.gone {
		return
	}
	p.gone = true
	if s.procs[p.name] == p {
		delete(s.procs, p.name)
	}
	delete(s.byFd, p.stdin)
	delete(s.byFd, p.stdout)
	s.loop.Interest(p.stdin, false, false)
	s.loop.Interest(p.stdout, false, false)
	if p.woff < len(p.wbuf) && p.stdin >= 0 {
		// best effort, never blocking: the shutdown event, a last answer
		unix.Write(p.stdin, p.wbuf[p.woff:])
	}
	p.closeFds()
	p.rbuf, p.wbuf = nil, nil
	if p.exited {
		return
	}
	p.signal(syscall.SIGTERM)
	s.loop.At(s.loop.Now().Add(2*time.Second), func() {
		if !p.exited {
			s.log.Debug().Str("process", p.name).Msg("force kill unresponsive process")
			p.signal(syscall.SIGKILL)
		}
	})
}

// shutdownState tracks a [Server.Shutdown] in progress.
type shutdownState struct {
	started bool // the helpers have been sent SIGTERM
	procs   []*process
	done    func()
}

// Shutdown writes the shutdown event to every helper, then 0.1 s later
// terminates them all (SIGTERM, SIGKILL 2 s later). done runs once, when
// every helper has exited, or 2.1 s after the SIGTERM at the latest.
func (s *Server) Shutdown(done func()) {
	if !s.silence {
		for _, name := range s.running() {
			p := s.procs[name]
			s.out = s.renderer(p).appendShutdown(s.out[:0], p)
			if len(s.out) > 0 {
				s.send(p, s.out)
			}
		}
	}
	s.silence = true
	st := &shutdownState{done: done}
	s.shutdown = st
	s.loop.At(s.loop.Now().Add(100*time.Millisecond), func() {
		st.started = true
		for _, name := range s.running() {
			st.procs = append(st.procs, s.procs[name])
		}
		for _, p := range st.procs {
			s.stop(p)
		}
		s.loop.At(s.loop.Now().Add(2100*time.Millisecond), func() { s.finishShutdown(st) })
		s.shutdownProgress()
	})
}

// shutdownProgress finishes the shutdown once every helper has exited.
func (s *Server) shutdownProgress() {
	st := s.shutdown
	if st == nil || !st.started {
		return
	}
	for _, p := range st.procs {
		if !p.exited {
			return
		}
	}
	s.finishShutdown(st)
}

func (s *Server) finishShutdown(st *shutdownState) {
	if st.done != nil {
		done := st.done
		st.done = nil
		done()
	}
}
