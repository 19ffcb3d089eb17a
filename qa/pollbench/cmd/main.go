// Command pollbench prints the figures of docs/ARCHITECTURE.md, section
// "netpoll and epoll: the choice". Each delivery run happens in a child
// process so that netpoll's process-global pollers, runner and threads of
// one variant do not leak into another.
//
//	go run ./qa/pollbench/cmd [-conns 1000] [-rate 20000] [-dur 3s] [-events 200000] [-repeat 3]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"

	"exago/qa/pollbench"
)

func main() {
	conns := flag.Int("conns", 1000, "loopback TCP connections")
	rate := flag.Int("rate", 20000, "fixed-rate run: frames per second in total")
	dur := flag.Duration("dur", 3*time.Second, "fixed-rate run: duration")
	events := flag.Int("events", 200000, "closed-loop run: frames")
	repeat := flag.Int("repeat", 3, "runs per variant (the median by CPU/event is shown)")
	bpDur := flag.Duration("bp", 2*time.Second, "back-pressure: pause length")
	bpCap := flag.Int64("bpcap", 512<<20, "back-pressure: stop the netpoll sender after this many bytes")
	child := flag.String("child", "", "internal: run one variant and print JSON")
	only := flag.String("only", "", "delivery, backpressure or blocking (default all)")
	flag.Parse()

	if *child != "" {
		var load pollbench.Load
		if err := json.Unmarshal([]byte(flag.Arg(0)), &load); err != nil {
			fail(err)
		}
		r, err := pollbench.Run(*child, load)
		if err != nil {
			fail(err)
		}
		json.NewEncoder(os.Stdout).Encode(r)
		return
	}
	fmt.Printf("pollbench  %s  GOMAXPROCS=%s  conns=%d\n", time.Now().Format(time.RFC3339), os.Getenv("GOMAXPROCS"), *conns)
	if *only == "" || *only == "delivery" {
		loads := []struct {
			name string
			load pollbench.Load
		}{
			{fmt.Sprintf("fixed rate %d frames/s for %s", *rate, *dur), pollbench.Load{Conns: *conns, Rate: *rate, Duration: *dur}},
			{fmt.Sprintf("closed loop, %d frames in rounds of one per connection", *events), pollbench.Load{Conns: *conns, Events: *events}},
		}
		for _, l := range loads {
			fmt.Printf("\n## delivery: %s (median of %d)\n\n", l.name, *repeat)
			fmt.Println("| variant | events | ns/event (wall) | CPU ns/event | p50 µs | p99 µs | p99.9 µs | goroutines | threads |")
			fmt.Println("|---|---|---|---|---|---|---|---|---|")
			for _, v := range pollbench.Variants {
				var rs []pollbench.Result
				for i := 0; i < *repeat; i++ {
					r, err := runChild(v, l.load)
					if err != nil {
						fail(fmt.Errorf("%s: %w", v, err))
					}
					rs = append(rs, r)
				}
				slices.SortFunc(rs, func(a, b pollbench.Result) int { return int(a.CPUPerEvent - b.CPUPerEvent) })
				r := rs[len(rs)/2]
				fmt.Printf("| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f | %d | %d |\n", v, r.Events, r.NsPerEvent, r.CPUPerEvent,
					float64(r.P50)/1e3, float64(r.P99)/1e3, float64(r.P999)/1e3, r.Goroutines, r.Threads)
			}
		}
	}
	if *only == "" || *only == "backpressure" {
		fmt.Printf("\n## back-pressure: reader paused for %s, peer writing as fast as it can\n\n", *bpDur)
		fmt.Println("| variant | how it pauses | bytes in user space | heap growth | RSS growth | peer bytes accepted during pause | reader CPU during pause |")
		fmt.Println("|---|---|---|---|---|---|---|")
		for _, v := range pollbench.PauseVariants {
			r, err := pollbench.Backpressure(v, *bpDur, *bpCap)
			if err != nil {
				fail(fmt.Errorf("%s: %w", v, err))
			}
			fmt.Printf("| %s | %s | %s | %s | %s | %s | %s |\n", v, r.How, mb(r.UserBytes), mb(r.HeapGrowth), mb(r.RSSGrowth), mb(r.PeerBytes), r.CPU.Round(time.Millisecond))
			if r.Note != "" {
				fmt.Printf("|  | %s |  |  |  |  |  |\n", r.Note)
			}
		}
	}
	if *only == "" || *only == "blocking" {
		fmt.Printf("\n## blocking: how long netpoll parks the caller\n\n")
		fmt.Println("| call | parked | in | released by |")
		fmt.Println("|---|---|---|---|")
		for _, b := range []func(time.Duration) (pollbench.Block, error){pollbench.FlushBlocks, pollbench.NextBlocks} {
			r, err := b(500 * time.Millisecond)
			if err != nil {
				fail(err)
			}
			fmt.Printf("| %s | %s | %s | %s |\n", r.Call, r.Parked.Round(time.Millisecond), r.Frame, r.Release)
		}
	}
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func runChild(v string, l pollbench.Load) (pollbench.Result, error) {
	arg, _ := json.Marshal(l)
	cmd := exec.Command(os.Args[0], "-child", v, string(arg))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return pollbench.Result{}, err
	}
	var r pollbench.Result
	return r, json.Unmarshal(out, &r)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pollbench:", err)
	os.Exit(1)
}
