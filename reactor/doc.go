// Package reactor drives BGP peers: one goroutine (the loop in [Reactor])
// owns every peer, socket and timer of the daemon. Readiness comes from
// level-triggered epoll (golang.org/x/sys/unix), deadlines from a hashed
// timer wheel ([Wheel]) read through an injected [Clock], and sockets are
// set up non-blocking with the neighbor's options (bind, SO_BINDTODEVICE,
// TCP_MD5SIG, IP_TTL, IP_MINTTL).
//
// # Data flow
//
// A [Machine] (package peer's *peer.Peer) is stepped by the loop through
// its On*, Start, Pull and Shutdown methods and answers through the
// peer.Driver each one is given (Connect, Close, WantWrite, SetTimer,
// StopTimer, PauseRead). Received bytes are read into a 128 KiB buffer
// and offered to OnRead, which consumes complete messages; bytes
// to send are pulled with Pull only when the socket is writable, within a
// budget, so a slow peer costs no queue of bytes. Each turn services the
// timers first, then posted commands ([Reactor.Post], the only method safe
// from other goroutines), then socket readiness, so keepalives never wait
// behind bulk work (GitHub issue 4).
//
// # Memory and concurrency
//
// Per peer: its timers, embedded (Set/Stop do not allocate; 64 bytes
// each). Receive and transmit buffers are lent from the reactor's pools for
// as long as they hold bytes: a partial message of up to 4 KiB waits
// between reads in a small buffer, a larger one (or messages left while
// paused) keeps the receive buffer, bytes the socket did not take keep the
// transmit buffer. An idle session owns none (GitHub issue 7; measured by
// BenchmarkIdleSession). Nothing in a Reactor is safe
// for concurrent use except Post, Stop, Reload, Restart and Wake. [Sync] is
// the alternative driver (reactor.mode sync): blocking sockets, goroutines
// per connection, every Machine call under one mutex.
//
// docs/ARCHITECTURE.md explains the loop, the event kinds, what may never
// run on it and why epoll is used directly rather than netpoll's pollers.
package reactor
