package config

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func bigConfig(n int) string {
	var b strings.Builder
	b.WriteString("neighbor 127.0.0.1 {\n\trouter-id 10.0.0.1;\n\tlocal-address 127.0.0.1;\n\tlocal-as 65000;\n\tpeer-as 65001;\n\tfamily { ipv4 unicast; }\n\tstatic {\n")
	for i := 0; i < n; i++ {
		b.WriteString("\t\troute 10.")
		b.WriteString(strconv.Itoa(i >> 16 & 255))
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(i >> 8 & 255))
		b.WriteByte('.')
		b.WriteString(strconv.Itoa(i & 255))
		b.WriteString("/32 next-hop 192.0.2.1 med 100 as-path [ 65001 65002 ] community [ 65000:1 65000:2 ];\n")
	}
	b.WriteString("\t}\n}\n")
	return b.String()
}

// BenchmarkLoad100k parses a configuration with 100,000 static routes
// (target: well under 1 s and 200 MB).
func BenchmarkLoad100k(b *testing.B) {
	text := bigConfig(100000)
	b.ResetTimer()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		cfg, err := LoadText("big.conf", text, nil)
		if err != nil {
			b.Fatal(err)
		}
		if len(cfg.Neighbors[0].Routes) != 100000 {
			b.Fatal("routes missing")
		}
	}
}

// TestLoad100kMemory keeps the memory figure honest: the parsed
// configuration of 100,000 routes must hold in less than 200 MB.
func TestLoad100kMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large configuration")
	}
	text := bigConfig(100000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cfg, err := LoadText("big.conf", text, nil)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	total := after.TotalAlloc - before.TotalAlloc
	runtime.GC()
	runtime.ReadMemStats(&after)
	live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("100k routes: %d MB allocated in total, %d MB live, %d MB obtained from the OS", total>>20, live>>20, after.Sys>>20)
	if after.Sys > 200<<20 {
		t.Errorf("parsing 100k routes needed %d MB from the OS (budget 200 MB)", after.Sys>>20)
	}
	if live > 100<<20 {
		t.Errorf("100k parsed routes hold %d MB (budget 100 MB)", live>>20)
	}
	runtime.KeepAlive(cfg)
}

// BenchmarkParseAnnounce is the API's `announce route` parse: the target
// is 200,000 commands per second (5 µs each) on one core.
func BenchmarkParseAnnounce(b *testing.B) {
	words := strings.Fields("route 10.0.0.0/24 next-hop 1.2.3.4 med 100 local-preference 200 as-path [ 65001 65002 ] community [ 65000:1 no-export ]")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rs, err := ParseAnnounce(words)
		if err != nil || len(rs) != 1 {
			b.Fatal(err)
		}
	}
}
