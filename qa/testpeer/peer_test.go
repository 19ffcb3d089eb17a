package testpeer

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Messages a fake daemon sends.
var (
	upd1 = mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F0200000015400101004002004003040101010140050400000064100101")
	upd2 = mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF002F0200000015400101004002004003040202020240050400000064100202")
	eor  = mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000")
	rr   = mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170500010001")
)

// generous bounds waits on events; it is never a pacing delay.
const generous = 30 * time.Second

// fake is a scripted daemon: it connects to the test peer, sends what it is
// told, and collects every message the peer sends back.
type fake struct {
	t    *testing.T
	conn net.Conn
	got  chan []byte
}

func dial(t *testing.T, addr net.Addr) *fake {
	t.Helper()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	f := &fake{t: t, conn: c, got: make(chan []byte, 256)}
	go func() {
		defer close(f.got)
		for {
			hdr := make([]byte, headerLen)
			if _, err := io.ReadFull(c, hdr); err != nil {
				return
			}
			msg := make([]byte, binary.BigEndian.Uint16(hdr[16:]))
			copy(msg, hdr)
			if _, err := io.ReadFull(c, msg[headerLen:]); err != nil {
				return
			}
			f.got <- msg
		}
	}()
	return f
}

func (f *fake) send(msgs ...[]byte) {
	f.t.Helper()
	for _, m := range msgs {
		if _, err := f.conn.Write(m); err != nil {
			f.t.Fatal(err)
		}
	}
}

// expect waits for the next message the peer sends and checks its type.
func (f *fake) expect(typ uint8) []byte {
	f.t.Helper()
	select {
	case m, ok := <-f.got:
		if !ok {
			f.t.Fatalf("connection closed, want a type %d message", typ)
		}
		if msgType(m) != typ {
			f.t.Fatalf("got %s, want type %d", Describe(m), typ)
		}
		return m
	case <-time.After(generous):
		f.t.Fatalf("no type %d message", typ)
	}
	return nil
}

// handshake sends the OPEN and checks the peer's OPEN and KEEPALIVE.
func (f *fake) handshake() {
	f.t.Helper()
	f.send(daemonOpen())
	open := f.expect(typeOpen)
	if open[19+8] != 3 {
		f.t.Fatalf("reply router-id not incremented: %s", Describe(open))
	}
	f.expect(typeKeepalive)
}

// serve starts Serve on a loopback port and returns its listener address
// and a channel with its result.
func serve(t *testing.T, ctx context.Context, script string, cfg Config) (net.Addr, <-chan error) {
	t.Helper()
	s, err := ParseScript(strings.NewReader(script), t.Name())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if cfg.Log == nil {
		cfg.Log = &log
	}
	res := make(chan error, 1)
	go func() { res <- Serve(ctx, ln, s, cfg) }()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("transcript:\n%s", log.String())
		}
	})
	return ln.Addr(), res
}

func result(t *testing.T, res <-chan error) error {
	t.Helper()
	select {
	case err := <-res:
		return err
	case <-time.After(generous):
		t.Fatal("Serve did not return")
	}
	return nil
}

func TestServeAnyOrderWithinSet(t *testing.T) {
	addr, res := serve(t, t.Context(), "1:raw:"+HexRule(upd1)+"\n1:raw:"+HexRule(upd2)+"\n2:raw:"+HexRule(eor)[32:]+"\n", Config{})
	f := dial(t, addr)
	f.handshake()
	f.send(Keepalive(), upd2, upd1, eor)
	if err := result(t, res); err != nil {
		t.Fatalf("want success, got %v", err)
	}
}

func TestServeUnexpected(t *testing.T) {
	addr, res := serve(t, t.Context(), "1:raw:"+HexRule(upd1)+"\n2:raw:"+HexRule(eor)+"\n", Config{})
	f := dial(t, addr)
	f.handshake()
	f.send(eor)
	err := result(t, res)
	var fail *Failure
	if !errors.As(err, &fail) || !bytes.Equal(fail.Got, eor) || len(fail.Remaining) != 2 {
		t.Fatalf("want a Failure with the EOR and two sets, got %v", err)
	}
	for _, w := range []string{"unexpected message", "received: FFFF", "decoded:  UPDATE End-of-RIB", "announce [1.1.0.0/16]", "then set 2"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("failure report lacks %q:\n%v", w, err)
		}
	}
}

func TestServeActions(t *testing.T) {
	var mu sync.Mutex
	var signals []string
	cfg := Config{Signal: func(name string) error {
		mu.Lock()
		defer mu.Unlock()
		signals = append(signals, name)
		return nil
	}}
	script := "1:raw:" + HexRule(upd1) + "\n2:raw:" + HexRule(rr) + "\n3:signal:SIGUSR1\n4:raw:" + HexRule(upd2) + "\n5:notification:Bye Now\n"
	addr, res := serve(t, t.Context(), script, cfg)
	f := dial(t, addr)
	f.handshake()
	f.send(upd1)
	f.expect(typeKeepalive)
	f.send(rr)
	f.expect(typeKeepalive)
	if got := f.expect(typeUpdate); !bytes.Equal(got, upd1) {
		t.Fatalf("route-refresh replay sent %s", Describe(got))
	}
	f.expect(typeKeepalive)
	f.send(upd2)
	f.expect(typeKeepalive)
	if got := f.expect(typeNotification); !bytes.Equal(got, Cease("bye now")) {
		t.Fatalf("notification %s", Describe(got))
	}
	if err := result(t, res); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(signals) != 1 || signals[0] != "SIGUSR1" {
		t.Fatalf("signals sent: %v", signals)
	}
}

func TestServeSessions(t *testing.T) {
	addr, res := serve(t, t.Context(), "A1:raw:"+HexRule(upd1)+"\nB1:raw:"+HexRule(upd1)+"\nB2:raw:"+HexRule(eor)+"\n", Config{})
	f := dial(t, addr)
	f.handshake()
	f.send(upd1)
	f.expect(typeKeepalive)
	f.conn.Close()
	g := dial(t, addr)
	g.handshake()
	g.send(upd1, eor)
	if err := result(t, res); err != nil {
		t.Fatal(err)
	}
}

// TestServeNotificationFirst is api-notification: the only rule is a
// notification sent right after the OPEN; the End-of-RIB that follows is
// tolerated and ends the test.
func TestServeNotificationFirst(t *testing.T) {
	addr, res := serve(t, t.Context(), "A1:notification:closing session because we can\n", Config{})
	f := dial(t, addr)
	f.handshake()
	f.expect(typeNotification)
	f.send(eor)
	if err := result(t, res); err != nil {
		t.Fatal(err)
	}
}

func TestServeCleanCloseIsNotSuccess(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	w := &watch{want: "session #1 closed", seen: make(chan struct{})}
	addr, res := serve(t, ctx, "A1:notification:x\n", Config{Log: w})
	f := dial(t, addr)
	f.handshake()
	f.expect(typeNotification)
	f.conn.(*net.TCPConn).CloseWrite()
	select {
	case <-w.seen:
	case <-time.After(generous):
		t.Fatal("the peer did not see the close")
	}
	cancel()
	err := result(t, res)
	if err == nil || !strings.Contains(err.Error(), "closed the session cleanly") {
		t.Fatalf("want a clean-close failure, got %v", err)
	}
}

func TestServeCancelReportsPending(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	addr, res := serve(t, ctx, "1:raw:"+HexRule(upd1)+"\n", Config{})
	f := dial(t, addr)
	f.handshake()
	cancel()
	err := result(t, res)
	if err == nil || !strings.Contains(err.Error(), "context canceled") || !strings.Contains(err.Error(), "1.1.0.0/16") {
		t.Fatalf("want a cancel failure listing the pending rule, got %v", err)
	}
}

func TestServeOptions(t *testing.T) {
	script := "option:open:send-unknown-message\noption:update:send-default-route\n1:raw:" + HexRule(eor) + "\n"
	addr, res := serve(t, t.Context(), script, Config{})
	f := dial(t, addr)
	f.handshake()
	if got := f.expect(255); len(got) != headerLen {
		t.Fatalf("unknown message %X", got)
	}
	if got := f.expect(typeUpdate); !bytes.Equal(got, DefaultRoute()) {
		t.Fatalf("default route %X", got)
	}
	f.send(eor)
	if err := result(t, res); err != nil {
		t.Fatal(err)
	}
}

func TestServeInspectOpen(t *testing.T) {
	script := "option:open:inspect-open-message\n1:raw:" + HexRule(daemonOpen()) + "\n2:raw:" + HexRule(eor) + "\n"
	addr, res := serve(t, t.Context(), script, Config{})
	f := dial(t, addr)
	f.handshake()
	f.send(eor)
	if err := result(t, res); err != nil {
		t.Fatal(err)
	}
}

func TestServeNotOpenFirst(t *testing.T) {
	addr, res := serve(t, t.Context(), "1:raw:"+HexRule(eor)+"\n", Config{})
	f := dial(t, addr)
	f.send(eor)
	if err := result(t, res); err == nil || !strings.Contains(err.Error(), "not an OPEN") {
		t.Fatalf("want a not-an-OPEN failure, got %v", err)
	}
}

func TestServeShow(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var log bytes.Buffer
	addr, res := serve(t, ctx, "", Config{Mode: ModeShow, Log: &log})
	f := dial(t, addr)
	f.handshake()
	f.send(upd2)
	f.expect(typeKeepalive)
	cancel()
	if err := result(t, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "announce [2.2.0.0/16]") {
		t.Fatalf("show output lacks the route:\n%s", log.String())
	}
}

// watch is a transcript writer that closes seen once want was written.
type watch struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
}

func (w *watch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.buf.String(), w.want)
	w.buf.Write(p)
	if !had && strings.Contains(w.buf.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}
