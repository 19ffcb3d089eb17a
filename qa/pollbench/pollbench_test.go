package pollbench

import (
	"testing"
	"time"
)

func TestDeliveryAllVariants(t *testing.T) {
	for _, v := range Variants {
		r, err := Run(v, Load{Conns: 50, Events: 2000})
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if r.Events != 2000 {
			t.Fatalf("%s: %d events", v, r.Events)
		}
		t.Logf("%+v", r)
	}
}

// BenchmarkDelivery: closed loop, rounds of one 19-byte frame on each of
// 1,000 loopback connections, handled by one owning goroutine.
func BenchmarkDelivery(b *testing.B) {
	for _, v := range Variants {
		b.Run(v, func(b *testing.B) {
			n := max(b.N, 1000)
			r, err := Run(v, Load{Conns: 1000, Events: n})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(r.NsPerEvent*float64(n)/float64(b.N), "ns/op")
			b.ReportMetric(r.NsPerEvent, "ns/event")
			b.ReportMetric(r.CPUPerEvent, "cpu-ns/event")
			b.ReportMetric(float64(r.P50), "p50-ns")
			b.ReportMetric(float64(r.P99), "p99-ns")
			b.ReportMetric(float64(r.Goroutines), "goroutines")
			b.ReportMetric(float64(r.Threads), "threads")
		})
	}
}

func TestBackpressureVariants(t *testing.T) {
	for _, v := range PauseVariants {
		r, err := Backpressure(v, 200*time.Millisecond, 64<<20)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		t.Logf("%s: %+v", v, r)
	}
}

// TestNetpollBlocks shows that Flush and Next park their caller until the
// peer acts: the call cannot return before the release (checked by order,
// not by timing); the parked time is only logged.
func TestNetpollBlocks(t *testing.T) {
	for _, f := range []func(time.Duration) (Block, error){FlushBlocks, NextBlocks} {
		b, err := f(50 * time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if !b.ReturnedAfterRelease {
			t.Fatalf("%s returned before the peer acted", b.Call)
		}
		t.Logf("%s: parked %s, %s", b.Call, b.Parked, b.Frame)
	}
}
