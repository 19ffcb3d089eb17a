package api

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
)

// pollLoop drives a Server with poll(2) for process tests. Its clock only
// moves when the test says so.
type pollLoop struct {
	*fakeLoop
	s *Server
}

// run polls until cond holds or the (generous) timeout passes.
func (l *pollLoop) run(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not reached")
		}
		l.step()
	}
}

func (l *pollLoop) step() {
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
			l.s.OnReadable(int(f.Fd))
		}
		if f.Revents&(unix.POLLOUT|unix.POLLERR) != 0 && l.interest[int(f.Fd)][1] {
			l.s.OnWritable(int(f.Fd))
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

// syncBuffer is a log sink safe for the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func procServer(t *testing.T, env *config.Env, limit int) (*Server, *pollLoop, *fakeDaemon, *syncBuffer) {
	t.Helper()
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh")
	}
	logs := &syncBuffer{}
	l := &pollLoop{fakeLoop: newFakeLoop()}
	d := &fakeDaemon{peers: []Peer{{neighbor("10.0.0.1", 65001, "helper"), true}}}
	s := New(Options{Log: zerolog.New(logs), Loop: l, Daemon: d, Env: env, Version: "5.0.13",
		JSON: stubRenderer{"json"}, Text: stubRenderer{"text"}, OutputLimit: limit})
	l.s = s
	t.Cleanup(func() {
		for _, p := range s.procs {
			unix.Kill(-p.pid, unix.SIGKILL) // the helper's whole process group
			p.closeFds()
		}
	})
	return s, l, d, logs
}

func shell(name, script string, respawn bool) *config.Process {
	return &config.Process{Name: name, Run: []string{"/bin/sh", "-c", script}, Encoder: "text", Respawn: respawn}
}

func TestProcessCommandsAndAcks(t *testing.T) {
	s, l, d, logs := procServer(t, nil, 0)
	s.Start([]*config.Process{shell("helper",
		`echo version; read v; read a; echo "debug hello"; `+
			`echo "announce route 1.0.0.0/24 next-hop 1.1.1.1 name $a"; read b; `+
			`printf 'bogus\nneighbor 10.0.0.1 announce eor\n'; read c; read e; `+
			`echo "announce route 2.0.0.0/24 next-hop 1.1.1.1 name $b-$c-$e-$TERM"; cat >/dev/null`, true)}, false)
	l.run(t, func() bool { return len(d.calls) == 3 })
	want := []string{
		"routes 10.0.0.1 announce route [announce|route|1.0.0.0/24|next-hop|1.1.1.1|name|done]",
		"eor 10.0.0.1 ipv4 unicast",
		"routes 10.0.0.1 announce route [announce|route|2.0.0.0/24|next-hop|1.1.1.1|name|done-error-done-dumb]",
	}
	for i := range want {
		if d.calls[i] != want[i] {
			t.Errorf("call %d = %q, want %q", i, d.calls[i], want[i])
		}
	}
	if !strings.Contains(logs.String(), "debug info from helper : hello") {
		t.Errorf("debug line not logged: %s", logs)
	}
	if !strings.Contains(logs.String(), "command from process not understood : bogus") {
		t.Errorf("bad command not logged: %s", logs)
	}
}

// A helper that keeps dying is started six times in one ~64 s bucket (the
// first start and five respawns); the sixth start logs "Too many death"
// once and asks the daemon for an ordinary shutdown (ExaBGP exits 0 after
// it), with no further respawn and no fatal stop.
func TestProcessRespawnLimit(t *testing.T) {
	s, l, d, logs := procServer(t, nil, 0)
	s.Start([]*config.Process{shell("helper", "exit 0", true)}, false)
	shutdown := fmt.Sprintf("signal %d", SignalShutdown)
	l.run(t, func() bool { return slices.Contains(d.calls, shutdown) })
	// let the last helper die too: it must not be started again
	l.run(t, func() bool { return len(s.Processes()) == 0 })
	for range 5 {
		l.step()
	}
	if len(l.fatal) != 0 {
		t.Errorf("fatal = %q", l.fatal)
	}
	if n := strings.Count(strings.Join(d.calls, "\n"), shutdown); n != 1 {
		t.Errorf("%d shutdown requests, want 1: %v", n, d.calls)
	}
	out := logs.String()
	if n := strings.Count(out, "Too many death for helper (5) terminating program"); n != 1 {
		t.Errorf("\"Too many death\" logged %d times, want once:\n%s", n, out)
	}
	if !strings.Contains(out, "Problem when sending message(s) to helper program, stopping") {
		t.Errorf("no stopping line:\n%s", out)
	}
	if n := strings.Count(out, "forked process"); n != 6 {
		t.Errorf("%d starts, want 6 (1 + 5 respawns)", n)
	}
}

func TestProcessRespawnNewBucket(t *testing.T) {
	s, l, _, logs := procServer(t, nil, 0)
	s.Start([]*config.Process{shell("helper", "read x", true)}, false)
	for i := range 12 {
		l.now = l.now.Add(70 * time.Second) // a new bucket each time
		pid := s.Processes()["helper"]
		l.s.Command("helper", "# "+string(rune('a'+i)))
		l.run(t, func() bool { q := s.Processes()["helper"]; return q != 0 && q != pid })
	}
	if len(l.fatal) != 0 {
		t.Errorf("respawn limit hit across buckets: %v\n%s", l.fatal, logs)
	}
}

func TestProcessNoRespawn(t *testing.T) {
	env := config.DefaultEnv()
	env.API.Respawn = false
	s, l, _, _ := procServer(t, env, 0)
	s.Start([]*config.Process{shell("helper", "exit 0", true)}, false)
	l.run(t, func() bool { return len(s.Processes()) == 0 })
	for range 5 {
		l.step()
	}
	if len(s.Processes()) != 0 || len(l.fatal) != 0 {
		t.Errorf("respawned with api.respawn false: %v %v", s.Processes(), l.fatal)
	}
}

// A helper that never reads its stdin must not stall the daemon: its
// queue stays under the limit, and when the limit is hit it is restarted.
func TestProcessNotReading(t *testing.T) {
	const limit = 256 << 10
	s, l, _, logs := procServer(t, nil, limit)
	s.Start([]*config.Process{shell("helper", "exec sleep 60", true)}, false)
	nb := neighbor("10.0.0.1", 65001, "helper")
	s.SetNeighbors([]*config.Neighbor{nb})
	first := s.Processes()["helper"]
	ev := &Event{Kind: EventState, Neighbor: nb, Change: "up", Reason: strings.Repeat("x", 1000)}
	for i := 0; s.Processes()["helper"] == first; i++ {
		if i > 10000 {
			t.Fatalf("helper never restarted")
		}
		for range 100 {
			s.Emit(ev)
		}
		if p := s.procs["helper"]; p != nil && len(p.wbuf)-p.woff > limit {
			t.Fatalf("queue %d over the limit %d", len(p.wbuf)-p.woff, limit)
		}
		l.step()
	}
	if !strings.Contains(logs.String(), "is not reading its input") {
		t.Errorf("no log line: %s", logs)
	}
}

func TestProcessOversizedLine(t *testing.T) {
	s, l, _, logs := procServer(t, nil, 0)
	s.Start([]*config.Process{shell("helper", "head -c 1100000 /dev/zero | tr '\\000' a; exec sleep 60", false)}, false)
	l.run(t, func() bool { return len(s.Processes()) == 0 })
	if !strings.Contains(logs.String(), "oversized command from process helper") {
		t.Errorf("no log line: %s", logs)
	}
}

func TestProcessShutdown(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	s, l, _, _ := procServer(t, nil, 0)
	s.Start([]*config.Process{shell("helper", "cat > "+out, true)}, false)
	done := false
	s.Shutdown(func() { done = true })
	l.run(t, func() bool { b, _ := os.ReadFile(out); return string(b) == "text shutdown\n" })
	if done {
		t.Fatal("done before the helpers were terminated")
	}
	l.advance(100 * time.Millisecond) // SIGTERM
	l.run(t, func() bool { return done })
	if len(s.Processes()) != 0 {
		t.Errorf("processes left: %v", s.Processes())
	}
}

func TestProcessStartFailure(t *testing.T) {
	s, l, _, _ := procServer(t, nil, 0)
	s.Start([]*config.Process{{Name: "helper", Run: []string{"/nonexistent/helper"}, Encoder: "json", Respawn: true}}, false)
	if len(l.broken) != 1 || l.broken[0] != "helper" {
		t.Errorf("broken = %v", l.broken)
	}
}

// A helper that writes commands but never reads its answers is paused
// (back-pressure), not killed, and the other helpers are still served.
func TestProcessBackPressure(t *testing.T) {
	const limit = 64 << 10
	s, l, _, logs := procServer(t, nil, limit)
	s.Start([]*config.Process{
		shell("writer", "yes version | head -n 200000; exec sleep 60", true),
		shell("other", "while read x; do :; done", true),
	}, false)
	pid := s.Processes()["writer"]
	l.run(t, func() bool { return s.procs["writer"].paused })
	for range 20 {
		l.step()
		p := s.procs["writer"]
		if p == nil || p.pid != pid {
			t.Fatalf("writer restarted:\n%s", logs)
		}
		if q := len(p.wbuf) - p.woff; q > limit {
			t.Fatalf("queue %d over the limit", q)
		}
	}
	s.Command("other", "version")
	other := s.procs["other"]
	l.run(t, func() bool { return other.woff == len(other.wbuf) })
	if !strings.Contains(logs.String(), "pausing its commands") {
		t.Errorf("no log line: %s", logs)
	}
}

// A helper's last commands, written just before it exits, are run.
func TestProcessLastWords(t *testing.T) {
	s, l, d, _ := procServer(t, nil, 0)
	s.Start([]*config.Process{shell("helper", `printf 'announce eor\nannounce route-refresh ipv4 unicast\n'`, false)}, false)
	l.run(t, func() bool { return len(s.Processes()) == 0 })
	if got := strings.Join(d.calls, ";"); got != "eor 10.0.0.1 ipv4 unicast;refresh 10.0.0.1 ipv4 unicast" {
		t.Errorf("calls %q", got)
	}
}
