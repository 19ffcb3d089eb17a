package config

import (
	"encoding/base64"
	"net/netip"
	"slices"
	"sort"
	"strconv"

	"exago/wire"
)

// finishNeighbor turns a merged scope into a validated Neighbor
// (configuration/neighbor/__init__.py post()).
//
// Errors found here point at the section's closing brace, as ExaBGP
// reports the problems its post() finds on the `}` line; the neighbor
// itself (Neighbor.Pos, "first at" of a duplicate) is where it starts.
func (l *loader) finishNeighbor(n *Node, s *scope) (*Neighbor, error) {
	at, end := n.Pos, sectionEnd(n)
	var missing []string
	for _, k := range []string{"local-as", "peer-as"} {
		if _, ok := s.vals[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		msg := "incomplete neighbor, missing " + missing[0]
		if len(missing) == 2 {
			msg += ", " + missing[1]
		}
		return nil, errAt(end, msg+" (write auto to accept any)")
	}
	nb := &Neighbor{
		HoldTime: 180, GroupUpdates: true, AutoFlush: true, AdjRIBIn: true, AdjRIBOut: true,
		MD5Base64: "false", Pos: at,
		Capability: Capabilities{ASN4: true, ExtendedMessage: true, GracefulRestart: -1},
	}
	nb.PeerAddress = s.vals["peer-address"].(netip.Prefix)
	nb.LocalAS = s.vals["local-as"].(ASN)
	nb.PeerAS = s.vals["peer-as"].(ASN)
	str := func(k string) string { v, _ := s.vals[k].(string); return v }
	num := func(k string) int { v, _ := s.vals[k].(int); return v }
	flag := func(k string, def bool) bool {
		if v, ok := s.vals[k].(bool); ok {
			return v
		}
		return def
	}
	nb.Description = str("description")
	nb.HostName, nb.DomainName = str("host-name"), str("domain-name")
	nb.SourceIface, nb.MD5Password = str("source-interface"), str("md5-password")
	if v, ok := s.vals["md5-base64"].(string); ok {
		nb.MD5Base64 = v
	}
	if v, ok := s.vals["hold-time"].(int); ok {
		nb.HoldTime = uint16(v)
	}
	nb.RateLimit, nb.Listen, nb.Connect = num("rate-limit"), uint16(num("listen")), uint16(num("connect"))
	nb.OutgoingTTL, nb.IncomingTTL = num("outgoing-ttl"), num("incoming-ttl")
	nb.Passive = flag("passive", false)
	nb.GroupUpdates, nb.AutoFlush = flag("group-updates", true), flag("auto-flush", true)
	nb.AdjRIBIn, nb.AdjRIBOut, nb.ManualEOR = flag("adj-rib-in", true), flag("adj-rib-out", true), flag("manual-eor", false)
	if v, ok := s.vals["router-id"].(netip.Addr); ok {
		nb.RouterID = v
	}
	switch v := s.vals["local-address"].(type) {
	case netip.Addr:
		nb.LocalAddress = v
	case autoValue, nil:
		nb.LocalAuto = true
	}
	if v, ok := s.vals["md5-ip"].(netip.Addr); ok {
		nb.MD5IP, nb.MD5IPSet = v, true
	} else {
		nb.MD5IP = nb.LocalAddress
	}
	peerIs4 := nb.PeerAddress.Addr().Is4()
	if !nb.RouterID.IsValid() && peerIs4 && !nb.LocalAuto && nb.LocalAddress.Is4() {
		nb.RouterID = nb.LocalAddress
	}
	if err := l.neighborMissing(nb, end); err != nil {
		return nil, err
	}
	if !nb.LocalAuto && nb.LocalAddress.Is4() != peerIs4 {
		return nil, errAt(end, "local-address and peer-address must be of the same family")
	}
	isRange := nb.PeerAddress.Bits() < nb.PeerAddress.Addr().BitLen()
	if isRange && !(nb.Passive || l.env.BGP.Passive) {
		return nil, errAt(end, "can only use ip ranges for the peer address with passive neighbors")
	}
	if err := l.neighborCapabilities(nb, s, end); err != nil {
		return nil, err
	}
	nb.APIs = s.apis
	nb.Name = neighborName(nb)
	key := nb.Name
	if nb.Listen != 0 {
		key = "peer-ip " + nb.PeerAddress.String() + " listen " + strconv.Itoa(int(nb.Listen))
	}
	if prev, dup := l.index[key]; dup {
		return nil, errAt(end, "duplicate peer definition "+nb.PeerAddress.Addr().String()+" (first at "+prev.String()+")")
	}
	l.index[key] = at
	if err := checkMD5(nb, end); err != nil {
		return nil, err
	}
	fams := map[wire.Family]bool{}
	for _, f := range nb.Families {
		fams[f] = true
	}
	for _, r := range s.routes {
		if r.NLRI == nil {
			continue
		}
		f := r.NLRI.Family()
		if !fams[f] && f != wire.IPv4Unicast {
			return nil, errAt(r.Pos, "route of family "+f.String()+" but the neighbor does not announce that family (add it to the family block)")
		}
	}
	nb.Routes = s.routes
	copied := false
	for i := range nb.Routes {
		if !nb.Routes[i].NextHopSelf {
			continue
		}
		r := nb.Routes[i] // resolved on a copy: the slice may be a template's, shared
		if err := nb.ResolveSelf(&r, netip.Addr{}); err != nil {
			return nil, err
		}
		if r.NextHop == nb.Routes[i].NextHop {
			continue
		}
		if !copied {
			nb.Routes, copied = slices.Clone(nb.Routes), true
		}
		nb.Routes[i] = r
	}
	for _, o := range s.ops {
		if fams[o.Family] {
			nb.Operational = append(nb.Operational, o)
		}
	}
	return nb, nil
}

func (l *loader) neighborMissing(nb *Neighbor, at Pos) error {
	missing := ""
	switch {
	case nb.Listen > 0 && nb.LocalAuto:
		missing = "local-address"
	case nb.LocalAuto && !nb.RouterID.IsValid():
		missing = "router-id"
	case nb.PeerAddress.Addr().Is6() && !nb.RouterID.IsValid():
		missing = "router-id"
	}
	if missing != "" {
		return errAt(at, "incomplete neighbor, missing "+missing)
	}
	return nil
}

func checkMD5(nb *Neighbor, at Pos) error {
	if nb.MD5Password == "" {
		return nil
	}
	key := []byte(nb.MD5Password)
	switch nb.MD5Base64 {
	case "true":
		b, err := base64.StdEncoding.DecodeString(nb.MD5Password)
		if err != nil {
			return errAt(at, "Invalid MD5 password: not valid base64")
		}
		key = b
	case "auto":
		if b, err := base64.StdEncoding.DecodeString(nb.MD5Password); err == nil {
			key = b
		}
	}
	if len(key) > 80 {
		return errAt(at, "MD5 password must be no larger than 80 characters")
	}
	return nil
}

// neighborCapabilities fills Families, AddPath, NextHops and Capability.
func (l *loader) neighborCapabilities(nb *Neighbor, s *scope, at Pos) error {
	if s.famSet && len(s.families) > 0 {
		nb.Families = sortFamilies(s.families)
	} else {
		nb.Families = append([]wire.Family(nil), wire.AllFamilies[:]...)
	}
	c := &nb.Capability
	for k, v := range s.capa {
		switch k {
		case "asn4":
			c.ASN4 = v.(bool)
		case "extended-message":
			c.ExtendedMessage = v.(bool)
		case "route-refresh":
			c.RouteRefresh = v.(bool)
		case "multi-session":
			c.MultiSession = v.(bool)
		case "operational":
			c.Operational = v.(bool)
		case "software-version":
			c.SoftwareVersion = v.(bool)
		case "aigp":
			c.AIGP = v.(bool)
		case "nexthop":
			c.NextHop = Off
			if v.(bool) {
				c.NextHop = On
			}
		case "add-path":
			c.AddPath = v.(uint8)
		case "graceful-restart":
			c.GracefulRestart = v.(int)
		}
	}
	if c.GracefulRestart == 0 {
		c.GracefulRestart = int(nb.HoldTime)
	}
	fams := map[wire.Family]bool{}
	for _, f := range nb.Families {
		fams[f] = true
	}
	if c.AddPath != 0 {
		if len(s.addPath) == 0 {
			nb.AddPath = append(nb.AddPath, nb.Families...)
		} else {
			var ap []wire.Family
			for _, f := range s.addPath {
				if fams[f] {
					ap = append(ap, f)
				}
			}
			nb.AddPath = sortFamilies(ap)
		}
	}
	if c.NextHop == Unset && s.nhBlock {
		c.NextHop = On
	}
	if c.NextHop == On {
		for _, t := range s.nexthops {
			if fams[t.Family] && fams[wire.Family{AFI: t.NextHopAFI, SAFI: t.Family.SAFI}] {
				nb.NextHops = append(nb.NextHops, t)
			}
		}
	}
	if c.RouteRefresh && !nb.AdjRIBOut {
		nb.AdjRIBOut = true
	}
	return nil
}

// sortFamilies removes duplicates and sorts by AFI then SAFI, as
// ExaBGP's Neighbor.add_family does.
func sortFamilies(in []wire.Family) []wire.Family {
	seen := map[wire.Family]bool{}
	var out []wire.Family
	for _, f := range in {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].AFI != out[j].AFI {
			return out[i].AFI < out[j].AFI
		}
		return out[i].SAFI < out[j].SAFI
	})
	return out
}

// neighborName is ExaBGP's neighbor name string, which API selectors
// match against (bgp/neighbor.py name()).
func neighborName(nb *Neighbor) string {
	session := "in-open"
	if nb.Capability.MultiSession {
		session = ""
		for i, f := range nb.Families {
			if i > 0 {
				session += "/"
			}
			session += f.AFI.String() + "-" + f.SAFI.String()
		}
	}
	local := "auto"
	if !nb.LocalAuto {
		local = nb.LocalAddress.String()
	}
	asn := func(a ASN) string {
		if a.Auto {
			return "auto"
		}
		return strconv.FormatUint(uint64(a.Value), 10)
	}
	rid := "None"
	if nb.RouterID.IsValid() {
		rid = nb.RouterID.String()
	}
	return "neighbor " + peerString(nb.PeerAddress) + " local-ip " + local + " local-as " + asn(nb.LocalAS) +
		" peer-as " + asn(nb.PeerAS) + " router-id " + rid + " family-allowed " + session
}

// peerString prints a peer as ExaBGP: the address, with /len for ranges.
func peerString(p netip.Prefix) string {
	if p.Bits() == p.Addr().BitLen() {
		return p.Addr().String()
	}
	return p.String()
}

// ResolveSelf replaces `next-hop self` in r by the neighbor's address of
// the route's AFI: local-address when it has the same AFI, else the
// router-id for an IPv4 route (bgp/neighbor.py ip_self). r.NextHopSelf
// stays set so the route still reads as `next-hop self`. A neighbor with
// `local-address auto` can only resolve it once the session is up: the
// caller passes the learnt address as local (or an invalid Addr to use
// n.LocalAddress).
func (n *Neighbor) ResolveSelf(r *Route, local netip.Addr) error {
	if !r.NextHopSelf || r.NLRI == nil {
		return nil
	}
	if !local.IsValid() {
		local = n.LocalAddress
	}
	afi := r.NLRI.Family().AFI
	switch {
	case local.IsValid() && (afi == wire.AFIIPv4) == local.Is4():
		r.NextHop = local
	case afi == wire.AFIIPv4 && n.RouterID.IsValid():
		r.NextHop = n.RouterID
	case !local.IsValid():
		return nil // auto local-address: resolved when the session is up
	default:
		return errAt(r.Pos, "use of \"next-hop self\": the route ("+afi.String()+") does not have the same family as the BGP session")
	}
	return nil
}

// dedupeRoutes keeps one route per NLRI, as ExaBGP's adj-rib-out listing
// (`validate -n`) shows the configured routes: a later route for the same
// NLRI replaces the earlier one in its place. Neighbor.Routes keeps them
// all: ExaBGP sends every configured route on the wire (see
// qa/encoding/conf-flow-redirect, two flows with the same NLRI).
func dedupeRoutes(rs []Route) []Route {
	if len(rs) < 2 {
		return rs
	}
	index := make(map[string]int, len(rs))
	out := rs[:0]
	var key []byte
	for _, r := range rs {
		if r.NLRI == nil {
			out = append(out, r)
			continue
		}
		f := r.NLRI.Family()
		key = append(key[:0], byte(f.AFI>>8), byte(f.AFI), byte(f.SAFI))
		key = r.NLRI.AppendNLRI(key, true)
		if i, dup := index[string(key)]; dup {
			out[i] = r
			continue
		}
		index[string(key)] = len(out)
		out = append(out, r)
	}
	return out
}
