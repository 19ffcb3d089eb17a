// Command exago-bench is ExaGo's benchmark harness: it plays N BGP peers
// from 127.x.y.z addresses against a DUT (ExaGo reactor or sync mode,
// ExaBGP, GoBGP, BIRD), prints one key=value line per result, appends it
// as JSON to the results file, and writes a markdown + SVG report.
//
//	go run ./qa/cmd/exago-bench -scenario sessions -dut exago,exago-sync -n 100,1000
//	go run ./qa/cmd/exago-bench -report-only -out bench-report
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"exago/qa/bench"
)

func main() {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "helper-") {
		os.Exit(helper(os.Args[1], os.Args[2:]))
	}
	os.Exit(run())
}

func run() int {
	var (
		scenarios = flag.String("scenario", "sessions", "comma-separated: sessions, inject, inject-api, receive, api")
		duts      = flag.String("dut", "exago,exago-sync", "comma-separated: exago, exago-sync, exabgp, gobgp, bird")
		sizes     = flag.String("n", "100,1000", "comma-separated peer counts")
		direction = flag.String("direction", "both", "sessions: accepts (peers connect to the DUT), connects (the DUT connects out) or both")
		out       = flag.String("out", "bench-report", "report directory (results.jsonl, report.md, *.svg)")
		bin       = flag.String("bin", "", "DUT binaries as name=path,... (default: bin/exabgp for exago, PATH for the others)")
		port      = flag.Int("port", 0, "TCP port (0: a free one per run)")
		hold      = flag.Int("hold", 9, "hold time offered to the DUT (s)")
		idle      = flag.Duration("idle", 60*time.Second, "sessions: idle measurement window")
		timeout   = flag.Duration("timeout", 5*time.Minute, "per-run wait limit")
		routes    = flag.Int("routes", 100000, "inject, inject-api, receive: routes")
		commands  = flag.Int("commands", 100000, "api: commands")
		only      = flag.Bool("report-only", false, "only rewrite the report from results.jsonl")
		preamble  = flag.String("preamble", "", "markdown file whose text goes at the top of the report")
		allow     = flag.String("allow", "", "comma-separated DUTs allowed to run (empty: all); others in -dut are skipped")
		static    = flag.Int("static-config", 0, "write a configuration with this many static routes to stdout and exit")
	)
	flag.Parse()
	if *static > 0 {
		os.Stdout.Write(bench.StaticConfig(*static))
		return 0
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	results := filepath.Join(*out, "results.jsonl")
	if !*only {
		self, _ := os.Executable()
		opts := &bench.Options{Dir: filepath.Join(os.TempDir(), "exago-bench-runs"), Port: *port, Hold: uint16(*hold),
			Idle: *idle, Timeout: *timeout, Routes: *routes, Commands: *commands, Self: self}
		if term.IsTerminal(int(os.Stderr.Fd())) {
			opts.Progress = os.Stderr
		}
		fmt.Fprintf(os.Stderr, "file-descriptor limit raised to %d\n", bench.RaiseFDLimit())
		for _, sc := range split(*scenarios) {
			for _, n := range ints(*sizes) {
				for _, name := range split(*duts) {
					if *allow != "" && !slices.Contains(split(*allow), name) {
						continue
					}
					dirs := []bool{true}
					if sc == "sessions" {
						dirs = map[string][]bool{"accepts": {true}, "connects": {false}}[*direction]
						if dirs == nil {
							dirs = []bool{true, false}
						}
					}
					for _, acc := range dirs {
						d, err := bench.Lookup(name, binFor(*bin, name))
						if err != nil {
							fmt.Fprintln(os.Stderr, err)
							return 2
						}
						r := bench.Run(sc, d, n, acc, opts)
						fmt.Println(r.Line())
						if err := bench.Append(results, r); err != nil {
							fmt.Fprintln(os.Stderr, err)
						}
						if opts.Port != 0 {
							opts.Port += 2 // a fresh port: the previous DUT may linger in TIME_WAIT
						}
					}
				}
			}
		}
	}
	rs, err := bench.Load(results)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var pre []byte
	if *preamble != "" {
		if pre, err = os.ReadFile(*preamble); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := bench.WriteReport(*out, string(pre), rs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "report: %s\n", filepath.Join(*out, "report.md"))
	return 0
}

func helper(name string, args []string) int {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	expect := fs.Int("expect", 0, "NLRI to count")
	out := fs.String("out", "", "file to write the time into")
	count := fs.Int("count", 0, "commands to write")
	fs.Parse(args)
	var err error
	switch name {
	case "helper-count":
		err = bench.HelperCount(*expect, *out)
	case "helper-announce":
		err = bench.HelperAnnounce(*count)
	default:
		err = fmt.Errorf("unknown helper %s", name)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// binFor picks name's path from "name=path,..." (exago-sync shares exago's).
func binFor(spec, name string) string {
	for _, kv := range split(spec) {
		k, v, ok := strings.Cut(kv, "=")
		if ok && (k == name || k == "exago" && name == "exago-sync") {
			return v
		}
	}
	return ""
}

func split(s string) []string {
	var out []string
	for _, w := range strings.Split(s, ",") {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

func ints(s string) []int {
	var out []int
	for _, w := range split(s) {
		if v, err := strconv.Atoi(w); err == nil {
			out = append(out, v)
		}
	}
	return out
}
