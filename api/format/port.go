package format

import "slices"

// portName is ExaBGP's Port.short() name of a TCP/UDP port (port_names.go),
// "" for a port it has no name for (printed as a number).
func portName(v uint64) string {
	if v > 0xFFFF {
		return ""
	}
	i, ok := slices.BinarySearch(portNums[:], uint16(v))
	if !ok {
		return ""
	}
	start := uint32(0)
	if i > 0 {
		start = portNameEnd[i-1]
	}
	return portNames[start:portNameEnd[i]]
}
