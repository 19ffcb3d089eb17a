package format

import "testing"

// TestPortName: ExaBGP 5.0.13's Port(v).short() for these ports.
func TestPortName(t *testing.T) {
	for v, want := range map[uint64]string{0: "", 1: "tcpmux", 2: "compressnet", 3: "compressnet", 7: "echo",
		21: "ftp", 22: "ssh", 80: "http", 443: "https", 1024: "", 3128: "ndl-aas", 8080: "http-alt",
		8088: "radan-http", 48556: "com-bardac-dw", 65535: "", 1 << 20: ""} {
		if got := portName(v); got != want {
			t.Errorf("port %d: %q, want %q", v, got, want)
		}
	}
}
