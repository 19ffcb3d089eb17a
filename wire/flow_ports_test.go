package wire

import "testing"

// TestPortTable: the table is consistent and PortNumber inverts PortName.
func TestPortTable(t *testing.T) {
	if len(portNums) != len(portNameEnd) || int(portNameEnd[len(portNameEnd)-1]) != len(portNames) {
		t.Fatal("port table out of step")
	}
	for i := 1; i < len(portNums); i++ {
		if portNums[i-1] >= portNums[i] {
			t.Fatalf("portNums not ascending at %d", i)
		}
	}
	for _, p := range []uint16{21, 80, 443, 3128, 8080, 8088} {
		name := PortName(p)
		if got, ok := PortNumber(name); !ok || got != p {
			t.Errorf("PortNumber(PortName(%d) = %q) = %d, %v", p, name, got, ok)
		}
	}
	if _, ok := PortNumber("no-such-service"); ok {
		t.Error("unknown name accepted")
	}
}
