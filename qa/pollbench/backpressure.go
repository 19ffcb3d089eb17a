package pollbench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bytedance/gopkg/util/gopool"
	"github.com/cloudwego/netpoll"
	"golang.org/x/sys/unix"
)

// PauseVariants lists the ways a consumer can try to stop reading.
var PauseVariants = []string{"epoll", "netpoll", "netpoll-onrequest", "netpoll-detach"}

// Pause is what piled up while the consumer did not read.
type Pause struct {
	How        string
	UserBytes  int64         // bytes read from the socket but not consumed, at the end of the pause
	HeapGrowth int64         // HeapInuse after − before the pause
	RSSGrowth  int64         // RSS after − before
	PeerBytes  int64         // bytes the peer's writes got accepted during the pause
	CPU        time.Duration // process CPU during the pause, the sender's thread excluded
	Paused     time.Duration
	Note       string
}

// sender writes a byte pattern (i mod 251) as fast as the socket takes it
// on its own locked OS thread until stopped or cap bytes are sent.
type sender struct {
	fd      int
	sent    atomic.Int64
	stopped atomic.Bool
	cpu     atomic.Int64 // the thread's CPU, updated on every write
	done    chan struct{}
}

func startSender(fd int, cap int64) *sender {
	s := &sender{fd: fd, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		buf := make([]byte, 64<<10)
		var off int64
		c0 := threadCPU()
		for !s.stopped.Load() && off < cap {
			for i := range buf {
				buf[i] = byte((off + int64(i)) % 251)
			}
			b := buf[:min(int64(len(buf)), cap-off)]
			for len(b) > 0 && !s.stopped.Load() {
				n, err := unix.Write(fd, b)
				if n > 0 {
					b = b[n:]
					off += int64(n)
					s.sent.Store(off)
				}
				if err != nil && !errors.Is(err, unix.EAGAIN) {
					return
				}
				if errors.Is(err, unix.EAGAIN) {
					s.cpu.Store(int64(threadCPU() - c0))
					pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
					_, _ = unix.Poll(pfd, 10)
				}
			}
			s.cpu.Store(int64(threadCPU() - c0))
		}
	}()
	return s
}

func (s *sender) stop() { s.stopped.Store(true); <-s.done }

// verify checks that b continues the pattern at stream offset off.
func verify(b []byte, off int64) error {
	for i, c := range b {
		if want := byte((off + int64(i)) % 251); c != want {
			return fmt.Errorf("stream broken at offset %d: %d, want %d", off+int64(i), c, want)
		}
	}
	return nil
}

const warmBytes = 1 << 20

// Backpressure lets a peer write as fast as it can to a consumer that reads
// warmBytes, then stops reading ("pauses") for d, the way the named variant
// allows; the netpoll sender stops after capBytes so the machine survives.
func Backpressure(variant string, d time.Duration, capBytes int64) (Pause, error) {
	cfds, sfds, err := pairs(1)
	if err != nil {
		return Pause{}, err
	}
	cfd, sfd := cfds[0], sfds[0]
	defer unix.Close(cfd)
	switch variant {
	case "epoll":
		return pauseEpoll(cfd, sfd, d, capBytes)
	case "netpoll", "netpoll-onrequest", "netpoll-detach":
		return pauseNetpoll(variant, cfd, sfd, d, capBytes)
	}
	unix.Close(sfd)
	return Pause{}, fmt.Errorf("unknown variant %q", variant)
}

type before struct {
	heap, rss, peer int64
	cpu, scpu       time.Duration
	t               time.Time
}

func snap(s *sender) before {
	runtime.GC()
	return before{heap: heapInuse(), rss: rssBytes(), peer: s.sent.Load(), cpu: cpuNow(), scpu: time.Duration(s.cpu.Load()), t: time.Now()}
}

func (b before) finish(p *Pause, s *sender) {
	p.Paused = time.Since(b.t)
	p.HeapGrowth = heapInuse() - b.heap
	p.RSSGrowth = rssBytes() - b.rss
	p.PeerBytes = s.sent.Load() - b.peer
	p.CPU = cpuNow() - b.cpu - (time.Duration(s.cpu.Load()) - b.scpu)
}

// waitFor sleeps until d passed or cond holds.
func waitFor(d time.Duration, cond func() bool) {
	end := time.Now().Add(d)
	for time.Now().Before(end) && !cond() {
		time.Sleep(5 * time.Millisecond)
	}
}

func pauseEpoll(cfd, sfd int, d time.Duration, capBytes int64) (Pause, error) {
	defer unix.Close(sfd)
	p, err := newPoller()
	if err != nil {
		return Pause{}, err
	}
	defer p.close()
	if err := p.ctl(unix.EPOLL_CTL_ADD, sfd, unix.EPOLLIN); err != nil {
		return Pause{}, err
	}
	s := startSender(cfd, capBytes)
	defer s.stop()
	buf := make([]byte, 64<<10)
	var got int64
	read := func(limit int64) error {
		for got < limit {
			evs, err := p.wait(1000)
			if err != nil {
				return err
			}
			if len(evs) == 0 {
				return fmt.Errorf("no data after %d bytes", got)
			}
			n, err := unix.Read(sfd, buf[:min(int64(len(buf)), limit-got)])
			if n > 0 {
				if err := verify(buf[:n], got); err != nil {
					return err
				}
				got += int64(n)
			} else if err != nil && !errors.Is(err, unix.EAGAIN) {
				return err
			}
		}
		return nil
	}
	if err := read(warmBytes); err != nil {
		return Pause{}, err
	}
	// pause: drop EPOLLIN, the kernel's buffers fill and the peer blocks
	if err := p.ctl(unix.EPOLL_CTL_MOD, sfd, 0); err != nil {
		return Pause{}, err
	}
	b := snap(s)
	waitFor(d, func() bool { return false })
	pr := Pause{How: "epoll_ctl MOD without EPOLLIN", UserBytes: 0}
	b.finish(&pr, s)
	// resume and check the stream is intact
	if err := p.ctl(unix.EPOLL_CTL_MOD, sfd, unix.EPOLLIN); err != nil {
		return pr, err
	}
	if err := read(got + 4*warmBytes); err != nil {
		return pr, err
	}
	pr.Note = "resume: epoll_ctl MOD with EPOLLIN; stream intact"
	return pr, nil
}

func pauseNetpoll(variant string, cfd, sfd int, d time.Duration, capBytes int64) (Pause, error) {
	netpoll.SetRunner(gopool.CtxGo)
	conn, err := netpoll.NewFDConnection(sfd)
	if err != nil {
		unix.Close(sfd)
		return Pause{}, err
	}
	var paused atomic.Bool
	var consumed atomic.Int64
	var mu sync.Mutex // the stream check of OnRequest vs this goroutine
	var verr error
	if variant == "netpoll-onrequest" {
		conn.SetOnRequest(func(_ context.Context, c netpoll.Connection) error {
			if paused.Load() {
				return nil // "not now": netpoll calls again while input is buffered
			}
			r := c.Reader()
			b, err := r.Next(r.Len())
			if err == nil {
				mu.Lock()
				if e := verify(b, consumed.Load()); e != nil && verr == nil {
					verr = e
				}
				mu.Unlock()
				consumed.Add(int64(len(b)))
			}
			return r.Release()
		})
	}
	s := startSender(cfd, capBytes)
	defer s.stop()
	r := conn.Reader()
	if variant == "netpoll-onrequest" {
		waitFor(30*time.Second, func() bool { return consumed.Load() >= warmBytes })
		paused.Store(true)
	} else {
		// the owner reads only what is there (Len), never blocking
		waitFor(30*time.Second, func() bool { return r.Len() >= warmBytes })
		b, err := r.Next(warmBytes)
		if err != nil {
			return Pause{}, err
		}
		if err := verify(b, 0); err != nil {
			return Pause{}, err
		}
		consumed.Store(warmBytes)
		r.Release()
	}
	var pr Pause
	held := func() int64 { return int64(r.Len()) }
	switch variant {
	case "netpoll":
		pr.How = "stop calling Next (no API to stop reading)"
	case "netpoll-onrequest":
		pr.How = "OnRequest returns without reading"
	case "netpoll-detach":
		pr.How = "Detach() (unexported type's method), later NewFDConnection(fd)"
		// Detach is a method of the unexported *connection, not of the
		// Connection interface; it unregisters the fd and does not close it.
		det, ok := conn.(interface{ Detach() error })
		if !ok {
			return Pause{}, errors.New("no Detach method")
		}
		if err := det.Detach(); err != nil {
			return Pause{}, err
		}
	}
	b := snap(s)
	waitFor(d, func() bool { return s.sent.Load() >= capBytes })
	pr.UserBytes = held()
	b.finish(&pr, s)
	if pr.PeerBytes > 0 && s.sent.Load() >= capBytes {
		pr.Note = fmt.Sprintf("the sender reached its cap of %d MB after %s", capBytes>>20, pr.Paused.Round(time.Millisecond))
	}
	switch variant {
	case "netpoll":
		conn.Close()
	case "netpoll-onrequest":
		paused.Store(false)
		waitFor(30*time.Second, func() bool { return r.Len() == 0 })
		mu.Lock()
		err := verr
		mu.Unlock()
		conn.Close()
		if err != nil {
			return pr, err
		}
	case "netpoll-detach":
		// what is left in the detached buffer is still readable; then a new
		// Connection on the same fd continues the stream
		off := consumed.Load()
		if n := r.Len(); n > 0 {
			b, err := r.Next(n)
			if err != nil {
				return pr, err
			}
			if err := verify(b, off); err != nil {
				return pr, err
			}
			off += int64(n)
		}
		c2, err := netpoll.NewFDConnection(sfd)
		if err != nil {
			return pr, err
		}
		r2 := c2.Reader()
		target := off + 4*warmBytes
		for off < target {
			waitFor(10*time.Second, func() bool { return r2.Len() > 0 })
			n := r2.Len()
			if n == 0 {
				c2.Close()
				return pr, errors.New("no data after resume")
			}
			b, _ := r2.Next(n)
			if err := verify(b, off); err != nil {
				c2.Close()
				return pr, err
			}
			off += int64(n)
			r2.Release()
		}
		c2.Close()
		if pr.Note == "" {
			pr.Note = "resume: NewFDConnection(fd) on the same fd; stream intact"
		}
	}
	return pr, nil
}
