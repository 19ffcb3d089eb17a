package api

import (
	"fmt"
	"strconv"
	"strings"

	"exago/config"
	"exago/wire"
)

// This file renders `show neighbor` (ExaBGP's bgp/neighbor.py
// NeighborTemplate, fed by reactor/peer.py cli_data).

// Tri is a yes/no that may be unknown (Python's None).
type Tri int8

const (
	TriUnknown Tri = iota
	TriFalse
	TriTrue
)

// TriOf converts a bool.
func TriOf(b bool) Tri {
	if b {
		return TriTrue
	}
	return TriFalse
}

// CapabilityData is one capability row: configured locally, announced by
// the peer.
type CapabilityData struct {
	Name        string
	Local, Peer Tri
}

// FamilyData is one family row: configured, negotiated (unknown before
// the peer's OPEN), add-path send and receive.
type FamilyData struct {
	Family                 wire.Family
	Local, Common          Tri
	AddPathSend, AddPathRx Tri
}

// MessageCount is one message statistic row.
type MessageCount struct {
	Name           string // open, notification, keepalive, update, refresh, total
	Sent, Received uint64
}

// NeighborData is what `show neighbor` prints about one peer (ExaBGP's
// Peer.cli_data). The daemon fills it in [Daemon.Describe].
type NeighborData struct {
	Down, Duration  int64 // seconds since the last reset / since established (0 = not up)
	LocalAddress    string
	PeerAddress     string
	LocalAS, PeerAS uint32
	LocalID, PeerID string // PeerID "" before the peer's OPEN
	LocalHold       int
	PeerHold        int // -1 before the peer's OPEN
	State           string
	Capabilities    []CapabilityData // asn4, route-refresh, multi-session, operational, add-path, extended-message, graceful-restart
	Families        []FamilyData
	Messages        []MessageCount
}

// SummaryHeader is the first line of `show neighbor summary`.
const SummaryHeader = "Peer            AS        up/down state       |     #sent     #recvd"

// Summary is one `show neighbor summary` row.
func (d *NeighborData) Summary() string {
	dur := "down"
	if d.Duration != 0 {
		dur = timedelta(d.Duration)
	}
	var sent, rcvd uint64
	for _, m := range d.Messages {
		if m.Name == "update" {
			sent, rcvd = m.Sent, m.Received
		}
	}
	return fmt.Sprintf("%-15s %-7d %9s %-12s %10d %10d", d.PeerAddress, d.PeerAS, dur, strings.ToLower(d.State), sent, rcvd)
}

// timedelta formats seconds as Python's str(timedelta(seconds=n)).
func timedelta(n int64) string {
	days := n / 86400
	n %= 86400
	s := fmt.Sprintf("%d:%02d:%02d", n/3600, n%3600/60, n%60)
	switch {
	case days == 1:
		return "1 day, " + s
	case days != 0:
		return strconv.FormatInt(days, 10) + " days, " + s
	}
	return s
}

func en(t Tri) string {
	switch t {
	case TriTrue:
		return "enabled"
	case TriFalse:
		return "disabled"
	}
	return "n/a"
}

func addPathName(send, recv Tri) string {
	switch {
	case send == TriTrue && recv == TriTrue:
		return "send/receive"
	case send == TriTrue:
		return "send"
	case recv == TriTrue:
		return "receive"
	}
	return "disabled"
}

func pr(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

// Extensive is the `show neighbor extensive` block (lines without the
// trailing newline).
func (d *NeighborData) Extensive() []string {
	kv := func(a, b, c, e string) string { return fmt.Sprintf("   %-20s %15s %15s %-15s", a, b, c, e) }
	kvr := func(a, b, c, e string) string { return fmt.Sprintf("   %-20s %15s %15s %15s", a, b, c, e) }
	lines := []string{"Neighbor " + d.PeerAddress, "", "    Session                       Local",
		kv("local", d.LocalAddress, "", ""), kv("state", d.State, "", "")}
	if d.Duration != 0 {
		lines = append(lines, kv("up for", timedelta(d.Duration), "", ""))
	} else {
		lines = append(lines, kv("down for", timedelta(d.Down), "", ""))
	}
	peerHold := ""
	if d.PeerHold >= 0 {
		peerHold = strconv.Itoa(d.PeerHold)
	}
	lines = append(lines, "", "    Setup                         Local          Remote",
		kv("AS", strconv.FormatUint(uint64(d.LocalAS), 10), strconv.FormatUint(uint64(d.PeerAS), 10), ""),
		kv("ID", d.LocalID, pr(d.PeerID), ""),
		kv("hold-time", strconv.Itoa(d.LocalHold), pr(peerHold), ""),
		"", "    Capability                    Local          Remote")
	for _, c := range d.Capabilities {
		lines = append(lines, kv(c.Name+":", en(c.Local), en(c.Peer), ""))
	}
	lines = append(lines, "", "    Families                      Local          Remote        Add-Path")
	for _, f := range d.Families {
		// ExaBGP unpacks (send, receive) as (receive, send) here.
		lines = append(lines, kv(f.Family.String()+":", en(f.Local), en(f.Common), addPathName(f.AddPathRx, f.AddPathSend)))
	}
	lines = append(lines, "", "    Message Statistic              Sent        Received")
	for _, m := range d.Messages {
		lines = append(lines, kvr(m.Name+":", strconv.FormatUint(m.Sent, 10), strconv.FormatUint(m.Received, 10), ""))
	}
	return append(lines, "")
}

// appendJSON appends ExaBGP's as_dict of d as json.dumps writes it. It
// writes the object top to bottom in ExaBGP's key order, which is why it
// is one long function.
func (d *NeighborData) appendJSON(b []byte) []byte {
	state, dur := "down", d.Down
	if d.Duration != 0 {
		state, dur = "up", d.Duration
	}
	b = append(b, `{"state": "`...)
	b = append(b, state...)
	b = append(b, `", "duration": `...)
	b = strconv.AppendInt(b, dur, 10)
	b = append(b, `, "fsm": `...)
	b = strconv.AppendQuote(b, d.State)
	side := func(b []byte, local bool) []byte {
		b = append(b, `{"capabilities": {`...)
		for i, c := range d.Capabilities {
			b = sep(b, i)
			b = strconv.AppendQuote(b, c.Name)
			b = append(b, ": "...)
			b = appendTri(b, pick(local, c.Local, c.Peer))
		}
		b = append(b, `}, "families": {`...)
		for i, f := range d.Families {
			b = sep(b, i)
			b = strconv.AppendQuote(b, f.Family.String())
			b = append(b, ": "...)
			b = appendTri(b, pick(local, f.Local, f.Common))
		}
		b = append(b, `}, "add-path": {`...)
		for i, f := range d.Families {
			b = sep(b, i)
			b = strconv.AppendQuote(b, f.Family.String())
			b = append(b, ": "...)
			b = appendTri(b, pick(local, f.AddPathSend, f.AddPathRx))
		}
		b = append(b, '}')
		return b
	}
	b = append(b, `, "local": `...)
	b = side(b, true)
	b = append(b, `, "address": `...)
	b = strconv.AppendQuote(b, d.LocalAddress)
	b = append(b, `, "as": `...)
	b = strconv.AppendUint(b, uint64(d.LocalAS), 10)
	b = append(b, `, "id": `...)
	b = strconv.AppendQuote(b, d.LocalID)
	b = append(b, `, "hold": `...)
	b = strconv.AppendInt(b, int64(d.LocalHold), 10)
	b = append(b, `}, "peer": `...)
	b = side(b, false)
	b = append(b, `, "address": `...)
	b = strconv.AppendQuote(b, d.PeerAddress)
	b = append(b, `, "as": `...)
	b = strconv.AppendUint(b, uint64(d.PeerAS), 10)
	b = append(b, `, "id": `...)
	if d.PeerID == "" {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendQuote(b, d.PeerID)
	}
	b = append(b, `, "hold": `...)
	if d.PeerHold < 0 {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(d.PeerHold), 10)
	}
	b = append(b, `}, "messages": {"sent": {`...)
	for i, m := range d.Messages {
		b = sep(b, i)
		b = strconv.AppendQuote(b, m.Name)
		b = append(b, ": "...)
		b = strconv.AppendUint(b, m.Sent, 10)
	}
	b = append(b, `}, "received": {`...)
	for i, m := range d.Messages {
		b = sep(b, i)
		b = strconv.AppendQuote(b, m.Name)
		b = append(b, ": "...)
		b = strconv.AppendUint(b, m.Received, 10)
	}
	b = append(b, `}}, "capabilities": [`...)
	n := 0
	for _, c := range d.Capabilities {
		if c.Peer == TriTrue { // ExaBGP tests `locals and pc`: the builtin is truthy
			b = sep(b, n)
			b = strconv.AppendQuote(b, c.Name)
			n++
		}
	}
	b = append(b, `], "families": [`...)
	n = 0
	for _, f := range d.Families {
		if f.Local == TriTrue && f.Common == TriTrue {
			b = sep(b, n)
			b = strconv.AppendQuote(b, f.Family.String())
			n++
		}
	}
	b = append(b, `], "add-path": {`...)
	for i, f := range d.Families {
		b = sep(b, i)
		b = strconv.AppendQuote(b, f.Family.String())
		b = append(b, ": "...)
		b = strconv.AppendQuote(b, addPathName(f.AddPathSend, f.AddPathRx))
	}
	return append(b, "}}"...)
}

func pick(local bool, l, p Tri) Tri {
	if local {
		return l
	}
	return p
}

func sep(b []byte, i int) []byte {
	if i > 0 {
		return append(b, ", "...)
	}
	return b
}

func appendTri(b []byte, t Tri) []byte {
	switch t {
	case TriTrue:
		return append(b, "true"...)
	case TriFalse:
		return append(b, "false"...)
	}
	return append(b, "null"...)
}

// showNeighborLines writes the answer to a `show neighbor` request.
func (s *Server) showNeighborLines(p *process, req ShowNeighbor) {
	peers := s.daemon.Peers()
	switch {
	case req.JSON:
		b := append(s.out[:0], '[')
		for i, peer := range peers {
			d := s.daemon.Describe(peer.Neighbor)
			b = sep(b, i)
			b = d.appendJSON(b)
		}
		b = append(b, ']')
		s.out = b
		s.send(p, b)
	case req.Summary:
		s.sendString(p, SummaryHeader)
		for _, peer := range peers {
			d := s.daemon.Describe(peer.Neighbor)
			if req.Filter != "" && req.Filter != d.PeerAddress {
				continue
			}
			s.sendString(p, d.Summary())
		}
	case req.Extensive:
		for _, peer := range peers {
			if req.Filter != "" && !strings.Contains(peer.Neighbor.Name, req.Filter) {
				continue
			}
			d := s.daemon.Describe(peer.Neighbor)
			for _, l := range d.Extensive() {
				s.sendString(p, l)
			}
		}
	case req.Configuration:
		for _, peer := range peers {
			if req.Filter != "" && !strings.Contains(peer.Neighbor.Name, req.Filter) {
				continue
			}
			text := strings.TrimSuffix(config.NeighborText(peer.Neighbor), "\n")
			for _, l := range strings.Split(strings.ReplaceAll(text, "\t", "  "), "\n") {
				s.sendString(p, l)
			}
		}
	}
}
