package format

import "exago/wire"

// portName is ExaBGP's Port.short() name of a TCP/UDP port (the table is
// wire's, shared with the configuration parser), "" for a port it has no
// name for (printed as a number).
func portName(v uint64) string {
	if v > 0xFFFF {
		return ""
	}
	return wire.PortName(uint16(v))
}
