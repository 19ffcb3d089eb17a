package api

import (
	"os"
	"os/exec"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"exago/config"
)

// InternalPrefix starts the name of the hidden CLI helper process ExaBGP
// adds when it finds the named pipes (configuration/process API_PREFIX).
// It sees every peer and keeps exabgp_cli_pipe in its environment.
const InternalPrefix = "api-internal-cli"

const (
	readSize       = 16 * 1024   // one read from a helper (processes.py)
	readBudget     = 4           // reads per OnReadable call before yielding
	maxLine        = 1024 * 1024 // ExaBGP's MAX_COMMAND_SIZE
	outputLimit    = 8 << 20     // default bound on a helper's queued output
	helperPipeSize = 1 << 20     // requested size of a helper's stdin pipe
)

// process is one running helper program.
type process struct {
	name     string
	conf     *config.Process
	json     bool
	ack      bool
	internal bool

	cmd    *exec.Cmd
	pid    int
	stdin  int // our write end of the child's stdin (non-blocking)
	stdout int // our read end of the child's stdout (non-blocking)

	rbuf   []byte // partial line read
	wbuf   []byte // queued output, written from woff
	woff   int
	write  bool // write interest armed
	paused bool // not reading its stdout until it reads its stdin
	gone   bool // terminated; late events are ignored
	exited bool // the wait goroutine reported its exit

	stream  *stream // a `show adj-rib` answer being written (stream.go)
	written int64   // bytes written to its stdin so far (backlog.go)
	stalled bool    // read nothing for a while: peers do not wait for it
}

// spawn starts argv as ExaBGP does: no shell, stdin/stdout pipes, stderr
// inherited, its own process group, ExaBGP's environment plus TERM=dumb,
// without exabgp_cli_pipe unless the helper is the internal CLI bridge.
func spawn(name string, argv []string, extraEnv []string) (*process, error) {
	if len(argv) == 0 {
		return nil, &processError{name, "no program to run"}
	}
	var in, out [2]int
	if err := unix.Pipe2(in[:], unix.O_CLOEXEC); err != nil {
		return nil, &processError{name, "pipe: " + err.Error()}
	}
	if err := unix.Pipe2(out[:], unix.O_CLOEXEC); err != nil {
		unix.Close(in[0])
		unix.Close(in[1])
		return nil, &processError{name, "pipe: " + err.Error()}
	}
	childIn := os.NewFile(uintptr(in[0]), "stdin")
	childOut := os.NewFile(uintptr(out[1]), "stdout")
	cmd := &exec.Cmd{
		Path:        argv[0],
		Args:        argv,
		Env:         childEnv(name, extraEnv),
		Stdin:       childIn,
		Stdout:      childOut,
		Stderr:      os.Stderr,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	if !strings.Contains(argv[0], "/") {
		if lp, err := exec.LookPath(argv[0]); err == nil {
			cmd.Path = lp
		}
	}
	err := cmd.Start()
	childIn.Close()
	childOut.Close()
	if err != nil {
		unix.Close(in[1])
		unix.Close(out[0])
		return nil, &processError{name, err.Error()}
	}
	unix.SetNonblock(in[1], true)
	unix.SetNonblock(out[0], true)
	// A larger stdin pipe than Linux's 64 KiB default lets one write
	// carry a whole turn's events: fewer writes, fewer wake-ups of the
	// helper. Best effort (capped by fs.pipe-max-size).
	unix.FcntlInt(uintptr(in[1]), unix.F_SETPIPE_SZ, helperPipeSize)
	return &process{
		name: name, cmd: cmd, pid: cmd.Process.Pid,
		stdin: in[1], stdout: out[0],
		internal: strings.HasPrefix(name, InternalPrefix),
	}, nil
}

// childEnv copies the environment, sets TERM=dumb and drops
// exabgp_cli_pipe for every helper but the internal CLI one.
func childEnv(name string, extra []string) []string {
	internal := strings.HasPrefix(name, InternalPrefix)
	env := make([]string, 0, len(os.Environ())+len(extra)+1)
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TERM=") {
			continue
		}
		if !internal && strings.HasPrefix(kv, "exabgp_cli_pipe=") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, extra...)
	return append(env, "TERM=dumb")
}

// closeFds closes our ends of the pipes.
func (p *process) closeFds() {
	if p.stdin >= 0 {
		unix.Close(p.stdin)
		p.stdin = -1
	}
	if p.stdout >= 0 {
		unix.Close(p.stdout)
		p.stdout = -1
	}
}

// signal sends sig to the helper (not its group: ExaBGP's terminate()).
func (p *process) signal(sig syscall.Signal) {
	if p.cmd != nil && p.cmd.Process != nil {
		p.cmd.Process.Signal(sig)
	}
}

// processError names the helper a failure is about.
type processError struct {
	name string
	msg  string
}

func (e *processError) Error() string { return "process " + e.name + ": " + e.msg }
