package pollbench

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// poller is the pattern of reactor/poller.go: level-triggered epoll plus an
// eventfd to wake the owning goroutine.
type poller struct {
	epfd, wakefd int
	events       []unix.EpollEvent
}

func newPoller() (*poller, error) {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create: %w", err)
	}
	wfd, err := unix.Eventfd(0, unix.EFD_NONBLOCK|unix.EFD_CLOEXEC)
	if err != nil {
		unix.Close(epfd)
		return nil, fmt.Errorf("eventfd: %w", err)
	}
	p := &poller{epfd: epfd, wakefd: wfd, events: make([]unix.EpollEvent, 256)}
	if err := p.ctl(unix.EPOLL_CTL_ADD, wfd, unix.EPOLLIN); err != nil {
		p.close()
		return nil, err
	}
	return p, nil
}

func (p *poller) ctl(op, fd int, ev uint32) error {
	e := unix.EpollEvent{Events: ev, Fd: int32(fd)}
	if err := unix.EpollCtl(p.epfd, op, fd, &e); err != nil {
		return fmt.Errorf("epoll_ctl %d fd %d: %w", op, fd, err)
	}
	return nil
}

func (p *poller) wait(msec int) ([]unix.EpollEvent, error) {
	n, err := unix.EpollWait(p.epfd, p.events, msec)
	if err != nil {
		if errors.Is(err, unix.EINTR) {
			return nil, nil
		}
		return nil, err
	}
	return p.events[:n], nil
}

func (p *poller) wake() {
	one := [8]byte{1}
	_, _ = unix.Write(p.wakefd, one[:])
}

func (p *poller) drainWake() {
	var b [8]byte
	_, _ = unix.Read(p.wakefd, b[:])
}

func (p *poller) close() {
	unix.Close(p.wakefd)
	unix.Close(p.epfd)
}

// epollServer: one goroutine waits in epoll_wait and reads every ready
// socket itself (one read per event, level-triggered, as the reactor does).
type epollServer struct {
	p    *poller
	fds  []int
	quit atomic.Bool
	wg   sync.WaitGroup
	once sync.Once
}

func (e *epollServer) start(fds []int, s *sink) error {
	p, err := newPoller()
	if err != nil {
		return err
	}
	e.p, e.fds = p, fds
	maxfd := 0
	for _, fd := range fds {
		maxfd = max(maxfd, fd)
	}
	id := make([]int, maxfd+1)
	for i, fd := range fds {
		id[fd] = i
		if err := p.ctl(unix.EPOLL_CTL_ADD, fd, unix.EPOLLIN|unix.EPOLLRDHUP); err != nil {
			p.close()
			return err
		}
	}
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		buf := make([]byte, 16<<10)
		for {
			evs, err := p.wait(-1)
			if err != nil {
				return
			}
			for _, ev := range evs {
				fd := int(ev.Fd)
				if fd == p.wakefd {
					p.drainWake()
					if e.quit.Load() {
						return
					}
					continue
				}
				n, err := unix.Read(fd, buf)
				if n > 0 {
					s.feed(id[fd], buf[:n])
				} else if err == nil || !errors.Is(err, unix.EAGAIN) {
					_ = p.ctl(unix.EPOLL_CTL_DEL, fd, 0)
				}
			}
		}
	}()
	return nil
}

func (e *epollServer) stop() {
	e.once.Do(func() {
		e.quit.Store(true)
		e.p.wake()
		e.wg.Wait()
		e.p.close()
		for _, fd := range e.fds {
			unix.Close(fd)
		}
	})
}
