package pollbench

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bytedance/gopkg/util/gopool"
	"github.com/cloudwego/netpoll"
	"golang.org/x/sys/unix"
)

// Block is how long a netpoll call parked its goroutine.
type Block struct {
	Call    string
	Parked  time.Duration // from the call to its return
	Frame   string        // the goroutine's state and netpoll frame while parked
	Release string        // what made it return
	// ReturnedAfterRelease is true when the call returned only after the
	// release started (it cannot return before: that is the point).
	ReturnedAfterRelease bool
}

// parkedIn waits (up to 10 s) until some goroutine's stack shows fn and
// returns its header line ("goroutine N [chan receive]:") and fn.
func parkedIn(fn string) (string, error) {
	buf := make([]byte, 1<<20)
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		n := runtime.Stack(buf, true)
		for _, g := range strings.Split(string(buf[:n]), "\n\n") {
			if strings.Contains(g, fn) {
				hdr, _, _ := strings.Cut(g, "\n")
				return hdr + " in " + fn, nil
			}
		}
	}
	return "", fmt.Errorf("no goroutine parked in %s", fn)
}

// FlushBlocks writes 8 MB through netpoll's Writer and calls Flush while the
// peer does not read (socket buffers set to 64 KB), waits until the caller
// is parked in waitFlush, holds the peer for hold, then drains it.
func FlushBlocks(hold time.Duration) (Block, error) {
	netpoll.SetRunner(gopool.CtxGo)
	cfds, sfds, err := pairs(1)
	if err != nil {
		return Block{}, err
	}
	cfd, sfd := cfds[0], sfds[0]
	defer unix.Close(sfd)
	_ = unix.SetsockoptInt(cfd, unix.SOL_SOCKET, unix.SO_SNDBUF, 64<<10)
	_ = unix.SetsockoptInt(sfd, unix.SOL_SOCKET, unix.SO_RCVBUF, 64<<10)
	conn, err := netpoll.NewFDConnection(cfd)
	if err != nil {
		unix.Close(cfd)
		return Block{}, err
	}
	defer conn.Close()
	const size = 8 << 20
	var released atomic.Bool
	type ret struct {
		d     time.Duration
		after bool
		err   error
	}
	rc := make(chan ret, 1)
	go func() {
		w := conn.Writer()
		b, err := w.Malloc(size)
		if err != nil {
			rc <- ret{err: err}
			return
		}
		for i := range b {
			b[i] = byte(i % 251)
		}
		t0 := time.Now()
		err = w.Flush()
		rc <- ret{time.Since(t0), released.Load(), err}
	}()
	frame, err := parkedIn("netpoll.(*connection).waitFlush")
	if err != nil {
		return Block{}, err
	}
	time.Sleep(hold)
	released.Store(true)
	// drain with blocking-style reads
	buf := make([]byte, 256<<10)
	var got int
	for got < size {
		n, err := unix.Read(sfd, buf)
		if n > 0 {
			if err := verify(buf[:n], int64(got)); err != nil {
				return Block{}, err
			}
			got += n
			continue
		}
		if err != nil && !errors.Is(err, unix.EAGAIN) {
			return Block{}, err
		}
		_, _ = unix.Poll([]unix.PollFd{{Fd: int32(sfd), Events: unix.POLLIN}}, 100)
	}
	r := <-rc
	if r.err != nil {
		return Block{}, r.err
	}
	return Block{Call: "Writer().Flush() of 8 MB, peer not reading", Parked: r.d, Frame: frame,
		Release: fmt.Sprintf("peer reads after %s", hold), ReturnedAfterRelease: r.after}, nil
}

// NextBlocks calls Reader().Next(100) when 10 bytes have arrived, waits
// until the caller is parked in waitRead, then after hold sends the rest.
func NextBlocks(hold time.Duration) (Block, error) {
	netpoll.SetRunner(gopool.CtxGo)
	cfds, sfds, err := pairs(1)
	if err != nil {
		return Block{}, err
	}
	cfd, sfd := cfds[0], sfds[0]
	defer unix.Close(cfd)
	conn, err := netpoll.NewFDConnection(sfd)
	if err != nil {
		unix.Close(sfd)
		return Block{}, err
	}
	defer conn.Close()
	msg := bytes.Repeat([]byte{0xff}, 100)
	if _, err := unix.Write(cfd, msg[:10]); err != nil {
		return Block{}, err
	}
	var released atomic.Bool
	type ret struct {
		d     time.Duration
		after bool
		n     int
		err   error
	}
	rc := make(chan ret, 1)
	go func() {
		t0 := time.Now()
		b, err := conn.Reader().Next(100)
		rc <- ret{time.Since(t0), released.Load(), len(b), err}
	}()
	frame, err := parkedIn("netpoll.(*connection).waitRead")
	if err != nil {
		return Block{}, err
	}
	time.Sleep(hold)
	released.Store(true)
	if _, err := unix.Write(cfd, msg[10:]); err != nil {
		return Block{}, err
	}
	r := <-rc
	if r.err != nil {
		return Block{}, r.err
	}
	if r.n != 100 {
		return Block{}, fmt.Errorf("Next returned %d bytes", r.n)
	}
	return Block{Call: "Reader().Next(100) with 10 bytes buffered", Parked: r.d, Frame: frame,
		Release: fmt.Sprintf("peer sends the other 90 after %s", hold), ReturnedAfterRelease: r.after}, nil
}
