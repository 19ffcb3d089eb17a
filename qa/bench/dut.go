package bench

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Setup is what a scenario asks of a DUT: the same for every DUT, so that
// each is configured by the harness from one description.
type Setup struct {
	Dir        string // scratch directory for configuration and logs
	N          int    // emulated peers, PeerAddr(0..N-1)
	Hold       uint16
	Port       int  // the DUT's listen port (DUTAccepts) or ours
	DUTAccepts bool // true: peers connect to the DUT; false: the DUT connects out
	LocalAS    uint32
	PeerAS     uint32
	Routes     int           // routes the DUT announces to every peer, from configuration
	Helper     string        // helper command line (API scenarios); empty for none
	HelperRecv bool          // the helper wants received UPDATEs as JSON
	Timeout    time.Duration // a DUT that loads its table by other means gives up after this
}

// Proc is a running DUT.
type Proc struct {
	Cmd *exec.Cmd
	Log string

	mu      sync.Mutex
	failure error         // set by the harness's own feeder (GoBGP's MRT injection)
	cleanup []func()      // run by Stop before the DUT is stopped
	diag    func() string // what the DUT says of its state, for failure reports
}

// fail records that the harness could not feed the DUT; waitFor reports
// it instead of waiting for the timeout.
func (p *Proc) fail(err error) {
	p.mu.Lock()
	if p.failure == nil {
		p.failure = err
	}
	p.mu.Unlock()
}

// Failed is the first error recorded by fail.
func (p *Proc) Failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failure
}

func (p *Proc) onStop(f func()) {
	p.mu.Lock()
	p.cleanup = append(p.cleanup, f)
	p.mu.Unlock()
}

// Diag is the DUT's own account of its state ("" when it has none).
func (p *Proc) Diag() string {
	if p == nil || p.diag == nil {
		return ""
	}
	return p.diag()
}

// Pid is the DUT's process id.
func (p *Proc) Pid() int { return p.Cmd.Process.Pid }

// Stop sends SIGTERM, waits up to 10 s, then kills the process group.
func (p *Proc) Stop() {
	if p == nil || p.Cmd.Process == nil {
		return
	}
	p.mu.Lock()
	cleanup := p.cleanup
	p.cleanup = nil
	p.mu.Unlock()
	for _, f := range cleanup {
		f()
	}
	p.Cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.Cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-p.Cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// DUT is one implementation under test.
type DUT interface {
	Name() string
	// Available says why the DUT cannot run here (nil when it can).
	Available() error
	// Supports says why the DUT cannot run a scenario (nil when it can).
	Supports(scenario string) error
	Start(s *Setup) (*Proc, error)
}

func start(s *Setup, name string, env []string, argv ...string) (*Proc, error) {
	log := filepath.Join(s.Dir, name+".log")
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%s: %w", argv[0], err)
	}
	return &Proc{Cmd: cmd, Log: log}, nil
}

// Tail returns the last lines of the DUT's log, for failure reports.
func (p *Proc) Tail(n int) string {
	raw, _ := os.ReadFile(p.Log)
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Lookup finds a DUT by name: exago, exago-sync, exabgp, gobgp, bird.
func Lookup(name, bin string) (DUT, error) {
	switch name {
	case "exago":
		return &ExaGo{Bin: bin}, nil
	case "exago-sync":
		return &ExaGo{Bin: bin, Sync: true}, nil
	case "exabgp":
		return &ExaBGP{Bin: bin}, nil
	case "gobgp":
		return &GoBGP{Bin: bin}, nil
	case "bird":
		return &BIRD{Bin: bin}, nil
	}
	return nil, fmt.Errorf("bench: unknown DUT %q (exago, exago-sync, exabgp, gobgp, bird)", name)
}

func findBin(given string, names ...string) (string, error) {
	if given != "" {
		if _, err := os.Stat(given); err != nil {
			return "", err
		}
		return given, nil
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found on PATH", strings.Join(names, " or "))
}
