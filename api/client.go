package api

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// This file is the client side of the CLI channel: `exabgp cli`
// (ExaBGP's application/cli.py).

// abbreviation is one row of ExaBGP's nickname table: token (or any
// prefix of name) becomes name when match accepts the position and the
// words expanded so far.
type abbreviation struct {
	nick, name string
	match      func(pos int, pre []string) bool
}

func lastIn(pre []string, words ...string) bool {
	last := pre[len(pre)-1]
	for _, w := range words {
		if last == w {
			return true
		}
	}
	return false
}

func first(pos int, _ []string) bool { return pos == 0 }
func always(int, []string) bool      { return true }
func never(int, []string) bool       { return false }

// abbreviations is ExaBGP 5.0's table, in its order, quirks included:
// `r`/`rr` never expand (ExaBGP compares a list with a string), the
// IPv4/IPv6 conditions reduce to "first word", `v` gives "vps" and `o`
// after announce gives "operation".
func abbreviations() []abbreviation {
	return []abbreviation{
		{"a", "announce", first},
		{"a", "attributes", func(_ int, pre []string) bool { return lastIn(pre, "announce", "withdraw") }},
		{"c", "configuration", always},
		{"e", "eor", func(_ int, pre []string) bool { return lastIn(pre, "announce") }},
		{"e", "extensive", func(_ int, pre []string) bool { return contains(pre, "show") }},
		{"f", "flow", func(_ int, pre []string) bool { return lastIn(pre, "announce", "withdraw") }},
		{"f", "flush", first},
		{"h", "help", first},
		{"i", "in", func(_ int, pre []string) bool { return lastIn(pre, "adj-rib") }},
		{"n", "neighbor", func(pos int, pre []string) bool { return pos == 0 || lastIn(pre, "show") }},
		{"r", "route", never},
		{"rr", "route-refresh", never},
		{"s", "show", first},
		{"t", "teardown", first},
		{"s", "summary", func(pos int, _ []string) bool { return pos != 0 }},
		{"v", "vps", func(_ int, pre []string) bool { return lastIn(pre, "announce", "withdraw") }},
		{"o", "operation", func(_ int, pre []string) bool { return lastIn(pre, "announce") }},
		{"o", "out", func(_ int, pre []string) bool { return lastIn(pre, "adj-rib") }},
		{"a", "adj-rib", func(_ int, pre []string) bool { return lastIn(pre, "clear", "flush", "show") }},
		{"w", "withdraw", first},
		{"w", "watchdog", func(_ int, pre []string) bool { return lastIn(pre, "announce", "withdraw") }},
		{"neighbour", "neighbor", always},
		{"neigbour", "neighbor", always},
		{"neigbor", "neighbor", always},
	}
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

// Expand applies ExaBGP's CLI abbreviations to the command words.
func Expand(words []string) string {
	table := abbreviations()
	renamed := []string{""}
	for pos, tok := range words {
		out := tok
		for _, a := range table {
			if (tok == a.nick || strings.HasPrefix(a.name, tok)) && a.match(pos, renamed) {
				out = a.name
				break
			}
		}
		renamed = append(renamed, out)
	}
	return strings.TrimSpace(strings.Join(renamed, " "))
}

// CLI timeouts (application/cli.py).
const (
	cliClearTimeout = 1500 * time.Millisecond
	cliReplyTimeout = 5 * time.Second
)

// Client talks to a running daemon through its FIFOs.
type Client struct {
	In, Out string    // paths of <name>.in (commands) and <name>.out (answers)
	Stdout  io.Writer // answers
	Stderr  io.Writer // warnings and errors
	reader  int
	buf     []byte
}

// Open opens the answer FIFO and drains stale answers (up to 1.5 s).
func (c *Client) Open() error {
	fd, err := unix.Open(c.Out, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("could not read answer from ExaBGP (%v)", err)
	}
	c.reader = fd
	deadline := time.Now().Add(cliClearTimeout)
	var tmp [4096]byte
	for time.Now().Before(deadline) {
		n, err := unix.Read(fd, tmp[:])
		if n <= 0 || err != nil {
			break
		}
	}
	return nil
}

// Close closes the answer FIFO.
func (c *Client) Close() { unix.Close(c.reader) }

// Send writes one command line and copies the answer to Stdout until
// `done`, `error` or `shutdown`, or 5 s without data. It reports whether
// the daemon answered.
func (c *Client) Send(command string) error {
	w, err := unix.Open(c.In, unix.O_WRONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err == unix.ENXIO {
		return fmt.Errorf("ExaBGP is not running / using the configured named pipe")
	}
	if err != nil {
		return fmt.Errorf("could not communicate with ExaBGP (%v)", err)
	}
	werr := writeAll(w, []byte(command+"\n"))
	unix.Close(w)
	if werr != nil {
		return fmt.Errorf("could not send command to ExaBGP (%v)", werr)
	}
	if command == "reset" {
		return nil
	}
	return c.answer()
}

// answer copies answer lines until the end marker.
func (c *Client) answer() error {
	var tmp [4096]byte
	last := time.Now()
	for {
		fds := []unix.PollFd{{Fd: int32(c.reader), Events: unix.POLLIN}}
		unix.Poll(fds, 10)
		n, err := unix.Read(c.reader, tmp[:])
		if n <= 0 || err != nil {
			if time.Since(last) > cliReplyTimeout {
				fmt.Fprint(c.Stderr, "\nwarning: no end of command message received\n"+
					"warning: normal if exabgp.api.ack is set to false otherwise some data may get stuck on the pipe\n"+
					"warning: otherwise it may cause exabgp reactor to block\n")
				return nil
			}
			if n == 0 {
				// no writer connected: the FIFO reads EOF at once
				time.Sleep(10 * time.Millisecond)
			}
			continue
		}
		last = time.Now()
		c.buf = append(c.buf, tmp[:n]...)
		for {
			i := bytes.IndexByte(c.buf, '\n')
			if i < 0 {
				break
			}
			line := string(c.buf[:i])
			c.buf = c.buf[i+1:]
			switch line {
			case "done", `{ "answer": "done", "message": "command completed" }`:
				return nil
			case "shutdown":
				fmt.Fprint(c.Stderr, "ExaBGP is shutting down, command aborted\n")
				return nil
			case "error", `{ "answer": "error", "message": "this command does not support json output" }`:
				fmt.Fprint(c.Stderr, "ExaBGP returns an error (see ExaBGP's logs for more information)\n"+
					"use help for a list of available commands\n")
				return nil
			}
			fmt.Fprintln(c.Stdout, line)
		}
	}
}
