package pollbench

import (
	"os"
	"runtime"
	"slices"
	"time"

	"golang.org/x/sys/unix"
)

// frameLen is the size of one message: a BGP KEEPALIVE is 19 bytes.
const frameLen = 19

var base = time.Now()

// now is monotonic nanoseconds since base; frames carry it.
func now() int64 { return int64(time.Since(base)) }

func putFrame(b []byte, seq uint32) {
	t := uint64(now())
	for i := 0; i < 8; i++ {
		b[i] = byte(t >> (8 * i))
	}
	for i := 0; i < 4; i++ {
		b[8+i] = byte(seq >> (8 * i))
	}
	for i := 12; i < frameLen; i++ {
		b[i] = 0xff
	}
}

func frameTime(b []byte) int64 {
	var t uint64
	for i := 0; i < 8; i++ {
		t |= uint64(b[i]) << (8 * i)
	}
	return int64(t)
}

// cpuNow is the CPU time (user+system) of the whole process.
func cpuNow() time.Duration { return rusage(unix.RUSAGE_SELF) }

// threadCPU is the CPU time of the calling OS thread.
func threadCPU() time.Duration { return rusage(unix.RUSAGE_THREAD) }

func rusage(who int) time.Duration {
	var ru unix.Rusage
	_ = unix.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threads is the number of OS threads of this process.
func threads() int {
	d, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return -1
	}
	return len(d)
}

// rssBytes is the resident set size of this process.
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	var pages int64
	i := 0
	for i < len(b) && b[i] != ' ' {
		i++
	}
	for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		pages = pages*10 + int64(b[i]-'0')
	}
	return pages * int64(os.Getpagesize())
}

func heapInuse() int64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}

// latencies records event→handled delays (owned by one goroutine).
type latencies struct {
	s   []int64
	max int
}

func newLatencies(max int) *latencies {
	return &latencies{s: make([]int64, 0, min(max, 1<<16)), max: max}
}

func (l *latencies) add(d int64) {
	if len(l.s) < l.max {
		l.s = append(l.s, d)
	}
}

// pct returns the given percentiles (0..100) in nanoseconds.
func (l *latencies) pct(ps ...float64) []int64 {
	out := make([]int64, len(ps))
	if len(l.s) == 0 {
		return out
	}
	s := slices.Clone(l.s)
	slices.Sort(s)
	for i, p := range ps {
		k := int(p / 100 * float64(len(s)-1))
		out[i] = s[k]
	}
	return out
}
