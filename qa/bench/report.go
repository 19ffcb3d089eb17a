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

// latest keeps the newest record per scenario/mode/DUT/size.
func latest(rs []*Record) []*Record {
	m := map[string]*Record{}
	for _, r := range rs {
		k := fmt.Sprintf("%s|%s|%s|%d", r.Scenario, r.Mode, r.DUT, r.N)
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
		if a.DUT != b.DUT {
			return a.DUT < b.DUT
		}
		return a.N < b.N
	})
	return out
}

// columns are the metrics shown per scenario, in order.
var columns = map[string][]string{
	"sessions": {"establish_s", "hold_expiries", "worst_keepalive_gap_s", "dut_rss_mb", "dut_rss_per_peer_kb", "dut_threads", "dut_cpu_idle_pct", "gen_cpu_idle_pct"},
	"inject":   {"routes", "total_s", "routes_per_s", "dut_rss_mb", "dut_cpu_s"},
	"receive":  {"routes", "total_s", "routes_per_s", "dut_rss_mb"},
	"api":      {"commands", "total_s", "commands_per_s"},
}

// Targets are GitHub issue 7's goals, checked next to the figures.
func targetNote(r *Record) string {
	if !r.OK {
		return "FAILED: " + r.Error
	}
	var notes []string
	if r.Scenario == "sessions" && strings.HasPrefix(r.DUT, "exago") {
		if r.N >= 10000 && r.Metrics["hold_expiries"] == 0 {
			notes = append(notes, "10k sessions, 0 expiries: met")
		}
		// Per-peer RSS is only meaningful once peers dominate the
		// process's fixed footprint (the figure is at 10,000).
		if r.DUT == "exago" && r.N >= 10000 {
			if v := r.Metrics["dut_rss_per_peer_kb"]; v > 16 {
				notes = append(notes, fmt.Sprintf("RSS/peer %.1f KB > 16 KB target: NOT MET", v))
			} else {
				notes = append(notes, fmt.Sprintf("RSS/peer %.1f KB ≤ 16 KB: met", v))
			}
		}
	}
	if r.Scenario == "receive" && r.DUT == "exago" && r.Metrics["routes_per_s"] < 500000 {
		notes = append(notes, "< 500,000 routes/s target: NOT MET")
	}
	return strings.Join(notes, "; ")
}

// Markdown writes one table per scenario (DUT × size).
func Markdown(rs []*Record) string {
	rs = latest(rs)
	var b strings.Builder
	for _, sc := range []string{"sessions", "inject", "receive", "api"} {
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
		fmt.Fprintf(&b, "### %s\n\n| DUT | mode | N | %s | notes |\n|---|---|---|%s---|\n", sc, strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
		for _, r := range rows {
			fmt.Fprintf(&b, "| %s | %s | %d |", r.DUT, r.Mode, r.N)
			for _, c := range cols {
				if v, ok := r.Metrics[c]; ok {
					fmt.Fprintf(&b, " %s |", fmtMetric(round3(v)))
				} else {
					b.WriteString(" – |")
				}
			}
			fmt.Fprintf(&b, " %s |\n", strings.ReplaceAll(targetNote(r), "|", "/"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func round3(v float64) float64 { return float64(int64(v*1000+0.5)) / 1000 }

// WriteReport writes report.md and the SVG plots into dir.
func WriteReport(dir string, rs []*Record) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	md := "# ExaGo benchmark report\n\n" + Markdown(rs)
	plots := []struct{ file, sc, metric, title string }{
		{"establish.svg", "sessions", "establish_s", "time to establish (s) vs peers"},
		{"rss.svg", "sessions", "dut_rss_mb", "DUT RSS (MB) vs peers"},
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
