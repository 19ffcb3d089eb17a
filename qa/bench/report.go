package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Append adds the record to the JSON-lines results file.
func Append(path string, r *Record) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	raw, _ := json.Marshal(r)
	_, err = f.Write(append(raw, '\n'))
	return err
}

// Load reads a JSON-lines results file.
func Load(path string) ([]*Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []*Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err == nil {
			out = append(out, &r)
		}
	}
	return out, sc.Err()
}

// key names a measurement: the same scenario, mode, size and DUT.
func key(r *Record) string {
	return fmt.Sprintf("%s|%s|%d|%d|%s", r.Scenario, r.Mode, r.N, r.Routes, r.DUT)
}

// latest keeps the newest record per scenario/mode/size/DUT.
func latest(rs []*Record) []*Record {
	m := map[string]*Record{}
	for _, r := range rs {
		k := key(r)
		if o := m[k]; o == nil || r.Time.After(o.Time) {
			m[k] = r
		}
	}
	out := make([]*Record, 0, len(m))
	for _, r := range m {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Scenario != b.Scenario {
			return a.Scenario < b.Scenario
		}
		if a.Mode != b.Mode {
			return a.Mode < b.Mode
		}
		if a.N != b.N {
			return a.N < b.N
		}
		if a.Routes != b.Routes {
			return a.Routes < b.Routes
		}
		return a.DUT < b.DUT
	})
	return out
}

// scenarios is the report's order.
var scenarios = []string{"sessions", "inject", "inject-api", "receive", "api"}

// columns are the metrics shown per scenario, in order.
var columns = map[string][]string{
	"sessions":   {"establish_s", "hold_expiries", "worst_keepalive_gap_s", "dut_rss_mb", "dut_anon_mb", "dut_rss_per_peer_kb", "dut_anon_per_peer_kb", "dut_threads", "dut_cpu_idle_pct", "gen_cpu_idle_pct", "gen_redials", "dut_refusals"},
	"inject":     {"all_up_s", "total_s", "routes_per_s", "dut_rss_mb", "dut_anon_mb", "dut_cpu_s", "gen_cpu_s", "repeats", "withdrawn"},
	"inject-api": {"all_up_s", "total_s", "routes_per_s", "dut_rss_mb", "dut_anon_mb", "dut_cpu_s", "gen_cpu_s", "repeats", "withdrawn"},
	"receive":    {"total_s", "routes_per_s", "dut_rss_mb", "dut_anon_mb"},
	"api":        {"total_s", "commands_per_s"},
}

// headers label the metrics; memory is given both ways, named as /proc
// names it.
var headers = map[string]string{
	"establish_s":           "establish (s)",
	"hold_expiries":         "hold expiries",
	"worst_keepalive_gap_s": "worst KEEPALIVE gap (s)",
	"dut_rss_mb":            "DUT VmRSS (MB)",
	"dut_anon_mb":           "DUT RssAnon (MB)",
	"dut_rss_per_peer_kb":   "VmRSS/peer (KB)",
	"dut_anon_per_peer_kb":  "RssAnon/peer (KB)",
	"dut_threads":           "DUT threads",
	"dut_cpu_idle_pct":      "DUT CPU idle (%)",
	"gen_cpu_idle_pct":      "generator CPU idle (%)",
	"gen_redials":           "generator redials",
	"dut_refusals":          "OPENs refused (NOTIFICATION before Established)",
	"total_s":               "total (s)",
	"all_up_s":              "all sessions up at (s)",
	"routes_per_s":          "routes/s",
	"dut_cpu_s":             "DUT CPU (s)",
	"gen_cpu_s":             "generator CPU (s)",
	"repeats":               "repeated announcements",
	"withdrawn":             "withdrawn",
	"commands_per_s":        "commands/s",
}

const legend = `Memory is given two ways, both read from /proc/PID/status of the DUT and
what it forks, without this harness's own helper program (the same
process under every DUT, so left out): **VmRSS** is every
resident page, shared file-backed pages of the binary, the interpreter
and its libraries included; **RssAnon** is the private anonymous memory
only (heap, stacks), what the DUT's own state costs. "Generator" figures
are the load generator's (this harness's) own CPU, apart from the DUT's:
a generator using far less CPU than the DUT is not the bottleneck.
Ratios are ExaGo's advantage: other ÷ ExaGo for time and memory, ExaGo ÷
other for rates (> 1 means ExaGo is better).
`

// targetNote checks GitHub issue 7's goals that concern one record.
func targetNote(r *Record) string {
	if !r.OK {
		return strings.TrimSuffix("FAILED: "+r.Error+"; "+r.Note, "; ")
	}
	var notes []string
	if r.Note != "" {
		notes = append(notes, r.Note)
	}
	if r.Scenario == "sessions" && strings.HasPrefix(r.DUT, "exago") {
		if r.N >= 10000 {
			if r.Metrics["hold_expiries"] == 0 {
				notes = append(notes, "10k sessions, 0 expiries: met")
			} else {
				notes = append(notes, "hold-timer expiries: target NOT MET")
			}
		}
		// Per-peer RSS is only meaningful once peers dominate the
		// process's fixed footprint (the figure is at 10,000).
		if r.DUT == "exago" && r.N >= 10000 {
			v, a := r.Metrics["dut_rss_per_peer_kb"], r.Metrics["dut_anon_per_peer_kb"]
			if v > 16 {
				notes = append(notes, fmt.Sprintf("VmRSS/peer %.1f KB > 16 KB: target NOT MET (RssAnon/peer %.1f KB)", v, a))
			} else {
				notes = append(notes, fmt.Sprintf("VmRSS/peer %.1f KB ≤ 16 KB: met", v))
			}
		}
	}
	if r.Scenario == "receive" && r.DUT == "exago" && r.Metrics["routes_per_s"] < 500000 {
		notes = append(notes, "< 500,000 routes/s: target NOT MET")
	}
	return strings.Join(notes, "; ")
}

// speed is the figure each scenario is compared on, and whether more is
// better.
var speed = map[string]struct {
	metric string
	higher bool
}{
	"sessions":   {"establish_s", false},
	"inject":     {"routes_per_s", true},
	"inject-api": {"routes_per_s", true},
	"receive":    {"routes_per_s", true},
	"api":        {"commands_per_s", true},
}

// Comparison is ExaGo (reactor mode) against one other DUT on one
// measurement that both completed.
type Comparison struct {
	Scenario, Mode string
	N, Routes      int
	Other          string
	Speed          float64 // ExaGo's speed advantage (> 1: ExaGo faster)
	RSS, Anon      float64 // other's memory ÷ ExaGo's (> 1: ExaGo smaller); 0 if not measured
	Notes          []string
}

// Compare pairs ExaGo's records with every other DUT's at the same
// scenario, mode and size, and checks the relative targets.
func Compare(rs []*Record) []Comparison {
	rs = latest(rs)
	byKey := map[string]*Record{}
	for _, r := range rs {
		byKey[key(r)] = r
	}
	var out []Comparison
	for _, g := range rs {
		if g.DUT != "exago" || !g.OK {
			continue
		}
		sp, ok := speed[g.Scenario]
		if !ok {
			continue
		}
		for _, other := range []string{"exago-sync", "exabgp", "gobgp", "bird"} {
			k := *g
			k.DUT = other
			o := byKey[key(&k)]
			if o == nil || !o.OK {
				continue
			}
			c := Comparison{Scenario: g.Scenario, Mode: g.Mode, N: g.N, Routes: g.Routes, Other: other}
			a, b := g.Metrics[sp.metric], o.Metrics[sp.metric]
			if a > 0 && b > 0 {
				if sp.higher {
					c.Speed = a / b
				} else {
					c.Speed = b / a
				}
			}
			c.RSS = ratio(o.Metrics["dut_rss_mb"], g.Metrics["dut_rss_mb"])
			c.Anon = ratio(o.Metrics["dut_anon_mb"], g.Metrics["dut_anon_mb"])
			c.Notes = targets(g, o, c)
			out = append(out, c)
		}
	}
	return out
}

func ratio(a, b float64) float64 {
	if a <= 0 || b <= 0 {
		return 0
	}
	return a / b
}

// targets are issue 7's goals relative to another DUT.
func targets(g, o *Record, c Comparison) []string {
	var n []string
	check := func(ok bool, what string) {
		if ok {
			n = append(n, what+": met")
		} else {
			n = append(n, what+": target NOT MET")
		}
	}
	switch o.DUT {
	case "exago-sync":
		if g.Scenario == "sessions" && g.N >= 10000 {
			check(c.RSS >= 2, fmt.Sprintf("reactor VmRSS ≤ ½ sync (%.2f×)", c.RSS))
			check(g.Metrics["dut_threads"] < o.Metrics["dut_threads"],
				fmt.Sprintf("fewer threads (%s vs %s)", fmtMetric(g.Metrics["dut_threads"]), fmtMetric(o.Metrics["dut_threads"])))
		}
	case "exabgp":
		if g.Scenario == "inject" || g.Scenario == "inject-api" || g.Scenario == "receive" {
			check(c.Speed >= 50, "≥ 50× faster")
		}
		if c.RSS > 0 {
			check(c.RSS >= 10, "≥ 10× less VmRSS")
		}
		if c.Anon > 0 {
			check(c.Anon >= 10, "≥ 10× less RssAnon")
		}
	case "gobgp", "bird":
		if g.Scenario == "inject" && g.N >= 100 && g.Routes >= 100000 {
			check(c.Speed > 1, "faster than "+o.DUT)
		}
	}
	return n
}

func fmtRatio(v float64) string {
	if v == 0 {
		return "–"
	}
	if v >= 10 {
		return fmt.Sprintf("%.0f×", v)
	}
	return fmt.Sprintf("%.2f×", v)
}

// Markdown writes one table per scenario (DUT × size), then ExaGo's
// comparisons with the other DUTs.
func Markdown(rs []*Record) string {
	rs = latest(rs)
	var b strings.Builder
	b.WriteString(legend)
	for _, sc := range scenarios {
		var rows []*Record
		for _, r := range rs {
			if r.Scenario == sc {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		cols := columns[sc]
		sized := sc != "sessions"
		fmt.Fprintf(&b, "\n### %s\n\n| DUT | mode | N |", sc)
		if sized {
			b.WriteString(map[bool]string{true: " commands |", false: " routes |"}[sc == "api"])
		}
		for _, c := range cols {
			fmt.Fprintf(&b, " %s |", headers[c])
		}
		fmt.Fprintf(&b, " notes |\n|---|---|---|%s---|\n", strings.Repeat("---|", len(cols)+map[bool]int{true: 1}[sized]))
		for _, r := range rows {
			fmt.Fprintf(&b, "| %s | %s | %d |", r.DUT, r.Mode, r.N)
			if sized {
				fmt.Fprintf(&b, " %s |", sizeCell(r.Routes))
			}
			for _, c := range cols {
				if v, ok := r.Metrics[c]; ok {
					fmt.Fprintf(&b, " %s |", fmtMetric(round3(v)))
				} else {
					b.WriteString(" – |")
				}
			}
			fmt.Fprintf(&b, " %s |\n", cell(targetNote(r)))
		}
		var cmp []Comparison
		for _, c := range Compare(rs) {
			if c.Scenario == sc {
				cmp = append(cmp, c)
			}
		}
		if len(cmp) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s: ExaGo (reactor) compared, where both completed (speed: %s)\n\n", sc, speed[sc].metric)
		b.WriteString("| mode | N | size | vs | speed × | VmRSS × | RssAnon × | targets |\n|---|---|---|---|---|---|---|---|\n")
		for _, c := range cmp {
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s |\n", c.Mode, c.N, sizeCell(c.Routes), c.Other,
				fmtRatio(c.Speed), fmtRatio(c.RSS), fmtRatio(c.Anon), cell(strings.Join(c.Notes, "; ")))
		}
	}
	return b.String()
}

func sizeCell(n int) string {
	if n == 0 {
		return "–"
	}
	return fmtMetric(float64(n))
}

func cell(s string) string { return strings.ReplaceAll(s, "|", "/") }

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// WriteReport writes report.md and the SVG plots into dir; preamble (may
// be empty) goes under the title.
func WriteReport(dir, preamble string, rs []*Record) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	md := "# ExaGo benchmark report\n\n" + preamble + Markdown(rs) + "\n"
	plots := []struct{ file, sc, metric, title string }{
		{"establish.svg", "sessions", "establish_s", "time to establish (s) vs peers"},
		{"rss.svg", "sessions", "dut_rss_mb", "DUT VmRSS (MB) vs peers"},
		{"anon.svg", "sessions", "dut_anon_mb", "DUT RssAnon (MB) vs peers"},
		{"inject.svg", "inject", "routes_per_s", "inject: routes/s vs peers"},
	}
	for _, p := range plots {
		svg, ok := LinePlot(latest(rs), p.sc, p.metric, p.title)
		if !ok {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, p.file), []byte(svg), 0o644); err != nil {
			return err
		}
		md += fmt.Sprintf("![%s](%s)\n\n", p.title, p.file)
	}
	return os.WriteFile(filepath.Join(dir, "report.md"), []byte(md), 0o644)
}
