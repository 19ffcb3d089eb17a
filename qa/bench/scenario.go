package bench

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"exago/wire"
)

// Options are a run's knobs, shared by every scenario.
type Options struct {
	Dir      string        // scratch directory (one sub-directory per run)
	Port     int           // base TCP port
	Hold     uint16        // hold time offered to the DUT
	Idle     time.Duration // idle measurement window (sessions)
	Timeout  time.Duration // give up waiting after this long
	Routes   int           // R for inject/receive
	Commands int           // C for api
	Self     string        // this binary, run as the helper for API scenarios
	Progress io.Writer     // progress bar destination (nil: none)

	watch *Loadgen // the run's generator, for failure reports
}

// with is o for a run whose generator is lg.
func (o *Options) with(lg *Loadgen) *Options {
	c := *o
	c.watch = lg
	return &c
}

// Record is one scenario × DUT × size result; it is both the printed
// key=value line and a JSON line in the results file.
type Record struct {
	Time     time.Time          `json:"time"`
	Scenario string             `json:"scenario"`
	DUT      string             `json:"dut"`
	N        int                `json:"n"`
	Mode     string             `json:"mode,omitempty"`   // sessions: "dut-accepts" or "dut-connects"
	Routes   int                `json:"routes,omitempty"` // inject, inject-api, receive: routes; api: commands
	OK       bool               `json:"ok"`
	Error    string             `json:"error,omitempty"` // where and how it failed
	Note     string             `json:"note,omitempty"`  // what else the run showed
	Metrics  map[string]float64 `json:"metrics"`
}

// Line renders the record as one key=value line.
func (r *Record) Line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scenario=%s dut=%s n=%d", r.Scenario, r.DUT, r.N)
	if r.Mode != "" {
		fmt.Fprintf(&b, " mode=%s", r.Mode)
	}
	if r.Routes != 0 {
		fmt.Fprintf(&b, " size=%d", r.Routes)
	}
	fmt.Fprintf(&b, " ok=%v", r.OK)
	keys := make([]string, 0, len(r.Metrics))
	for k := range r.Metrics {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, " %s=%s", k, fmtMetric(r.Metrics[k]))
	}
	if r.Error != "" {
		fmt.Fprintf(&b, " error=%q", r.Error)
	}
	if r.Note != "" {
		fmt.Fprintf(&b, " note=%q", r.Note)
	}
	return b.String()
}

func fmtMetric(v float64) string {
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d", int64(v))
	}
	return fmt.Sprintf("%.3f", v)
}

// Run runs one scenario on one DUT at size n.
func Run(sc string, d DUT, n int, dutAccepts bool, o *Options) *Record {
	r := &Record{Time: time.Now(), Scenario: sc, DUT: d.Name(), N: n, Metrics: map[string]float64{}}
	switch sc {
	case "sessions":
		r.Mode = map[bool]string{true: "dut-accepts", false: "dut-connects"}[dutAccepts]
	case "inject", "inject-api", "receive":
		r.Routes = o.Routes
	case "api":
		r.Routes = o.Commands
	}
	if err := d.Available(); err != nil {
		r.Error = "not available: " + err.Error()
		return r
	}
	if err := d.Supports(sc); err != nil {
		r.Error = "not supported: " + err.Error()
		return r
	}
	dir := filepath.Join(o.Dir, fmt.Sprintf("%s-%s-%d-%d", sc, d.Name(), n, time.Now().UnixNano()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		r.Error = err.Error()
		return r
	}
	// Started as root, ExaBGP and ExaGo run helpers as daemon.user
	// (nobody): the receive helper writes its result here.
	os.Chmod(dir, 0o777)
	port := o.Port
	if port == 0 {
		port = freePort()
	}
	s := &Setup{Dir: dir, N: n, Hold: o.Hold, Port: port, DUTAccepts: dutAccepts, LocalAS: 65000, PeerAS: 65001, Timeout: o.Timeout}
	var err error
	switch sc {
	case "sessions":
		err = runSessions(r, d, s, o)
	case "inject":
		s.Routes, s.DUTAccepts = o.Routes, true
		err = runInject(r, d, s, o, o.Routes)
	case "inject-api":
		s.DUTAccepts = true
		s.Helper = fmt.Sprintf("%s helper-announce -count %d", o.Self, o.Routes)
		err = runInject(r, d, s, o, o.Routes)
	case "receive":
		s.N, s.DUTAccepts = 1, true
		err = runReceive(r, d, s, o)
	case "api":
		s.N, s.DUTAccepts = 1, true
		err = runAPI(r, d, s, o)
	default:
		err = fmt.Errorf("unknown scenario %q (sessions, inject, inject-api, receive, api)", sc)
	}
	if err != nil {
		r.Error = err.Error()
	} else {
		r.OK = true
	}
	return r
}

// boot starts the DUT and the generator for setup s; the generator's
// sessions track which of RoutePrefix(0..routes-1) they hold.
func boot(d DUT, s *Setup, routes int) (*Proc, *Loadgen, error) {
	p, err := d.Start(s)
	if err != nil {
		return nil, nil, err
	}
	lg := &Loadgen{N: s.N, ASN: s.PeerAS, Hold: s.Hold, Routes: routes}
	if s.DUTAccepts {
		lg.DUT = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(s.Port))
	} else {
		lg.Listen = netip.AddrPortFrom(netip.IPv4Unspecified(), uint16(s.Port))
	}
	if err := lg.Start(); err != nil {
		p.Stop()
		return nil, nil, err
	}
	return p, lg, nil
}

// waitFor polls cond every 10 ms until it holds, the DUT dies, or the
// timeout passes; it draws progress as it goes.
func waitFor(p *Proc, o *Options, what string, total int, count func() int) (time.Duration, error) {
	t0 := time.Now()
	bar := newBar(o.Progress, what, total)
	defer bar.done()
	for {
		c := count()
		bar.set(c)
		if c >= total {
			return time.Since(t0), nil
		}
		if err := p.Failed(); err != nil {
			return 0, fmt.Errorf("while waiting for %s at %d/%d: %w", what, c, total, err)
		}
		if p.Cmd.ProcessState != nil || !alive(p.Pid()) {
			return 0, fmt.Errorf("DUT exited while waiting for %s at %d/%d; log: %s", what, c, total, p.Tail(5))
		}
		if time.Since(t0) > o.Timeout {
			err := fmt.Errorf("timeout after %v waiting for %s: reached %d/%d", o.Timeout, what, c, total)
			if lg := o.watch; lg != nil {
				err = fmt.Errorf("%w; %s", err, lg.Why())
			}
			if diag := p.Diag(); diag != "" {
				err = fmt.Errorf("%w; %s", err, diag)
			}
			return 0, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func alive(pid int) bool {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(raw), ')')
	return i > 0 && i+2 < len(raw) && raw[i+2] != 'Z'
}

var errNoSession = errors.New("no session established")

func runSessions(r *Record, d DUT, s *Setup, o *Options) error {
	p, lg, err := boot(d, s, 0)
	if err != nil {
		return err
	}
	defer p.Stop()
	defer lg.Stop()
	self0, _ := ReadProc(0)
	took, err := waitFor(p, o.with(lg), "established", s.N, lg.Established)
	if err != nil {
		return err
	}
	r.Metrics["establish_s"] = took.Seconds()
	// Idle window: the DUT only keeps sessions alive.
	d0, g0 := TreeProc(p.Pid()), mustProc(0)
	idle := newBar(o.Progress, "idle window (s)", int(o.Idle.Seconds()))
	for t := time.Now(); time.Since(t) < o.Idle; time.Sleep(time.Second) {
		idle.set(int(time.Since(t).Seconds()))
	}
	idle.done()
	d1, g1 := TreeProc(p.Pid()), mustProc(0)
	r.Metrics["dut_rss_mb"] = float64(d1.RSS) / (1 << 20)
	r.Metrics["dut_rss_per_peer_kb"] = float64(d1.RSS) / float64(s.N) / 1024
	r.Metrics["dut_anon_mb"] = float64(d1.Anon) / (1 << 20)
	r.Metrics["dut_anon_per_peer_kb"] = float64(d1.Anon) / float64(s.N) / 1024
	r.Metrics["gen_redials"] = float64(lg.Dials() - int64(s.N))
	r.Metrics["dut_threads"] = float64(d1.Threads)
	r.Metrics["dut_cpu_idle_pct"] = 100 * (d1.CPU - d0.CPU).Seconds() / o.Idle.Seconds()
	r.Metrics["gen_cpu_idle_pct"] = 100 * (g1.CPU - g0.CPU).Seconds() / o.Idle.Seconds()
	r.Metrics["gen_cpu_total_s"] = (g1.CPU - self0.CPU).Seconds()
	var expiries, down int
	var refused int64
	var refusal *wire.Notification
	var worst time.Duration
	for _, ss := range lg.Sessions {
		if ss.Lost.Load() && ss.Notified != nil && ss.Notified.Code == 4 {
			expiries++
		}
		if ss.Lost.Load() || ss.Up.IsZero() {
			down++
		}
		if k := ss.Refused.Load(); k > 0 {
			refused += k
			refusal = ss.Refusal
		}
		if ss.WorstGap > worst {
			worst = ss.WorstGap
		}
	}
	// OPENs the DUT refused before the session came up (the generator
	// connected again): not a loss, but shown, with the last refusal.
	r.Metrics["dut_refusals"] = float64(refused)
	if refusal != nil {
		r.Note = fmt.Sprintf("the DUT refused %d OPENs before the sessions came up, the last with NOTIFICATION %d/%d %q",
			refused, refusal.Code, refusal.Subcode, refusal.Data)
	}
	r.Metrics["hold_expiries"] = float64(expiries)
	r.Metrics["sessions_lost"] = float64(down)
	r.Metrics["worst_keepalive_gap_s"] = worst.Seconds()
	if expiries > 0 || down > 0 {
		return fmt.Errorf("%d hold-timer expiries, %d sessions lost during the idle window", expiries, down)
	}
	return nil
}

// freePort finds a TCP port below the kernel's ephemeral range (so no
// outgoing connection can take it between now and the run) that is free
// on every address: the generator may listen on 0.0.0.0.
func freePort() int {
	for i := 0; i < 100; i++ {
		p := 20000 + rand.IntN(12000)
		ln, err := net.Listen("tcp4", fmt.Sprintf("0.0.0.0:%d", p))
		if err != nil {
			continue
		}
		ln.Close()
		return p
	}
	return 17900
}

func mustProc(pid int) ProcStat { s, _ := ReadProc(pid); return s }

// runInject: every peer must come to hold the R routes RoutePrefix(0..R-1)
// that the DUT announces, from its configuration (inject) or from a
// helper's `announce route` commands (inject-api). Time runs from the DUT's
// start. A route counts once per peer however often it is announced; a
// withdrawal uncounts it.
func runInject(r *Record, d DUT, s *Setup, o *Options, routes int) error {
	t0 := time.Now()
	g0 := mustProc(0)
	p, lg, err := boot(d, s, routes)
	if err != nil {
		return err
	}
	defer p.Stop()
	defer lg.Stop()
	want := s.N * routes
	var up time.Duration
	_, err = waitFor(p, o.with(lg), "routes delivered", want, func() int {
		if up == 0 && lg.Established() == s.N {
			up = time.Since(t0)
		}
		return int(lg.Held())
	})
	if err != nil {
		return err
	}
	took := time.Since(t0)
	st, g1 := TreeProc(p.Pid()), mustProc(0)
	var announced, withdrawn, foreign int64
	for _, ss := range lg.Sessions {
		announced += ss.Prefixes.Load()
		withdrawn += ss.Withdrawn.Load()
		foreign += ss.Foreign.Load()
	}
	r.Metrics["routes"] = float64(routes)
	r.Metrics["total_s"] = took.Seconds()
	if up > 0 {
		r.Metrics["all_up_s"] = up.Seconds()
	}
	r.Metrics["routes_per_s"] = float64(want) / took.Seconds()
	r.Metrics["dut_rss_mb"] = float64(st.RSS) / (1 << 20)
	r.Metrics["dut_anon_mb"] = float64(st.Anon) / (1 << 20)
	r.Metrics["dut_cpu_s"] = st.CPU.Seconds()
	r.Metrics["gen_cpu_s"] = (g1.CPU - g0.CPU).Seconds()
	r.Metrics["repeats"] = float64(announced - int64(want))
	r.Metrics["withdrawn"] = float64(withdrawn)
	r.Metrics["foreign"] = float64(foreign)
	return nil
}
