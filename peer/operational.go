package peer

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"

	"exago/config"
	"exago/wire"
)

// OPERATIONAL messages (draft-ietf-idr-operational-message-00, ExaBGP's
// capability 185): configured `operational { }` blocks and the API's
// `announce operational …` queue messages that go out once the session is
// ESTABLISHED, before ROUTE-REFRESH and UPDATEs (ExaBGP's peer.py _main).
//
// As ExaBGP: the queue outlives sessions; the last ASM of each family is
// queued again at the start of every session; configured ASMs are only
// sent that way. Deliberate deviation: ExaBGP 5.0.13 breaks the session on
// every send (EXABGP-SURFACE.md §8 item 23); ExaGo sends them when the
// capability was configured and negotiated, and drops them otherwise.

// maxOperational bounds the queue of a peer that never comes up.
const maxOperational = 1024

// ErrOperational reports an `announce operational` command that cannot be
// parsed; the wrapped text names the problem.
var ErrOperational = errors.New("invalid operational command")

type opError string

func (e opError) Error() string { return ErrOperational.Error() + ": " + string(e) }
func (e opError) Unwrap() error { return ErrOperational }

// ParseOperational parses the words of `announce operational` from the
// message kind on (ExaBGP's configuration/operational/parser.py): `asm|adm
// afi A safi S advisory "text"`, `rpcq|apcq|lpcq afi A safi S sequence N`,
// `rpcp|apcp|lpcp afi A safi S sequence N counter N`, each optionally with
// `router-id IPv4`. The advisory may span several words (quotes removed).
func ParseOperational(words []string) (config.Operational, error) {
	var o config.Operational
	if len(words) == 0 {
		return o, opError("missing message kind")
	}
	o.Kind = strings.ToLower(words[0])
	var need []string
	switch o.Kind {
	case "asm", "adm":
		need = []string{"afi", "safi", "advisory"}
	case "rpcq", "apcq", "lpcq":
		need = []string{"afi", "safi", "sequence"}
	case "rpcp", "apcp", "lpcp":
		need = []string{"afi", "safi", "sequence", "counter"}
	default:
		return o, opError("unknown message kind " + strconv.Quote(words[0]))
	}
	seen := map[string]bool{}
	var afi wire.AFI
	var safi wire.SAFI
	for i := 1; i < len(words); i++ {
		key := strings.ToLower(words[i])
		if i+1 >= len(words) {
			return o, opError("missing value for " + strconv.Quote(key))
		}
		i++
		v := words[i]
		var ok bool
		switch key {
		case "afi":
			afi, ok = wire.ParseAFI(strings.ToLower(v))
		case "safi":
			safi, ok = wire.ParseSAFI(strings.ToLower(v))
		case "sequence":
			n, err := strconv.ParseUint(v, 10, 32)
			o.Sequence, ok = uint32(n), err == nil
		case "counter":
			n, err := strconv.ParseUint(v, 10, 64)
			o.Counter, ok = n, err == nil
		case "router-id":
			a, err := netip.ParseAddr(v)
			o.RouterID, ok = a, err == nil && a.Is4()
		case "advisory":
			text, next := advisoryText(words, i)
			o.Advisory, i, ok = text, next, len(text) <= wire.MaxAdvisory+2
		default:
			return o, opError("unknown argument " + strconv.Quote(key))
		}
		if !ok {
			return o, opError("invalid value for " + key + ": " + strconv.Quote(v))
		}
		seen[key] = true
	}
	for _, k := range need {
		if !seen[k] {
			return o, opError("missing argument " + k)
		}
	}
	o.Family = wire.Family{AFI: afi, SAFI: safi}
	return o, nil
}

// advisoryText reads the advisory starting at words[i]: one word, or the
// words up to the one closing a double quote. It returns the text without
// its quotes and the index of its last word.
func advisoryText(words []string, i int) (string, int) {
	w := words[i]
	if !strings.HasPrefix(w, `"`) {
		return w, i
	}
	j := i
	for j < len(words)-1 && !(strings.HasSuffix(words[j], `"`) && (j > i || len(w) > 1)) {
		j++
	}
	s := strings.Join(words[i:j+1], " ")
	s = strings.TrimPrefix(s, `"`)
	s = strings.TrimSuffix(s, `"`)
	return s, j
}

// Operational queues the OPERATIONAL message o (`announce operational`).
// Its family must be one of the neighbor's (ErrFamily, as ExaBGP's
// inject_operational logs). An ASM also becomes the family's advisory
// re-sent on every new session. Messages wait for an ESTABLISHED session
// with the capability negotiated.
func (p *Peer) Operational(o *config.Operational) error {
	if !p.familyOK(o.Family) {
		return ErrFamily
	}
	m, err := operationalMessage(o)
	if err != nil {
		return err
	}
	if m.Type == wire.OpASM {
		p.setASM(m)
	}
	p.queueOperational(m)
	if p.state == StateEstablished {
		p.wantWrite(p.opts.Now())
	}
	return nil
}

// loadOperational takes the configured messages: ASMs become the
// per-family advisories sent at the start of each session, the others are
// queued (ExaBGP's _init_neighbor).
func (p *Peer) loadOperational() {
	for i := range p.n.Operational {
		o := &p.n.Operational[i]
		m, err := operationalMessage(o)
		if err != nil {
			p.log.Error().Err(err).Msg("operational message not loaded")
			continue
		}
		if m.Type == wire.OpASM {
			p.setASM(m)
			continue
		}
		p.queueOperational(m)
	}
}

func operationalMessage(o *config.Operational) (wire.Operational, error) {
	t, ok := wire.OperationalType(o.Kind)
	if !ok {
		return wire.Operational{}, opError("unknown message kind " + strconv.Quote(o.Kind))
	}
	return wire.Operational{Type: t, Family: o.Family, RouterID: o.RouterID, Sequence: o.Sequence,
		Counter: uint32(o.Counter), Advisory: []byte(o.Advisory)}, nil
}

func (p *Peer) setASM(m wire.Operational) {
	for i := range p.asm {
		if p.asm[i].Family == m.Family {
			p.asm[i] = m
			return
		}
	}
	p.asm = append(p.asm, m)
}

func (p *Peer) queueOperational(m wire.Operational) {
	if len(p.ops) >= maxOperational {
		p.log.Warn().Msg("too many operational messages queued, dropping the oldest")
		p.ops = p.ops[1:]
	}
	p.ops = append(p.ops, m)
}

// requeueASM puts the last ASM of each family in front of the queue when
// a session comes up (ExaBGP appendlefts them one by one, so the last
// family comes first).
func (p *Peer) requeueASM() {
	if len(p.asm) == 0 {
		return
	}
	q := make([]wire.Operational, 0, len(p.asm)+len(p.ops))
	for i := len(p.asm) - 1; i >= 0; i-- {
		if hasFamily(p.n.Families, p.asm[i].Family) {
			q = append(q, p.asm[i])
		}
	}
	p.ops = append(q, p.ops...)
}

// operationalOK reports whether OPERATIONAL messages may be sent: the
// capability configured and negotiated.
func (p *Peer) operationalOK() bool {
	return p.n.Capability.Operational && p.s.neg != nil && p.s.neg.Operational
}

// appendOperational writes the queued OPERATIONAL messages, or drops them
// when the session cannot carry them (ExaBGP pops them unsent when the
// capability is off). Queries and counters without a router-id carry our
// BGP identifier; a zero sequence is numbered per router-id.
func (p *Peer) appendOperational(b []byte) []byte {
	if len(p.ops) == 0 {
		return b
	}
	if !p.operationalOK() {
		p.log.Debug().Int("messages", len(p.ops)).Msg("operational capability not negotiated, messages dropped")
		p.ops = p.ops[:0]
		return b
	}
	for i := range p.ops {
		m := &p.ops[i]
		if m.Category() == "query" || m.Category() == "counter" {
			if !m.RouterID.IsValid() {
				m.RouterID = p.routerID()
			}
			if m.Sequence == 0 {
				if p.opSeq == nil {
					p.opSeq = map[netip.Addr]uint32{}
				}
				p.opSeq[m.RouterID]++
				m.Sequence = p.opSeq[m.RouterID]
			}
		}
		b = p.sent(m.Append(b), len(b))
	}
	p.ops = p.ops[:0]
	return b
}
