// Command fakedaemon stands in for exabgp in the harness's own tests. It is
// started as `fakedaemon -d -p CONF`; CONF holds "msg PATH" (a .msg script)
// and "mode good|bad|noexit". It connects to 127.0.0.1:$exabgp_tcp_port,
// sends an OPEN, waits for the peer's OPEN, then sends every raw rule of the
// script in order ("bad" first sends an UPDATE withdrawing 10.10.10.0/24, which no
// script expects), and exits when the peer closes ("noexit" then waits forever).
package main

import (
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"exago/qa/testpeer"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "fakedaemon:", err)
		os.Exit(1)
	}
}

func run() error {
	conf, err := os.ReadFile(os.Args[len(os.Args)-1])
	if err != nil {
		return err
	}
	settings := map[string]string{}
	for _, line := range strings.Split(string(conf), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			settings[k] = v
		}
	}
	script, err := testpeer.ReadScript(settings["msg"])
	if err != nil {
		return err
	}
	c, err := net.Dial("tcp", "127.0.0.1:"+os.Getenv("exabgp_tcp_port"))
	if err != nil {
		return err
	}
	open := mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001D0104FFFD00B40A00000200")
	if _, err := c.Write(open); err != nil {
		return err
	}
	hdr := make([]byte, 19)
	if _, err := io.ReadFull(c, hdr); err != nil { // the peer's OPEN (no options: 10-byte body)
		return err
	}
	io.ReadFull(c, make([]byte, int(hdr[16])<<8|int(hdr[17])-19))
	if settings["mode"] == "bad" {
		c.Write(mustHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001B020004180A0A0A0000"))
	}
	for _, set := range script.Sets {
		for _, r := range set {
			h := r.Hex
			if !r.Full {
				h = strings.Repeat("F", 32) + h
			}
			c.Write(mustHex(h))
		}
	}
	io.Copy(io.Discard, c) // until the peer closes
	if settings["mode"] == "noexit" {
		select {}
	}
	return nil
}

func mustHex(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic(err)
	}
	return b
}
