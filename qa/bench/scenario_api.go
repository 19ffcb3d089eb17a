package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"exago/wire"
)

// TableUpdates builds R routes shaped like a real table: prefix lengths
// from /16 to /24, 2–4 prefixes per UPDATE, and a new attribute set
// (AS path and MED) every few UPDATEs, as an eBGP peer in AS peerAS sends
// them.
func TableUpdates(r int, peerAS uint32, nh netip.Addr) ([]byte, error) {
	n := &wire.Negotiated{ASN4: true, MaxSize: wire.MaxSize, LocalAS: peerAS, PeerAS: 65000}
	var out []byte
	for i, k := 0, 0; i < r; k++ {
		per := 2 + k%3
		if per > r-i {
			per = r - i
		}
		attrs := &wire.Attributes{
			HasOrigin: true, Origin: wire.OriginIGP,
			HasASPath: true, ASPath: []wire.ASSegment{{Type: wire.ASSequence, ASNs: []uint32{peerAS, 64512 + uint32(k/4%1000), 3356 + uint32(k%7)}}},
			HasMED: true, MED: uint32(k / 4),
		}
		nlri := make([]wire.NLRI, per)
		for j := range nlri {
			bits := 16 + (i+j)%9
			a := netip.AddrFrom4([4]byte{byte(20 + (i+j)>>16), byte((i + j) >> 8), byte(i + j), 0})
			nlri[j] = &wire.INET{Fam: wire.IPv4Unicast, Prefix: netip.PrefixFrom(a, bits).Masked()}
		}
		// Shorter masks can make two indexes the same prefix; the DUT
		// still reports every announcement, which is what is counted.
		ub := wire.UpdateBuilder{Family: wire.IPv4Unicast, Attrs: attrs, NextHop: nh, Announce: nlri, NoDefaults: true}
		var err error
		if out, err = ub.Append(out, n); err != nil {
			return nil, err
		}
		i += per
	}
	return out, nil
}

// runReceive: one peer sends R routes; the DUT hands them to a helper as
// JSON; we time the last JSON line.
func runReceive(r *Record, d DUT, s *Setup, o *Options) error {
	done := filepath.Join(s.Dir, "helper.done")
	s.Helper = fmt.Sprintf("%s helper-count -expect %d -out %s", o.Self, o.Routes, done)
	s.HelperRecv = true
	msgs, err := TableUpdates(o.Routes, s.PeerAS, PeerAddr(0))
	if err != nil {
		return err
	}
	p, lg, err := boot(d, s, 0)
	if err != nil {
		return err
	}
	defer p.Stop()
	defer lg.Stop()
	if _, err := waitFor(p, o.with(lg), "established", 1, lg.Established); err != nil {
		return err
	}
	t0 := time.Now()
	if err := lg.Sessions[0].Write(msgs); err != nil {
		return fmt.Errorf("sending the table: %w", err)
	}
	var last time.Time
	_, err = waitFor(p, o, "routes as JSON", 1, func() int {
		raw, err := os.ReadFile(done)
		if err != nil {
			return 0
		}
		ns, _ := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
		last = time.Unix(0, ns)
		return 1
	})
	if err != nil {
		return err
	}
	took := last.Sub(t0)
	r.Metrics["routes"] = float64(o.Routes)
	r.Metrics["total_s"] = took.Seconds()
	r.Metrics["routes_per_s"] = float64(o.Routes) / took.Seconds()
	st := TreeProc(p.Pid())
	r.Metrics["dut_rss_mb"] = float64(st.RSS) / (1 << 20)
	r.Metrics["dut_anon_mb"] = float64(st.Anon) / (1 << 20)
	return nil
}

// runAPI: a helper writes C `announce route` commands; we time until the
// peer holds them all.
func runAPI(r *Record, d DUT, s *Setup, o *Options) error {
	s.Helper = fmt.Sprintf("%s helper-announce -count %d", o.Self, o.Commands)
	t0 := time.Now()
	p, lg, err := boot(d, s, o.Commands)
	if err != nil {
		return err
	}
	defer p.Stop()
	defer lg.Stop()
	_, err = waitFor(p, o.with(lg), "commands on the wire", o.Commands, func() int { return int(lg.Held()) })
	if err != nil {
		return err
	}
	took := time.Since(t0)
	r.Metrics["commands"] = float64(o.Commands)
	r.Metrics["total_s"] = took.Seconds()
	r.Metrics["commands_per_s"] = float64(o.Commands) / took.Seconds()
	return nil
}

var nlriKey = []byte(`"nlri"`)

// HelperCount is the receive scenario's helper: it reads JSON events on
// stdin, counts announced NLRI, and writes the time (unix ns) it saw the
// expect-th one to out. It keeps draining stdin until EOF.
func HelperCount(expect int, out string) error {
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	seen, wrote := 0, false
	for sc.Scan() {
		seen += bytes.Count(sc.Bytes(), nlriKey)
		if !wrote && seen >= expect {
			wrote = true
			if err := os.WriteFile(out, []byte(strconv.FormatInt(time.Now().UnixNano(), 10)), 0o644); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

// HelperAnnounce is the api scenario's helper: it writes count announce
// commands as fast as its stdout takes them, then waits for EOF on stdin.
func HelperAnnounce(count int) error {
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	for i := 0; i < count; i++ {
		fmt.Fprintf(w, "announce route %s next-hop 127.0.0.1\n", RoutePrefix(i))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
	}
	return nil
}
