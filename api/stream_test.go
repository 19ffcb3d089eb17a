package api

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
)

// ribDaemon is a fakeDaemon whose adj-rib holds n routes.
type ribDaemon struct {
	fakeDaemon
	n        int
	emitted  int
	returned bool // the walk returned (finished or unwound)
}

func (d *ribDaemon) ShowAdjRIB(r ShowAdjRIB, emit func(string)) {
	defer func() { d.returned = true }()
	for i := range d.n {
		d.emitted++
		emit(ribLine(i))
	}
}

func ribLine(i int) string {
	return fmt.Sprintf("10.0.0.1 ipv4 unicast %d.%d.%d.0/24 next-hop 10.0.0.1", 1+i>>16, i>>8&0xff, i&0xff)
}

// streamServer runs one shell helper against a ribDaemon, with a small
// output limit; the returned step polls the helper pipes once.
func streamServer(t *testing.T, routes, limit int, script string) (*Server, *fakeLoop, *ribDaemon, func()) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh")
	}
	l := newFakeLoop()
	d := &ribDaemon{fakeDaemon: fakeDaemon{peers: []Peer{{neighbor("10.0.0.1", 65001, "helper"), true}}}, n: routes}
	s := New(Options{Log: zerolog.Nop(), Loop: l, Daemon: d, Version: "5.0.13", OutputLimit: limit})
	t.Cleanup(func() {
		for _, p := range s.procs {
			unix.Kill(-p.pid, unix.SIGKILL)
			p.closeFds()
		}
	})
	s.Start([]*config.Process{{Name: "helper", Run: []string{"/bin/sh", "-c", script}, Encoder: "text"}}, false)
	step := func() {
		var fds []unix.PollFd
		for fd, in := range l.interest {
			var ev int16
			if in[0] {
				ev |= unix.POLLIN
			}
			if in[1] {
				ev |= unix.POLLOUT
			}
			fds = append(fds, unix.PollFd{Fd: int32(fd), Events: ev})
		}
		unix.Poll(fds, 10)
		for _, f := range fds {
			if f.Revents&(unix.POLLIN|unix.POLLHUP|unix.POLLERR) != 0 && l.interest[int(f.Fd)][0] {
				s.OnReadable(int(f.Fd))
			}
			if f.Revents&(unix.POLLOUT|unix.POLLERR) != 0 && l.interest[int(f.Fd)][1] {
				s.OnWritable(int(f.Fd))
			}
		}
		for {
			select {
			case fn := <-l.posted:
				fn()
			default:
				return
			}
		}
	}
	return s, l, d, step
}

// A `show adj-rib in` answer several times the output limit reaches a
// slow reader completely, then `done`; the helper's next command waits
// behind it; the queue stays under the limit and the helper is never
// restarted.
func TestStreamAdjRIBSlowReader(t *testing.T) {
	const (
		limit  = 64 << 10
		routes = 6000 // ~330 KB of text, five times the limit
	)
	out := filepath.Join(t.TempDir(), "out")
	s, _, d, step := streamServer(t, routes, limit,
		`printf 'show adj-rib in\nversion\n'; sleep 0.3; `+
			`while IFS= read -r l; do printf '%s\n' "$l"; done > `+out)
	pid := s.Processes()["helper"]
	deadline := time.Now().Add(30 * time.Second)
	want := routes + 3 // the routes, done, exabgp 5.0.13, done
	var lines []string
	maxQueue := 0
	for {
		if time.Now().After(deadline) {
			t.Fatalf("the helper got %d of %d lines", len(lines), want)
		}
		step()
		p := s.procs["helper"]
		if p == nil || p.pid != pid {
			t.Fatal("the helper was restarted")
		}
		maxQueue = max(maxQueue, len(p.wbuf)-p.woff)
		if st := streamOf(p); st != nil && !p.paused {
			t.Fatal("the helper's commands are read while its answer is streamed")
		}
		b, _ := os.ReadFile(out)
		if lines = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"); len(lines) >= want {
			break
		}
	}
	if maxQueue > limit/4+128 { // the stream's high mark and one line
		t.Errorf("queue reached %d bytes (limit %d)", maxQueue, limit)
	}
	if len(lines) != want {
		t.Fatalf("%d lines, want %d", len(lines), want)
	}
	for i := range routes {
		if lines[i] != ribLine(i) {
			t.Fatalf("line %d = %q, want %q", i, lines[i], ribLine(i))
		}
	}
	if tail := strings.Join(lines[routes:], "|"); tail != "done|exabgp 5.0.13|done" {
		t.Errorf("after the routes: %q", tail)
	}
	if !d.returned || d.emitted != routes {
		t.Errorf("walk returned %v after %d routes", d.returned, d.emitted)
	}
	if streamOf(s.procs["helper"]) != nil {
		t.Error("stream left behind")
	}
}

// A helper stopped while its answer waits for the pipe has its stream
// ended and the daemon's walk unwound, without writing the rest.
func TestStreamAdjRIBHelperStopped(t *testing.T) {
	const routes = 100_000
	s, l, d, step := streamServer(t, routes, 64<<10, `printf 'show adj-rib in\n'; exec sleep 60`)
	p := s.procs["helper"]
	deadline := time.Now().Add(20 * time.Second)
	for streamOf(p) == nil || len(p.wbuf)-p.woff < s.streamHigh() {
		if time.Now().After(deadline) {
			t.Fatal("the answer never filled the queue")
		}
		step()
	}
	for range 10 {
		step()
	}
	if q := len(p.wbuf) - p.woff; q > 64<<10 {
		t.Fatalf("queue %d over the limit", q)
	}
	if d.returned || d.emitted >= routes {
		t.Fatalf("the walk went on without a reader: %d routes, returned %v", d.emitted, d.returned)
	}
	s.stop(p)
	l.advance(time.Second)
	if streamOf(p) != nil {
		t.Fatal("stream of a stopped helper left behind")
	}
	if !d.returned || d.emitted >= routes {
		t.Errorf("walk not unwound: %d routes, returned %v", d.emitted, d.returned)
	}
}
