// Package api is ExaGo's helper-process API: the `process` programs ExaBGP
// 5.0 runs (reactor/api/processes.py), the text commands they write
// (reactor/api/command/*.py) with their `done`/`error` acknowledgements, the
// events written to them (per neighbor `api { }` options), and the named-pipe
// CLI channel (application/pipe.py, application/cli.py).
//
// # Data flow
//
// The reactor owns one [Server]. [Server.Start] spawns the configured
// helpers; each has a non-blocking stdout the reactor watches for
// readability ([Server.OnReadable]) and a non-blocking stdin it watches for
// writability only while output is queued ([Server.OnWritable]). Lines read
// from a helper are normalised as ExaBGP does (whitespace collapsed,
// `[ ] ( ) ,` padded), matched against the 36 registered command strings in
// reverse alphabetical order, and executed at once through the [Daemon]
// interface, which the server glue implements by calling peers. Events
// arrive through [Server.Emit] and are rendered per process with a
// [Renderer] (package api/format provides the JSON and text ones).
//
// # Wiring (server glue)
//
//	loop := &api.ReactorLoop{R: r}                 // r *reactor.Reactor
//	cli, extra := api.SetupCLI(log, env, root, exe, r.Now())
//	srv := api.New(api.Options{Log: log, Loop: loop, Env: env, Version: release,
//		Daemon: &api.PeerSet{List: peers, Now: r.Now, OnSignal: onSignal, Log: log,
//			RoutesV2: env.API.ShowRoutesFormat == "v2"},
//		JSON: &api.JSONRenderer{E: format.Encoder{Host: host, PID: pid, PPID: ppid, Compact: env.API.Compact}},
//		Text: &api.TextRenderer{T: format.Text{PID: pid, PPID: ppid}},
//		ExtraEnv: extra})
//	loop.S = srv
//	// peers: peer.Options{Events: api.PeerEvents{S: srv}}
//	srv.SetNeighbors(cfg.Neighbors)
//	srv.Start(append(cfg.Processes, cli), false) // cli may be nil
//	// on exit: srv.Shutdown(func() { ... }) and keep the loop running until it calls back
//
// A signal event is api.PeerEvents{S: srv}.Signal(p, 10) for each peer.
// The re-executed CLI helper is `exabgp cli` with exabgp_cli_pipe set
// (cmd/exabgp/cli.go runs [RunBridge] then).
//
// # Concurrency
//
// Nothing here is safe for concurrent use: every method runs on the single
// reactor goroutine. The only goroutines started are one per child process
// that waits for its exit and posts the result back with [Loop.Post]; they
// never touch [Server] state.
//
// # Memory
//
// Each helper has a bounded output queue ([Options.OutputLimit]). ExaBGP
// writes to helpers with blocking writes, so a helper that stops reading
// stalls the whole daemon. ExaGo never blocks: past half the limit it
// stops reading the helper's commands (so a helper that never reads its
// acks blocks on its own writes, alone), and when the queue is full (events
// keep coming) the helper is treated as a dead helper (logged, terminated,
// respawned under the usual respawn limit), the same handling ExaBGP
// applies to a helper that sends an oversized line. No event is silently
// dropped while the helper is considered alive.
//
// # Respawn
//
// A helper that exits is started again at once, from the loop (its wait
// goroutine posts the exit; nothing sleeps). As in ExaBGP
// (processes.py _start), every start is counted in a ~64 s time bucket
// and the sixth start in one bucket (the first start and five respawns)
// is "Too many death": it is logged once with "Problem when sending
// message(s) to helper program, stopping", nothing is started any more,
// and an ordinary shutdown is requested with [Daemon].Signal
// (SignalShutdown), so the daemon exits 0 as ExaBGP does.
//
// Deliberate deviations from ExaBGP 5.0:
//   - commands run at once instead of as scheduled generators, except
//     `show adj-rib`, whose answer is streamed over later turns while
//     that helper's next commands wait (stream.go); `reset` has nothing
//     to drop (it still answers nothing);
//   - a full output queue kills the helper instead of blocking the daemon;
//   - a non-ASCII line gets `error` instead of killing the helper;
//   - a `json` word in a command without a JSON variant answers `error`
//     (ExaBGP raises KeyError in its main loop and dies; seen with
//     `help json`);
//   - `announce operational` reads its kind after the neighbor selectors
//     (ExaBGP reads the 3rd word of the whole line, so with a selector
//     every such command is a silent no-op).
//
// ExaBGP behaviours kept although they look accidental: only helpers
// named in an api block's `processes` get events (`processes-match` only
// scopes commands); teardown, `announce eor`, `announce route-refresh`,
// `flush adj-rib out` and `clear adj-rib` are not scoped to the helper's
// peers; the watchdog name is the 3rd word of the line; `show adj-rib`
// filters on the first word left after the keywords; an empty line
// answers `error`; the send/receive parsed, packets and consolidate flags
// are per neighbor (any api block), the message-type flags per helper.
package api
