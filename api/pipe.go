package api

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
)

// This file is the named-pipe CLI channel (ExaBGP's application/pipe.py):
// finding the FIFOs, the hidden helper process that bridges them to the
// API, and that bridge itself.

// EnvCLIPipe is the environment variable that tells a re-executed exabgp
// binary to act as the pipe bridge; its value is the FIFO directory.
const EnvCLIPipe = "exabgp_cli_pipe"

// PipeLocations lists the directories searched for <name>.in and
// <name>.out, in ExaBGP's order.
func PipeLocations(root string) []string {
	uid := strconv.Itoa(os.Getuid())
	locs := []string{"/run/exabgp/", "/run/" + uid + "/", "/run/", "/var/run/exabgp/", "/var/run/" + uid + "/", "/var/run/"}
	for _, l := range locs[:6] {
		locs = append(locs, root+l)
	}
	return locs
}

// FindPipes returns the first location holding both FIFOs (with its
// trailing slash), or "" and every location searched.
func FindPipes(root, name string) (string, []string) {
	locs := PipeLocations(root)
	for _, l := range locs {
		if isFIFO(l+name+".in") && isFIFO(l+name+".out") {
			return l, nil
		}
	}
	return "", locs
}

func isFIFO(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode()&os.ModeNamedPipe != 0
}

// CLIProcess returns the hidden helper ExaBGP adds when it finds the
// FIFOs in dir (configuration/process add_api): it re-executes exe with
// `cli` and exabgp_cli_pipe set, which makes it the bridge. The returned
// environment entries go into [Options.ExtraEnv]; InternalPrefix names
// keep exabgp_cli_pipe, every other helper loses it.
func CLIProcess(exe, dir, pipename string, now time.Time) (*config.Process, []string) {
	name := fmt.Sprintf("%s-%x", InternalPrefix, uint32(now.UnixNano()))
	p := &config.Process{Name: name, Run: []string{exe, "cli"}, Encoder: "text", Respawn: true}
	return p, []string{EnvCLIPipe + "=" + dir, "exabgp_api_pipename=" + pipename}
}

// Bridge limits, as ExaBGP's pipe.py.
const (
	bridgeMaxLine    = 1 << 20
	bridgeMaxBacklog = 100 << 20
)

// RunBridge is the internal CLI helper: it copies command lines from the
// FIFO <dir><pipename>.in to its stdout (the daemon) and the daemon's
// answers from its stdin to <dir><pipename>.out (opened per line, as
// ExaBGP does, so answers for a client that went away are dropped). It
// first sends `enable-ack`. It returns the exit status. This runs in its
// own process, never on the reactor.
func RunBridge(dir, pipename string, stdin, stdout *os.File) int {
	recv := dir + pipename + ".in"
	send := dir + pipename + ".out"
	for _, f := range []string{recv, send} {
		if !isFIFO(f) {
			fmt.Fprintf(stdout, "error: a file exist which is not a named pipe (%s)\n", f)
			return 1
		}
	}
	fifo, err := unix.Open(recv, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		fmt.Fprintf(os.Stderr, "could not open %s: %v\n", recv, err)
		return 1
	}
	defer unix.Close(fifo)
	in := int(stdin.Fd())
	out := int(stdout.Fd())
	if _, err := unix.Write(out, []byte("enable-ack\n")); err != nil {
		return 1
	}
	b := &bridge{in: in, out: out, fifo: fifo, send: send}
	b.skipLine() // the answer to enable-ack
	return b.loop()
}

type bridge struct {
	in, out, fifo int
	send          string
	toDaemon      []byte // from the FIFO, to our stdout
	toClient      []byte // from our stdin, to the .out FIFO
}

// skipLine waits up to a second for one line on stdin and drops it.
func (b *bridge) skipLine() {
	deadline := time.Now().Add(time.Second)
	var buf [1024]byte
	for time.Now().Before(deadline) {
		fds := []unix.PollFd{{Fd: int32(b.in), Events: unix.POLLIN}}
		if n, _ := unix.Poll(fds, 100); n <= 0 {
			continue
		}
		n, err := unix.Read(b.in, buf[:])
		if n <= 0 || err != nil {
			return
		}
		if i := bytes.IndexByte(buf[:n], '\n'); i >= 0 {
			b.toClient = append(b.toClient, buf[i+1:n]...)
			return
		}
	}
}

func (b *bridge) loop() int {
	buf := make([]byte, 16*1024)
	for {
		timeout := 1000
		if bytes.IndexByte(b.toClient, '\n') >= 0 {
			timeout = 50
		}
		fds := []unix.PollFd{{Fd: int32(b.in), Events: unix.POLLIN}, {Fd: int32(b.fifo), Events: unix.POLLIN}}
		unix.Poll(fds, timeout)
		if fds[0].Revents&(unix.POLLHUP|unix.POLLERR|unix.POLLNVAL) != 0 && fds[0].Revents&unix.POLLIN == 0 {
			return 1 // the daemon went away
		}
		if fds[0].Revents&unix.POLLIN != 0 {
			n, err := unix.Read(b.in, buf)
			if n == 0 || (err != nil && err != unix.EAGAIN && err != unix.EINTR) {
				return 1
			}
			if n > 0 {
				b.toClient = append(b.toClient, buf[:n]...)
			}
		}
		if fds[1].Revents&unix.POLLIN != 0 {
			if n, _ := unix.Read(b.fifo, buf); n > 0 {
				b.toDaemon = append(b.toDaemon, buf[:n]...)
			}
		}
		if len(b.toDaemon) > bridgeMaxLine && bytes.IndexByte(b.toDaemon, '\n') < 0 {
			fmt.Fprintf(os.Stderr, "received a command larger than %d bytes - exiting\n", bridgeMaxLine)
			return 1
		}
		if len(b.toClient)+len(b.toDaemon) > bridgeMaxBacklog {
			fmt.Fprintln(os.Stderr, "using too much memory - exiting")
			return 1
		}
		if err := b.forward(); err != nil {
			return 1
		}
	}
}

// forward writes complete lines: commands to the daemon, answers to the
// client FIFO (when a client has it open).
func (b *bridge) forward() error {
	if i := bytes.LastIndexByte(b.toDaemon, '\n'); i >= 0 {
		if err := writeAll(b.out, b.toDaemon[:i+1]); err != nil {
			return err
		}
		b.toDaemon = append(b.toDaemon[:0], b.toDaemon[i+1:]...)
	}
	i := bytes.LastIndexByte(b.toClient, '\n')
	if i < 0 {
		return nil
	}
	fd, err := unix.Open(b.send, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil // no client reading yet: keep the lines, retry
	}
	defer unix.Close(fd)
	n, _ := unix.Write(fd, b.toClient[:i+1])
	if n > 0 {
		b.toClient = append(b.toClient[:0], b.toClient[n:]...)
	}
	return nil
}

func writeAll(fd int, b []byte) error {
	for len(b) > 0 {
		n, err := unix.Write(fd, b)
		if err == unix.EINTR || err == unix.EAGAIN {
			fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
			unix.Poll(fds, 1000)
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}

// SetupCLI is the server's CLI set-up (ExaBGP's application/server.py):
// with api.cli on it looks for the FIFOs of api.pipename under root; when
// found it logs where they are and returns the hidden helper to add to
// the configured processes and the environment for [Options.ExtraEnv];
// when not, it logs ExaBGP's advice and returns nil. exe is this binary.
func SetupCLI(log zerolog.Logger, env *config.Env, root, exe string, now time.Time) (*config.Process, []string) {
	if env == nil || !env.API.CLI {
		return nil, nil
	}
	name := env.API.PipeName
	if name == "" {
		name = "exabgp"
	}
	dir, searched := FindPipes(root, name)
	if dir == "" {
		cwd, _ := os.Getwd()
		log.Error().Str("source", "cli").Msgf("could not find the named pipes (%s.in and %s.out) required for the cli", name, name)
		log.Error().Str("source", "cli").Msg("we scanned the following folders (the number is your PID):")
		for _, l := range searched {
			log.Error().Str("source", "cli control").Msg(" - " + l)
		}
		log.Error().Str("source", "cli control").Msg("please make them in one of the folder with the following commands:")
		log.Error().Str("source", "cli control").Msgf("> mkfifo %s/run/%s.{in,out}", cwd, name)
		log.Error().Str("source", "cli control").Msgf("> chmod 600 %s/run/%s.{in,out}", cwd, name)
		if uid := os.Getuid(); uid != 0 {
			log.Error().Str("source", "cli control").Msgf("> chown %d:%d %s/run/%s.{in,out}", uid, os.Getgid(), cwd, name)
		}
		return nil, nil
	}
	log.Info().Str("source", "cli control").Msg("named pipes for the cli are:")
	log.Info().Str("source", "cli control").Msg("to send commands  " + dir + name + ".in")
	log.Info().Str("source", "cli control").Msg("to read responses " + dir + name + ".out")
	return CLIProcess(exe, dir, name, now)
}
