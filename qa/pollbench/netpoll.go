package pollbench

import (
	"context"
	"sync"

	"github.com/bytedance/gopkg/util/gopool"
	"github.com/cloudwego/netpoll"
)

type netpollMode int

const (
	// modeRunner: netpoll.SetRunner hands netpoll's per-connection task to
	// the owning goroutine, which runs OnRequest itself (one hop: poller
	// goroutine → queue → owner).
	modeRunner netpollMode = iota
	// modeQueue: OnRequest runs on netpoll's gopool goroutines, copies the
	// bytes and appends them to a mutex-protected queue, waking the owner
	// through a 1-slot channel (two hops: poller → gopool → owner).
	modeQueue
	// modeChan: as modeQueue with a buffered channel of events.
	modeChan
)

type chunk struct {
	id int
	b  []byte
}

// workq is a mutex-protected slice plus a 1-slot wake-up channel.
type workq[T any] struct {
	mu     sync.Mutex
	items  []T
	notify chan struct{}
}

func newWorkq[T any]() *workq[T] { return &workq[T]{notify: make(chan struct{}, 1)} }

func (q *workq[T]) push(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	first := len(q.items) == 1
	q.mu.Unlock()
	if first {
		select {
		case q.notify <- struct{}{}:
		default:
		}
	}
}

func (q *workq[T]) swap(into []T) []T {
	q.mu.Lock()
	out := q.items
	q.items = into[:0]
	q.mu.Unlock()
	return out
}

// netpollServer uses netpoll's public API so that one goroutine (the
// "reactor") owns the sink.
type netpollServer struct {
	mode  netpollMode
	conns []netpoll.Connection
	quit  chan struct{}
	tasks *workq[func()]
	wg    sync.WaitGroup
	once  sync.Once
}

func (n *netpollServer) start(fds []int, s *sink) error {
	n.quit = make(chan struct{})
	n.tasks = newWorkq[func()]()
	tasks := n.tasks
	chunks := newWorkq[chunk]()
	ch := make(chan chunk, 4096)
	if n.mode == modeRunner {
		netpoll.SetRunner(func(_ context.Context, f func()) { tasks.push(f) })
	} else {
		netpoll.SetRunner(gopool.CtxGo) // netpoll's default
	}
	for i, fd := range fds {
		c, err := netpoll.NewFDConnection(fd)
		if err != nil {
			n.stop()
			return err
		}
		n.conns = append(n.conns, c)
		id := i
		var on netpoll.OnRequest
		switch n.mode {
		case modeRunner: // runs on the owner goroutine
			on = func(_ context.Context, c netpoll.Connection) error {
				r := c.Reader()
				b, err := r.Next(r.Len())
				if err == nil {
					s.feed(id, b)
				}
				return r.Release()
			}
		case modeQueue, modeChan: // runs on a gopool goroutine
			on = func(_ context.Context, c netpoll.Connection) error {
				r := c.Reader()
				b, err := r.ReadBinary(r.Len()) // a copy
				if err == nil {
					if n.mode == modeQueue {
						chunks.push(chunk{id, b})
					} else {
						select {
						case ch <- chunk{id, b}:
						case <-n.quit:
						}
					}
				}
				return r.Release()
			}
		}
		if err := c.SetOnRequest(on); err != nil {
			n.stop()
			return err
		}
	}
	n.wg.Add(1)
	go func() { // the owner ("reactor") goroutine
		defer n.wg.Done()
		var spareT []func()
		var spareC []chunk
		for {
			switch n.mode {
			case modeChan:
				select {
				case c := <-ch:
					s.feed(c.id, c.b)
				case <-n.quit:
					return
				}
				continue
			case modeRunner:
				select {
				case <-tasks.notify:
				case <-n.quit:
					return
				}
				batch := tasks.swap(spareT)
				for _, f := range batch {
					f()
				}
				clear(batch)
				spareT = batch
			case modeQueue:
				select {
				case <-chunks.notify:
				case <-n.quit:
					return
				}
				batch := chunks.swap(spareC)
				for _, c := range batch {
					s.feed(c.id, c.b)
				}
				clear(batch)
				spareC = batch
			}
		}
	}()
	return nil
}

func (n *netpollServer) stop() {
	n.once.Do(func() {
		close(n.quit)
		n.wg.Wait()
		// Tasks still queued hold their connection's processing lock, and
		// Close would then leave the descriptor registered: run them here.
		netpoll.SetRunner(gopool.CtxGo)
		tasks := n.tasks.swap(nil)
		for _, f := range tasks {
			f()
		}
		for _, c := range n.conns {
			c.Close()
		}
	})
}
