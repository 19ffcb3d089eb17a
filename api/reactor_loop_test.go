package api

import (
	"os/exec"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
	"exago/peer"
	"exago/reactor"
)

// TestReactorLoop runs a helper under the real reactor: its commands are
// read through epoll, answered, and `shutdown` stops the loop.
func TestReactorLoop(t *testing.T) {
	if _, err := exec.LookPath("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh")
	}
	loop := &ReactorLoop{}
	var signals []Signal
	d := &PeerSet{List: func() []*peer.Peer { return nil }, Now: time.Now, Log: zerolog.Nop()}
	srv := New(Options{Log: zerolog.Nop(), Loop: loop, Daemon: d, Version: "5.0.13"})
	loop.S = srv
	started := func() error {
		srv.Start([]*config.Process{{Name: "helper", Encoder: "text", Respawn: true, Run: []string{"/bin/sh", "-c",
			`echo version; read v; read d; [ "$v $d" = "exabgp 5.0.13 done" ] && echo shutdown; read a; read b; while read x; do :; done`}}}, false)
		return nil
	}
	r, err := reactor.New(func(*config.Neighbor, peer.Driver) reactor.Machine { return nil }, reactor.WithStarted(started))
	if err != nil {
		t.Fatal(err)
	}
	loop.R = r
	d.OnSignal = func(s Signal) {
		signals = append(signals, s)
		srv.Shutdown(func() { r.Stop(0) })
	}
	done := make(chan int, 1)
	go func() {
		code, _ := r.Run(&config.Config{})
		done <- code
	}()
	select {
	case code := <-done:
		if code != 0 || len(signals) != 1 || signals[0] != SignalShutdown {
			t.Errorf("exit %d, signals %v", code, signals)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the helper's shutdown command did not stop the reactor")
	}
}

// TestReactorLoopRespawnLimit: a helper that dies at once is respawned
// through the reactor (its exit is posted by the wait goroutine) until the
// limit, then the daemon performs an ordinary shutdown and exits 0, as
// ExaBGP 5.0 does.
func TestReactorLoopRespawnLimit(t *testing.T) {
	if _, err := exec.LookPath("/bin/sh"); err != nil {
		t.Skip("needs /bin/sh")
	}
	loop := &ReactorLoop{}
	var signals []Signal
	d := &PeerSet{List: func() []*peer.Peer { return nil }, Now: time.Now, Log: zerolog.Nop()}
	srv := New(Options{Log: zerolog.Nop(), Loop: loop, Daemon: d, Version: "5.0.13"})
	loop.S = srv
	started := func() error {
		srv.Start([]*config.Process{{Name: "d", Encoder: "json", Respawn: true, Run: []string{"/bin/sh", "-c", "exit 1"}}}, false)
		return nil
	}
	r, err := reactor.New(func(*config.Neighbor, peer.Driver) reactor.Machine { return nil }, reactor.WithStarted(started))
	if err != nil {
		t.Fatal(err)
	}
	loop.R = r
	loop.OnFatal = func(code int, reason string) { t.Errorf("fatal %d %s", code, reason); r.Stop(code) }
	d.OnSignal = func(s Signal) {
		signals = append(signals, s)
		srv.Shutdown(func() { r.Stop(0) })
	}
	done := make(chan int, 1)
	go func() {
		code, _ := r.Run(&config.Config{})
		done <- code
	}()
	select {
	case code := <-done:
		if code != 0 || len(signals) != 1 || signals[0] != SignalShutdown {
			t.Errorf("exit %d, signals %v", code, signals)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the respawn limit did not stop the reactor")
	}
}
