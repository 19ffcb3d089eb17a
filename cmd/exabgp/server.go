package main

// `exabgp server` (ExaBGP application/server.py and reactor/loop.py,
// reactor/daemon.py, reactor/interrupt.py): flags, settings, logging,
// daemon.* (umask, daemonize, privilege drop, pid file), signals, reload
// and exit codes. The event loop itself is package reactor.

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/api"
	"exago/api/format"
	"exago/config"
	"exago/peer"
	"exago/reactor"
	"exago/rib"
)

var serverFlags = []flagSpec{
	{"v", "verbose", false, "toogle all logging"},
	{"d", "debug", false, "start the python debugger on issue and (implies -v, -p)"},
	{"s", "signal", true, "issue a SIGUSR1 to reload the configuration after <time> seconds, only useful for code debugging"},
	{"1", "once", false, "only perform one attempt to connect to peers"},
	{"p", "pdb", false, "fire the debugger on critical logging, SIGTERM, and exceptions (shortcut for exabgp.pdb.enable=true)"},
	{"P", "passive", false, "only accept incoming connections"},
	{"m", "memory", false, "display memory usage information on exit"},
	{"", "profile", true, "enable profiling and set where the information should be saved"},
}

const serverUsage = "usage: exabgp server [-h] [-v] [-d] [-s SIGNAL] [-1] [-p] [-P] [-m]\n" +
	"                     [--profile PROFILE]\n" +
	"                     configuration [configuration ...]\n"

// envDaemonized marks the re-executed child of daemon.daemonize.
const envDaemonized = "EXAGO_DAEMONIZED"

func serverHelp() {
	fmt.Print(serverUsage + "\nexabgp server\n\npositional arguments:\n  configuration         configuration file(s)\n\noptions:\n  -h, --help            show this help message and exit\n")
	for _, f := range serverFlags {
		name := "--" + f.long
		if f.short != "" {
			name = "-" + f.short + ", " + name
		}
		if f.value {
			name += " " + strings.ToUpper(f.long)
		}
		fmt.Printf("  %-21s %s\n", name, f.help)
	}
}

// runServer is `exabgp server [flags] FILE...`.
func runServer(args []string) int {
	p, err := parseArgs(args, serverFlags)
	if err == nil && !p.set["help"] && len(p.pos) == 0 {
		err = &usageError{"the following arguments are required: configuration"}
	}
	var delay int
	if err == nil && p.set["signal"] {
		if delay, err = strconv.Atoi(p.values["signal"]); err != nil {
			err = &usageError{"argument -s/--signal: invalid int value: '" + p.values["signal"] + "'"}
		}
	}
	if err != nil {
		fmt.Fprint(os.Stderr, serverUsage)
		fmt.Fprintln(os.Stderr, "exabgp server: error: "+err.Error())
		return 2
	}
	if p.set["help"] {
		serverHelp()
		return 0
	}
	if delay > 0 {
		return delayedSignal(args, delay)
	}
	environ := os.Environ()
	root := config.Root(environ, argv0()) // os.Args[0] is wrong when run from $PATH
	envFile := config.EnvFilePath("", environ, root)
	env, err := config.LoadEnv(envFile, environ)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		return 1
	}
	applyServerFlags(env, p)
	logs, err := reactor.NewLog(env, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		return 1
	}
	defer logs.Close()
	cfgLog := logs.For(reactor.CatConfiguration)
	var files []string
	for _, name := range p.pos {
		loc := findConfig(name, root)
		if loc == "" {
			msg := name + " is not an exabgp config file (file not found)"
			cfgLog.Error().Msg(msg)
			fmt.Fprintln(os.Stderr, "error: "+msg)
			return 1
		}
		files = append(files, loc)
	}
	if len(files) > 1 && !env.Debug.Rotate {
		return forkPerConfiguration(env, args, p.pos, logs)
	}
	s := &server{env: env, logs: logs, files: files, root: root, environ: environ}
	if _, err := os.Stat(envFile); err != nil {
		s.log(reactor.CatReactor).Error().Msgf("environment file missing\ngenerate it using \"exabgp env > %s\"", envFile)
	}
	code := s.run()
	if env.Debug.Memory {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(os.Stderr, "memory: heap %d bytes in use, %d objects, %d GC cycles\n", ms.HeapInuse, ms.HeapObjects, ms.NumGC)
	}
	return code
}

// applyServerFlags applies the command line to the settings, as ExaBGP's
// server.cmdline does before the logger is set up.
func applyServerFlags(env *config.Env, p *parsedArgs) {
	if p.set["verbose"] || p.set["debug"] {
		env.Log.All, env.Log.Level, env.Log.Short = true, "DEBUG", false
	}
	if p.set["debug"] || p.set["pdb"] {
		env.Debug.PDB = true
	}
	if p.set["profile"] {
		env.Profile.Enable, env.Profile.File = true, p.values["profile"]
	}
	if p.set["once"] {
		env.TCP.Once = true // no effect, as in ExaBGP 5.0.13
	}
	if p.set["memory"] {
		env.Debug.Memory = true
	}
	if p.set["passive"] {
		env.BGP.Passive = true
	}
}

// server is one running daemon: settings, configuration files, driver.
type server struct {
	env     *config.Env
	logs    *reactor.Log
	files   []string
	rotate  int // with debug.rotate, the file in use
	root    string
	environ []string
	runner  reactor.Runner
	pidFile string
	mu      sync.Mutex // rotate

	reactor   *reactor.Reactor // the loop serving the helpers (and the peers unless sync)
	sync      *reactor.Sync    // reactor.mode sync
	api       *api.Server
	cli       *config.Process
	onStarted func() error
	peerBuf   []*peer.Peer
	stopping  bool // loop goroutine only
}

func (s *server) log(cat string) *zerolog.Logger {
	l := s.logs.For(cat)
	return &l
}

// current is the configuration file list in use: all of them, or with
// debug.rotate the one the last reload moved to.
func (s *server) current() []string {
	if s.env.Debug.Rotate && len(s.files) > 1 {
		return s.files[s.rotate%len(s.files) : s.rotate%len(s.files)+1]
	}
	return s.files
}

func (s *server) load() (*config.Config, error) {
	cfg, err := config.Load(s.current(), s.env)
	if err != nil {
		return nil, err
	}
	if s.env.BGP.Passive {
		for _, n := range cfg.Neighbors {
			n.Passive = true
		}
	}
	return cfg, nil
}

func (s *server) run() int {
	rlog := s.log(reactor.CatReactor)
	rlog.Info().Msg("Thank you for using ExaBGP")
	rlog.Debug().Msgf("ExaGo %s (ExaBGP %s)", config.ExaGoVersion, config.Version(s.environ))
	unix.Umask(int(s.env.Daemon.Umask))
	cfg, err := s.load()
	if err != nil {
		s.log(reactor.CatConfiguration).Error().Msg(err.Error())
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		return 1
	}
	if s.env.Daemon.Daemonize && os.Getenv(envDaemonized) == "" {
		if done, code := s.daemonize(); done {
			return code
		}
	}
	if s.env.Profile.Enable && s.env.Profile.File != "" {
		if stop := startProfile(s.env.Profile.File, rlog); stop != nil {
			defer stop()
		}
	}
	s.runner = s.newRunner(cfg)
	if s.runner == nil {
		return 1
	}
	stopSignals := s.handleSignals()
	defer stopSignals()
	if s.sync != nil {
		apiDone := make(chan struct{})
		go func() {
			_, _ = s.reactor.Run(&config.Config{})
			close(apiDone)
		}()
		defer func() { s.reactor.Stop(0); <-apiDone }()
	}
	code, err := s.runner.Run(cfg)
	if err != nil {
		rlog.Error().Err(err).Msg("reactor stopped")
		if code == 0 {
			code = 1
		}
	}
	s.removePID()
	return code
}

// newRunner builds the driver with package peer's FSM and the
// helper-process API (package api): the reactor (default), whose loop
// also serves the helpers' pipes, or the sync driver (reactor.mode sync),
// next to a peerless reactor that serves the pipes under the sync
// driver's lock (reactor.WithLock), so API and peers never run at once.
func (s *server) newRunner(cfg *config.Config) reactor.Runner {
	set := reactor.SettingsFromEnv(s.env)
	netLog := s.logs.For(reactor.CatNetwork)
	peerLog := s.logs.For(reactor.CatReactor)
	version := config.Version(s.environ)
	var events peer.Events
	bases := rib.NewBases() // update groups: peers with the same configured routes share them
	factory := func(n *config.Neighbor, d peer.Driver) reactor.Machine {
		return peer.New(n, d, peer.Options{
			Bases:           bases,
			Log:             peerLog.With().Str("peer", n.Name).Logger(),
			Events:          events,
			OpenWait:        time.Duration(s.env.BGP.OpenWait) * time.Second,
			ConnectPort:     uint16(s.env.TCP.ConnectPort),
			Attempts:        s.env.TCP.Attempts,
			Passive:         s.env.BGP.Passive,
			SoftwareVersion: "ExaBGP/" + version,
		})
	}
	opts := []reactor.Option{reactor.WithSettings(set), reactor.WithLogger(netLog),
		reactor.WithStarted(s.started), reactor.WithExitHook(func() { s.stopOnLoop(s.reactor) })}
	var runner reactor.Runner
	var r *reactor.Reactor
	var err error
	if strings.EqualFold(s.env.Reactor.Mode, "sync") {
		y := reactor.NewSync(factory, opts...)
		noPeers := func(*config.Neighbor, peer.Driver) reactor.Machine { return nil }
		r, err = reactor.New(noPeers, reactor.WithLogger(netLog), reactor.WithLock(y.Locker()))
		s.sync, runner = y, y
	} else {
		r, err = reactor.New(factory, opts...)
		runner = r
	}
	if err != nil {
		s.log(reactor.CatReactor).Error().Err(err).Msg("could not start the reactor")
		return nil
	}
	loop := &api.ReactorLoop{R: r}
	peers := &api.PeerSet{List: s.peerList, Now: r.Now, OnSignal: s.apiSignal, Log: s.logs.For(reactor.CatProcesses),
		RoutesV2: s.env.API.ShowRoutesFormat == "v2"}
	exe, _ := os.Executable()
	cli, extra := api.SetupCLI(s.logs.For(reactor.CatProcesses), s.env, s.root, exe, time.Now())
	host, _ := os.Hostname()
	pid, ppid := os.Getpid(), os.Getppid()
	srv := api.New(api.Options{
		Log: s.logs.For(reactor.CatProcesses), Loop: loop, Daemon: peers, Env: s.env, Version: version,
		JSON:     &api.JSONRenderer{E: format.Encoder{Host: host, PID: pid, PPID: ppid, Compact: s.env.API.Compact}},
		Text:     &api.TextRenderer{T: format.Text{PID: pid, PPID: ppid}},
		ExtraEnv: extra,
	})
	loop.S, s.api, s.cli, s.reactor = srv, srv, cli, r
	events = api.PeerEvents{S: srv}
	s.onStarted = func() error {
		if s.sync != nil {
			l := s.sync.Locker()
			l.Lock()
			defer l.Unlock()
		}
		srv.SetNeighbors(cfg.Neighbors)
		srv.Start(s.processes(cfg), false)
		return nil
	}
	return runner
}

// processes are the configured helpers plus the CLI bridge when found.
func (s *server) processes(cfg *config.Config) []*config.Process {
	if s.cli == nil {
		return cfg.Processes
	}
	return append(append([]*config.Process(nil), cfg.Processes...), s.cli)
}

// peerList is api.PeerSet's view of the peers (loop goroutine).
func (s *server) peerList() []*peer.Peer {
	s.peerBuf = s.peerBuf[:0]
	add := func(_ *config.Neighbor, m reactor.Machine) {
		if p, ok := m.(*peer.Peer); ok {
			s.peerBuf = append(s.peerBuf, p)
		}
	}
	if s.sync != nil {
		s.sync.Each(add) // the API runs under the sync lock
	} else {
		s.reactor.Each(add)
	}
	return s.peerBuf
}

// apiSignal runs the `shutdown`, `reload` and `restart` commands (loop
// goroutine).
func (s *server) apiSignal(sig api.Signal) {
	switch sig {
	case api.SignalShutdown:
		s.shutdown("shutdown command received")
	case api.SignalReload:
		go s.reload(false, false)
	case api.SignalRestart:
		go s.reload(true, true)
	}
}

// started runs once the listeners are bound: privileges are dropped
// before the helpers start with daemon.drop (after otherwise), then the
// pid file is written (ExaBGP Reactor.run order).
func (s *server) started() error {
	if s.env.Daemon.Drop {
		if err := s.drop(); err != nil {
			return err
		}
	}
	if err := s.onStarted(); err != nil {
		return err
	}
	if !s.env.Daemon.Drop {
		if err := s.drop(); err != nil {
			return err
		}
	}
	if err := s.savePID(); err != nil {
		s.log(reactor.CatDaemon).Error().Err(err).Msg("could not write the pid file")
		return err
	}
	return nil
}

func (s *server) drop() error {
	if err := dropToUser(s.env.Daemon.User); err != nil {
		l := s.log(reactor.CatReactor)
		l.Error().Msgf("could not drop privileges to '%s' refusing to run as root", s.env.Daemon.User)
		l.Error().Msg("set the environmemnt value exabgp.daemon.user to change the unprivileged user")
		return err
	}
	return nil
}

// shutdown stops the daemon: every peer sends its Cease, the helpers get
// the shutdown event and are terminated, then the loop ends (exit 0).
// Any goroutine.
func (s *server) shutdown(why string) {
	s.log(reactor.CatReactor).Info().Msg(why + ", performing shutdown")
	s.reactor.Post(s.stopOnLoop)
}

// stopOnLoop stops the peers and the helpers once, then the loop (on
// the loop goroutine, or under the sync lock).
func (s *server) stopOnLoop(r *reactor.Reactor) {
	if s.stopping {
		return
	}
	s.stopping = true
	if y := s.sync; y != nil {
		y.StopPeersLocked()
		s.api.Shutdown(func() { y.StopLocked(0) })
		return
	}
	r.StopPeers()
	s.api.Shutdown(func() { r.Stop(0) })
}

// reload loads the configuration again (the next file with debug.rotate)
// and applies it; restart re-establishes every session, processes
// restarts the helpers. Not on the loop: loading reads files.
func (s *server) reload(restart, processes bool) {
	l := s.log(reactor.CatReactor)
	s.mu.Lock()
	if s.env.Debug.Rotate && len(s.files) > 1 {
		s.rotate++
	}
	cfg, err := s.load()
	s.mu.Unlock()
	if err != nil {
		l.Error().Msg("could not load/reload configuration")
		l.Error().Msg(err.Error())
		return
	}
	if restart {
		l.Info().Msg("performing restart of exabgp")
		s.runner.Restart(cfg)
	} else {
		l.Info().Msg("performing reload of exabgp")
		s.runner.Reload(cfg)
	}
	srv := s.api
	s.reactor.Post(func(*reactor.Reactor) {
		srv.SetNeighbors(cfg.Neighbors)
		srv.Start(s.processes(cfg), processes)
	})
}

// handleSignals maps ExaBGP's signals: TERM/HUP/INT shut down (exit 0),
// USR1 reloads, USR2 reloads and restarts the processes, ALRM restarts.
func (s *server) handleSignals() (stop func()) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGINT, syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGALRM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case sig := <-ch:
				s.onSignal(sig)
			}
		}
	}()
	return func() { signal.Stop(ch); close(done) }
}

func (s *server) onSignal(sig os.Signal) {
	if num, ok := sig.(syscall.Signal); ok {
		s.emitSignal(num)
	}
	switch sig {
	case syscall.SIGTERM:
		s.shutdown("SIGTERM received")
	case syscall.SIGHUP:
		s.shutdown("SIGHUP received")
	case syscall.SIGINT:
		s.shutdown("^C received")
	case syscall.SIGUSR1:
		s.reload(false, false)
	case syscall.SIGUSR2:
		s.reload(false, true)
	case syscall.SIGALRM:
		s.reload(true, true)
	}
}

// emitSignal reports a received signal to the helpers of every neighbor
// whose api has `signal` (ExaBGP reports it before acting on it).
func (s *server) emitSignal(num syscall.Signal) {
	if s.api == nil || s.reactor == nil {
		return
	}
	events := api.PeerEvents{S: s.api}
	s.reactor.Post(func(*reactor.Reactor) {
		for _, p := range s.peerList() {
			events.Signal(p, int(num))
		}
	})
}

// savePID writes daemon.pid; a live pid already there is an error.
func (s *server) savePID() error {
	path := s.env.Daemon.PID
	if path == "" {
		return nil
	}
	if b, err := os.ReadFile(path); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			if unix.Kill(pid, 0) == nil || errors.Is(unix.Kill(pid, 0), unix.EPERM) {
				return fmt.Errorf("PIDfile already exists and program still running %s", path)
			}
		}
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("can not create PIDfile %s: %w", path, err)
	}
	s.pidFile = path
	return nil
}

func (s *server) removePID() {
	if s.pidFile != "" {
		_ = os.Remove(s.pidFile)
	}
}

// dropToUser switches to daemon.user when running as root.
func dropToUser(name string) error {
	if os.Geteuid() != 0 || name == "" || name == "root" {
		return nil
	}
	uid, gid, err := passwdUser(name)
	if err != nil {
		return err
	}
	if err := unix.Setgroups([]int{gid}); err != nil {
		return err
	}
	if err := unix.Setgid(gid); err != nil {
		return err
	}
	return unix.Setuid(uid)
}

// passwdUser reads /etc/passwd (no cgo).
func passwdUser(name string) (uid, gid int, err error) {
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) >= 4 && f[0] == name {
			uid, err1 := strconv.Atoi(f[2])
			gid, err2 := strconv.Atoi(f[3])
			if err1 == nil && err2 == nil {
				return uid, gid, nil
			}
		}
	}
	return 0, 0, fmt.Errorf("unknown user %q", name)
}

// daemonize re-executes the server detached (setsid, stdio on
// /dev/null) and returns done in the parent. As ExaBGP, it is skipped with
// a log line when logging goes to stdout/stderr, when stdin is a socket or
// when the parent is init.
func (s *server) daemonize() (done bool, code int) {
	l := s.log(reactor.CatDaemon)
	dest := reactor.LogDestination(s.env.Log.Destination, os.Stderr)
	if dest == "stdout" || dest == "stderr" {
		l.Error().Msg("ExaBGP can not fork when logs are going to " + dest)
		return false, 0
	}
	if st, err := os.Stdin.Stat(); err == nil && st.Mode()&os.ModeSocket != 0 {
		l.Error().Msg("ExaBGP can not fork when stdin is a socket")
		return false, 0
	}
	if os.Getppid() == 1 {
		return false, 0
	}
	exe, err := os.Executable()
	if err != nil {
		l.Error().Err(err).Msg("can not daemonize")
		return false, 0
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), envDaemonized+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		l.Error().Err(err).Msg("can not daemonize")
		return false, 0
	}
	return true, 0
}

// delayedSignal is -s N: run the server as a child, send it SIGUSR1 after
// N seconds, and exit with its code.
func delayedSignal(args []string, delay int) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		return 1
	}
	cmd := exec.Command(exe, append([]string{"server"}, withoutSignalFlag(args)...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		return 1
	}
	signal.Ignore(syscall.SIGINT)
	t := time.AfterFunc(time.Duration(delay)*time.Second, func() { _ = cmd.Process.Signal(syscall.SIGUSR1) })
	defer t.Stop()
	return childExitCode(cmd.Wait())
}

// withoutSignalFlag drops -s N / --signal N / --signal=N / -sN.
func withoutSignalFlag(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-s" || a == "--signal":
			i++
		case strings.HasPrefix(a, "--signal="), strings.HasPrefix(a, "-s") && len(a) > 2 && !strings.HasPrefix(a, "--"):
		default:
			out = append(out, a)
		}
	}
	return out
}

// forkPerConfiguration runs one server per configuration file, as ExaBGP
// forks one reactor per file, and waits for all of them.
func forkPerConfiguration(env *config.Env, args, files []string, logs *reactor.Log) int {
	dest := reactor.LogDestination(env.Log.Destination, os.Stderr)
	if !(dest == "syslog" || dest == "stdout" || dest == "stderr" || strings.HasPrefix(dest, "host:")) {
		l := logs.For(reactor.CatConfiguration)
		l.Error().Msg("can not log to files when running multiple configuration (as we fork)")
		return 1
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error: "+err.Error())
		return 1
	}
	var flags []string
	for _, a := range args {
		if !hasString(files, a) {
			flags = append(flags, a)
		}
	}
	signal.Ignore(syscall.SIGINT)
	var cmds []*exec.Cmd
	for _, f := range files {
		cmd := exec.Command(exe, append(append([]string{"server"}, flags...), f)...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			fmt.Fprintf(os.Stderr, "can not fork, %v\n", err)
			return 1
		}
		cmds = append(cmds, cmd)
	}
	code := 0
	for _, c := range cmds {
		if rc := childExitCode(c.Wait()); rc != 0 {
			code = rc
		}
	}
	return code
}

func hasString(l []string, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

func childExitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		return ee.ExitCode()
	}
	return 1
}

// startProfile writes a CPU profile to file ("stdout" is not supported:
// the profile goes to exabgp-profile.pprof in the working directory).
func startProfile(file string, l *zerolog.Logger) func() {
	if file == "stdout" {
		file = "exabgp-profile.pprof"
	}
	if _, err := os.Stat(file); err == nil {
		l.Debug().Msgf("profile can not use this filename as output, it already exists (%s)", file)
		return nil
	}
	f, err := os.Create(filepath.Clean(file))
	if err != nil {
		l.Debug().Err(err).Msg("could not save profiling information")
		return nil
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
