package testpeer

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Options are the option: lines of a .msg script.
type Options struct {
	ASN               uint32 // option:asn:N, 0 when absent: echo the daemon's ASN
	TCPConnections    int    // option:tcp_connections:N, 0 when absent (the runner uses 1)
	IPv6              bool   // option:bind:ipv6: listen on ::1
	InspectOpen       bool   // option:open:inspect-open-message
	UnknownCapability bool   // option:open:send-unknown-capability
	UnknownMessage    bool   // option:open:send-unknown-message
	DefaultRoute      bool   // option:update:send-default-route
}

// Connections is the number of sessions the daemon is expected to open
// (exabgp_tcp_connections): the option's value, or 1.
func (o Options) Connections() int {
	if o.TCPConnections > 0 {
		return o.TCPConnections
	}
	return 1
}

// Kind is what a rule asks for.
type Kind uint8

const (
	// KindRaw: the daemon must send this message.
	KindRaw Kind = iota
	// KindNotification: the peer sends a Cease carrying Text.
	KindNotification
	// KindSignal: the daemon is sent the signal named by Text.
	KindSignal
)

// Rule is one SEQ:kind:content line.
type Rule struct {
	Kind Kind
	// Hex is the expected message for KindRaw, upper-case hex without
	// separators; with the 16-byte marker when Full is true.
	Hex  string
	Full bool
	// Text is the notification text (lower-cased, as qa/sbin/bgp sends it)
	// or the signal name (upper-case).
	Text string
	// Group is the rule's sequence as written ("1", "A1", "B2"), Line its
	// line number in the script.
	Group string
	Line  int
}

// String renders the rule the way it is written in a .msg file.
func (r Rule) String() string {
	switch r.Kind {
	case KindNotification:
		return "notification:" + r.Text
	case KindSignal:
		return "signal:" + r.Text
	}
	return "raw:" + ruleHex(r.Hex, r.Full)
}

// ruleHex splits a rule's hex as marker:length:type:body.
func ruleHex(h string, full bool) string {
	if full && len(h) >= 38 {
		return h[:32] + ":" + h[32:36] + ":" + h[36:38] + ":" + h[38:]
	}
	if !full && len(h) >= 6 {
		return h[:4] + ":" + h[4:6] + ":" + h[6:]
	}
	return h
}

// Script is a parsed .msg file: its options and its rules grouped into the
// ordered list of sets the daemon must go through.
type Script struct {
	Name    string
	Options Options
	Sets    [][]Rule
}

// ReadScript parses the .msg file at path.
func ReadScript(path string) (*Script, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseScript(f, path)
}

// groupKey orders sets: by connection letter, then by number.
type groupKey struct {
	conn byte
	seq  int
}

// ParseScript parses a .msg script (EXABGP-SURFACE.md §6.2). name is used
// in error messages. Lines holding a '#' anywhere are ignored, as are blank
// lines. Errors name the line.
func ParseScript(r io.Reader, name string) (*Script, error) {
	s := &Script{Name: name}
	groups := map[groupKey][]Rule{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.Contains(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "option:") {
			if err := s.Options.parse(line); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, n, err)
			}
			continue
		}
		key, rule, err := parseRule(line, n)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		groups[key] = append(groups[key], rule)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	keys := make([]groupKey, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].conn != keys[j].conn {
			return keys[i].conn < keys[j].conn
		}
		return keys[i].seq < keys[j].seq
	})
	for _, k := range keys {
		s.Sets = append(s.Sets, groups[k])
	}
	return s, nil
}

func (o *Options) parse(line string) error {
	switch line {
	case "option:bind:ipv6":
		o.IPv6 = true
	case "option:open:send-unknown-capability":
		o.UnknownCapability = true
	case "option:open:inspect-open-message":
		o.InspectOpen = true
	case "option:update:send-default-route":
		o.DefaultRoute = true
	case "option:open:send-unknown-message":
		o.UnknownMessage = true
	default:
		return o.parseValued(line)
	}
	return nil
}

func (o *Options) parseValued(line string) error {
	val := line[strings.LastIndexByte(line, ':')+1:]
	switch {
	case strings.HasPrefix(line, "option:asn:"):
		v, err := strconv.ParseUint(val, 10, 16)
		if err != nil {
			return fmt.Errorf("option:asn: want an ASN from 0 to 65535, got %q", val)
		}
		o.ASN = uint32(v)
	case strings.HasPrefix(line, "option:tcp_connections:"):
		v, err := strconv.Atoi(val)
		if err != nil || v < 1 {
			return fmt.Errorf("option:tcp_connections: want a positive number, got %q", val)
		}
		o.TCPConnections = v
	case strings.HasPrefix(line, "option:SIGUSR1:"):
		// Parsed but inert in qa/sbin/bgp (its thread is never started).
	default:
		return fmt.Errorf("unknown option %q", line)
	}
	return nil
}

// parseRule parses SEQ:kind:content.
//
// Like qa/sbin/bgp, a line without "notification:" has its spaces removed
// and is lower-cased before it is split, so its connection letter is
// lower-case, while a bare number means connection 'A' (upper-case). Sets
// are sorted by that byte, then by number: "1" < "B1:notification" <
// "a1:raw" < "b1:raw". Scripts that mix the styles get the same order as
// under ExaBGP's harness.
func parseRule(line string, n int) (groupKey, Rule, error) {
	if !strings.Contains(line, "notification:") {
		line = strings.ToLower(strings.ReplaceAll(line, " ", ""))
	}
	parts := strings.SplitN(line, ":", 3)
	if len(parts) != 3 {
		return groupKey{}, Rule{}, fmt.Errorf("invalid rule %q: want SEQ:kind:content", line)
	}
	key, err := parseGroup(parts[0])
	if err != nil {
		return groupKey{}, Rule{}, err
	}
	rule := Rule{Group: parts[0], Line: n}
	kind := strings.ToLower(parts[1])
	content := parts[2]
	switch kind {
	case "raw":
		h := strings.ToUpper(strings.NewReplacer(":", "", "\t", "").Replace(content))
		if _, err := hex.DecodeString(h); err != nil || h == "" {
			return groupKey{}, Rule{}, fmt.Errorf("raw rule: invalid hex %q", content)
		}
		rule.Kind, rule.Hex = KindRaw, h
		rule.Full = strings.HasPrefix(h, strings.Repeat("F", 32))
	case "notification":
		// qa/sbin/bgp lower-cases the rule and sends what follows the last ':'.
		text := strings.ToLower(content)
		rule.Kind, rule.Text = KindNotification, text[strings.LastIndexByte(text, ':')+1:]
	case "signal":
		name := strings.ToUpper(strings.ReplaceAll(content, " ", ""))
		rule.Kind, rule.Text = KindSignal, name[strings.LastIndexByte(name, ':')+1:]
	default:
		return groupKey{}, Rule{}, fmt.Errorf("unknown rule kind %q (want raw, notification or signal)", parts[1])
	}
	return key, rule, nil
}

// parseGroup parses "3" (connection A) or "B2".
func parseGroup(g string) (groupKey, error) {
	g = strings.TrimSpace(g)
	if g == "" {
		return groupKey{}, fmt.Errorf("empty sequence before ':'")
	}
	conn := byte('A')
	digits := g
	if c := g[0]; (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') {
		conn, digits = c, g[1:]
	}
	seq, err := strconv.Atoi(digits)
	if err != nil {
		return groupKey{}, fmt.Errorf("invalid sequence %q: want N or a letter and N (A1)", g)
	}
	return groupKey{conn: conn, seq: seq}, nil
}
