package pollbench

import (
	"errors"
	"fmt"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// pairs makes n loopback TCP connections and returns the raw, non-blocking
// descriptors of both ends (dup'ed out of net.Conn, so the Go runtime's
// poller no longer watches them).
func pairs(n int) (client, server []int, err error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	defer ln.Close()
	closeAll := func() {
		for _, fd := range append(client, server...) {
			unix.Close(fd)
		}
	}
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp4", ln.Addr().String())
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		s, err := ln.Accept()
		if err != nil {
			c.Close()
			closeAll()
			return nil, nil, err
		}
		cfd, err1 := dupFD(c)
		sfd, err2 := dupFD(s)
		c.Close()
		s.Close()
		if err := errors.Join(err1, err2); err != nil {
			closeAll()
			return nil, nil, err
		}
		client = append(client, cfd)
		server = append(server, sfd)
	}
	return client, server, nil
}

func dupFD(c net.Conn) (int, error) {
	rc, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		return -1, err
	}
	nfd := -1
	var derr error
	if err := rc.Control(func(fd uintptr) { nfd, derr = unix.Dup(int(fd)) }); err != nil {
		return -1, err
	}
	if derr != nil {
		return -1, derr
	}
	return nfd, unix.SetNonblock(nfd, true)
}

// sink is the state the owning goroutine keeps: it must only be touched by
// that goroutine (the "reactor").
type sink struct {
	partial [][]byte // per connection, an incomplete frame
	perConn []int64
	lat     *latencies
	handled int64

	published atomic.Int64 // handled, for the generator
	target    atomic.Int64
	done      chan struct{}
}

func newSink(conns, maxSamples int) *sink {
	return &sink{
		partial: make([][]byte, conns),
		perConn: make([]int64, conns),
		lat:     newLatencies(maxSamples),
		done:    make(chan struct{}, 1),
	}
}

// feed consumes bytes read from connection id (on the owning goroutine).
func (s *sink) feed(id int, b []byte) {
	t := now()
	if p := s.partial[id]; len(p) > 0 {
		need := frameLen - len(p)
		if len(b) < need {
			s.partial[id] = append(p, b...)
			return
		}
		p = append(p, b[:need]...)
		b = b[need:]
		s.frame(id, p, t)
		s.partial[id] = p[:0]
	}
	for len(b) >= frameLen {
		s.frame(id, b[:frameLen], t)
		b = b[frameLen:]
	}
	if len(b) > 0 {
		s.partial[id] = append(s.partial[id][:0], b...)
	}
	s.published.Store(s.handled)
	if tg := s.target.Load(); tg > 0 && s.handled >= tg {
		s.target.Store(0)
		select {
		case s.done <- struct{}{}:
		default:
		}
	}
}

func (s *sink) frame(id int, f []byte, t int64) {
	s.lat.add(t - frameTime(f))
	s.perConn[id]++
	s.handled++
}

// server delivers the readable data of fds to sink.feed on one goroutine.
type server interface {
	start(fds []int, s *sink) error
	stop() // closes the descriptors
}

// Load describes a delivery workload.
type Load struct {
	Conns    int           // loopback TCP connections
	Rate     int           // frames per second in total; 0: closed loop
	Duration time.Duration // with Rate
	Events   int           // closed loop: frames to deliver (rounds of one frame per connection)
}

// Result of one delivery run.
type Result struct {
	Variant     string
	Events      int64
	Wall        time.Duration
	NsPerEvent  float64 // wall / events
	CPUPerEvent float64 // process CPU minus the generator's thread, / events
	P50, P99    int64   // event (write by the peer) → handled by the owning goroutine, ns
	P999        int64
	Goroutines  int // extra goroutines while running (max sampled), generator excluded
	Threads     int // OS threads of the process at the end
}

// Variants lists the delivery servers.
var Variants = []string{"epoll", "netpoll-runner", "netpoll-queue", "netpoll-chan"}

func newServer(v string) (server, error) {
	switch v {
	case "epoll":
		return &epollServer{}, nil
	case "netpoll-runner":
		return &netpollServer{mode: modeRunner}, nil
	case "netpoll-queue":
		return &netpollServer{mode: modeQueue}, nil
	case "netpoll-chan":
		return &netpollServer{mode: modeChan}, nil
	}
	return nil, fmt.Errorf("unknown variant %q", v)
}

// Run serves load with the named variant and measures it.
func Run(variant string, load Load) (Result, error) {
	srv, err := newServer(variant)
	if err != nil {
		return Result{}, err
	}
	cfds, sfds, err := pairs(load.Conns)
	if err != nil {
		return Result{}, err
	}
	defer func() {
		for _, fd := range cfds {
			unix.Close(fd)
		}
	}()
	maxSamples := 2_000_000
	sk := newSink(load.Conns, maxSamples)
	baseG := runtime.NumGoroutine()
	if err := srv.start(sfds, sk); err != nil {
		return Result{}, err
	}
	defer srv.stop()

	type genOut struct {
		sent            int64
		wall, cpu, gcpu time.Duration
		maxG            int
		err             error
	}
	outc := make(chan genOut, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var o genOut
		frame := make([]byte, frameLen)
		var seq uint32
		write := func(fd int) error {
			seq++
			putFrame(frame, seq)
			n, err := unix.Write(fd, frame)
			if err != nil || n != frameLen {
				return fmt.Errorf("generator write: n=%d err=%v", n, err)
			}
			o.sent++
			return nil
		}
		sample := func() {
			if g := runtime.NumGoroutine(); g > o.maxG {
				o.maxG = g
			}
		}
		c0, g0, t0 := cpuNow(), threadCPU(), time.Now()
		if load.Rate <= 0 {
			for o.sent < int64(load.Events) && o.err == nil {
				k := min(int64(load.Conns), int64(load.Events)-o.sent)
				sk.target.Store(o.sent + k)
				for i := 0; i < int(k) && o.err == nil; i++ {
					o.err = write(cfds[i])
				}
				sample()
				select {
				case <-sk.done:
				case <-time.After(30 * time.Second):
					o.err = fmt.Errorf("round lost: sent %d handled %d", o.sent, sk.published.Load())
				}
			}
		} else {
			next := 0
			for o.err == nil {
				el := time.Since(t0)
				if el >= load.Duration {
					break
				}
				due := int64(float64(load.Rate) * el.Seconds())
				for o.sent < due && o.err == nil {
					o.err = write(cfds[next])
					next = (next + 1) % load.Conns
				}
				sample()
				time.Sleep(200 * time.Microsecond)
			}
			deadline := time.Now().Add(30 * time.Second)
			for sk.published.Load() < o.sent && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			if got := sk.published.Load(); got < o.sent && o.err == nil {
				o.err = fmt.Errorf("lost events: sent %d handled %d", o.sent, got)
			}
		}
		o.wall, o.cpu, o.gcpu = time.Since(t0), cpuNow()-c0, threadCPU()-g0
		outc <- o
	}()
	wg.Wait()
	o := <-outc
	if o.err != nil {
		return Result{}, o.err
	}
	r := Result{Variant: variant, Events: o.sent, Wall: o.wall, Threads: threads()}
	if o.sent > 0 {
		r.NsPerEvent = float64(o.wall) / float64(o.sent)
		r.CPUPerEvent = float64(o.cpu-o.gcpu) / float64(o.sent)
	}
	r.Goroutines = o.maxG - baseG - 1
	srv.stop() // the sink is ours again once the server goroutines are gone
	ps := sk.lat.pct(50, 99, 99.9)
	r.P50, r.P99, r.P999 = ps[0], ps[1], ps[2]
	return r, nil
}
