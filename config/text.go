package config

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"

	"exago/wire"
)

// NeighborText prints a neighbor as ExaBGP's NeighborTemplate.configuration
// does without its routes (`show neighbor configuration`): the same keys,
// order and spacing (two-space indents), `None` for unset values. It
// parses back to the same neighbor apart from those None values.
func NeighborText(n *Neighbor) string { return NeighborTextWith(n, nil) }

// NeighborTextWith is [NeighborText] with the routes, as `validate -n`
// prints it: when route is not nil, a `static { }` section follows with
// route(r) for every configured route (ExaBGP's extensive() text).
func NeighborTextWith(n *Neighbor, route func(r *Route) string) string {
	var b strings.Builder
	w := func(s ...string) {
		for _, x := range s {
			b.WriteString(x)
		}
	}
	tf := func(v bool) string { return onoff(v, "true", "false") }
	en := func(v bool) string { return onoff(v, "enable", "disable") }
	none := func(s string) string { return onoff(s == "", "None", s) }
	asn := func(a ASN) string {
		if a.Auto {
			return "None"
		}
		return strconv.FormatUint(uint64(a.Value), 10)
	}
	rid := "None"
	if n.RouterID.IsValid() {
		rid = n.RouterID.String()
	}
	w("neighbor ", peerString(n.PeerAddress), " {\n")
	w("\tdescription \"", n.Description, "\";\n")
	w("\trouter-id ", rid, ";\n")
	w("\thost-name ", none(n.HostName), ";\n")
	w("\tdomain-name ", none(n.DomainName), ";\n")
	w("\tlocal-address ", onoff(n.LocalAuto, "auto", n.LocalAddress.String()), ";\n")
	w("\tsource-interface ", none(n.SourceIface), ";\n")
	w("\tlocal-as ", asn(n.LocalAS), ";\n\tpeer-as ", asn(n.PeerAS), ";\n")
	w("\thold-time ", strconv.Itoa(int(n.HoldTime)), ";\n")
	w("\trate-limit ", onoff(n.RateLimit == 0, "disable", strconv.Itoa(n.RateLimit)), ";\n")
	w("\tmanual-eor ", tf(n.ManualEOR), ";\n")
	w("\n\tpassive ", tf(n.Passive), ";\n")
	if n.Listen != 0 {
		w("\n\tlisten ", strconv.Itoa(int(n.Listen)), ";\n")
	}
	if n.Connect != 0 {
		w("\n\tconnect ", strconv.Itoa(int(n.Connect)), ";\n")
	}
	w("\tgroup-updates ", tf(n.GroupUpdates), ";\n")
	w("\tauto-flush ", tf(n.AutoFlush), ";\n")
	w("\tadj-rib-in ", tf(n.AdjRIBIn), ";\n")
	w("\tadj-rib-out ", tf(n.AdjRIBOut), ";\n")
	if n.MD5Password != "" {
		w("\tmd5-password \"", n.MD5Password, "\";\n")
	}
	w("\tmd5-base64 ", n.MD5Base64, ";\n")
	if !n.LocalAuto {
		md5ip := "None"
		if n.MD5IP.IsValid() {
			md5ip = n.MD5IP.String()
		}
		w("\tmd5-ip \"", md5ip, "\";\n")
	}
	if n.OutgoingTTL != 0 {
		w("\toutgoing-ttl ", strconv.Itoa(n.OutgoingTTL), ";\n")
	}
	if n.IncomingTTL != 0 {
		w("\tincoming-ttl ", strconv.Itoa(n.IncomingTTL), ";\n")
	}
	c := n.Capability
	w("\tcapability {\n")
	w("\t\tasn4 ", en(c.ASN4), ";\n")
	w("\t\troute-refresh ", en(c.RouteRefresh), ";\n")
	w("\t\tgraceful-restart ", onoff(c.GracefulRestart <= 0, "disable", strconv.Itoa(c.GracefulRestart)), ";\n")
	w("\t\tsoftware-version ", en(c.SoftwareVersion), ";\n")
	w("\t\tnexthop ", en(c.NextHop == On), ";\n")
	w("\t\tadd-path ", [...]string{"disable", "receive", "send", "send/receive"}[c.AddPath&3], ";\n")
	w("\t\tmulti-session ", en(c.MultiSession), ";\n")
	w("\t\toperational ", en(c.Operational), ";\n")
	w("\t\taigp ", en(c.AIGP), ";\n")
	w("\t}\n\tfamily {")
	for _, f := range n.Families {
		w("\n\t\t", f.AFI.String(), " ", f.SAFI.String(), ";")
	}
	w("\n\t}\n\tnexthop {")
	for _, t := range n.NextHops {
		w("\n\t\t", t.Family.AFI.String(), " ", t.Family.SAFI.String(), " ", t.NextHopAFI.String(), ";")
	}
	w("\n\t}\n\tadd-path {")
	for _, f := range n.AddPath {
		w("\n\t\t", f.AFI.String(), " ", f.SAFI.String(), ";")
	}
	w("\n\t}\n")
	for _, a := range n.APIs {
		w(apiText(a))
	}
	if route != nil {
		w("\nstatic { ")
		rs := dedupeRoutes(append([]Route(nil), n.Routes...))
		for i := range rs {
			if !rs[i].Withdrawn {
				w("\n\t\t", route(&rs[i]))
			}
		}
		w("\n}")
	}
	w("}")
	return strings.ReplaceAll(b.String(), "\t", "  ")
}

func onoff(v bool, on, off string) string {
	if v {
		return on
	}
	return off
}

func apiText(a APIBinding) string {
	var b strings.Builder
	for _, p := range a.Processes {
		b.WriteString("\tapi {\n\t\tprocesses [ " + p + " ];\n")
		for _, f := range []struct {
			on   bool
			name string
		}{{a.NeighborChanges, "neighbor-changes"}, {a.Negotiated, "negotiated"}, {a.FSM, "fsm"}, {a.Signal, "signal"}} {
			if f.on {
				b.WriteString("\t\t" + f.name + ";\n")
			}
		}
		for _, d := range []struct {
			name string
			m    MessageFlags
		}{{"receive", a.Receive}, {"send", a.Send}} {
			var lines []string
			for _, f := range []struct {
				on   bool
				name string
			}{{d.m.Packets, "packets"}, {d.m.Parsed, "parsed"}, {d.m.Consolidate, "consolidate"}, {d.m.Notification, "notification"},
				{d.m.Open, "open"}, {d.m.Keepalive, "keepalive"}, {d.m.Update, "update"}, {d.m.Refresh, "refresh"}, {d.m.Operational, "operational"}} {
				if f.on {
					lines = append(lines, "\t\t\t"+f.name+";\n")
				}
			}
			if len(lines) > 0 {
				b.WriteString("\t\t" + d.name + " {\n" + strings.Join(lines, "") + "\t\t}\n")
			}
		}
		b.WriteString("\t}\n")
	}
	return b.String()
}

// RouteText is a route in ExaBGP's configuration/API text form:
// `route PREFIX [rd RD] [label [ N ]] next-hop NH origin ... as-path [ ... ] ...`.
// Routes of family grammars print their NLRI through fmt.Stringer.
func RouteText(r *Route) string {
	var b strings.Builder
	if n, ok := r.NLRI.(*wire.INET); ok {
		b.WriteString("route " + inetText(n))
	} else if s, ok := r.NLRI.(interface{ String() string }); ok {
		b.WriteString(s.String())
	} else if r.NLRI != nil {
		b.WriteString(r.NLRI.Family().String())
	}
	switch {
	case r.NextHop.IsValid():
		b.WriteString(" next-hop " + r.NextHop.String())
	case r.NextHopSelf:
		b.WriteString(" next-hop self")
	}
	b.WriteString(AttributesText(&r.Attrs))
	if r.Name != "" {
		b.WriteString(" name " + r.Name)
	}
	if r.Watchdog != "" {
		b.WriteString(" watchdog " + r.Watchdog)
	}
	if r.Withdrawn {
		b.WriteString(" withdraw")
	}
	return b.String()
}

// AttributesText prints attributes in ExaBGP's text order and syntax,
// each preceded by a space.
func AttributesText(a *wire.Attributes) string {
	var b strings.Builder
	if a.HasOrigin {
		b.WriteString(" origin " + [...]string{"igp", "egp", "incomplete", "unknown"}[a.Origin&3])
	}
	if a.HasASPath {
		b.WriteString(" as-path " + asPathText(a.ASPath))
	}
	if a.HasMED {
		b.WriteString(" med " + strconv.FormatUint(uint64(a.MED), 10))
	}
	if a.HasLocalPref {
		b.WriteString(" local-preference " + strconv.FormatUint(uint64(a.LocalPref), 10))
	}
	if a.AtomicAggregate {
		b.WriteString(" atomic-aggregate")
	}
	if a.HasAggregator {
		b.WriteString(" aggregator ( " + strconv.FormatUint(uint64(a.Aggregator.ASN), 10) + ":" + a.Aggregator.Addr.String() + " )")
	}
	if len(a.Communities) > 0 {
		parts := make([]string, len(a.Communities))
		for i, c := range a.Communities {
			parts[i] = communityText(c)
		}
		b.WriteString(listText("community", parts))
	}
	if a.HasOriginatorID {
		b.WriteString(" originator-id " + a.OriginatorID.String())
	}
	if len(a.ClusterList) > 0 {
		parts := make([]string, len(a.ClusterList))
		for i, c := range a.ClusterList {
			parts[i] = c.String()
		}
		b.WriteString(" cluster-list [ " + strings.Join(parts, " ") + " ]")
	}
	if len(a.ExtCommunities) > 0 {
		parts := make([]string, len(a.ExtCommunities))
		for i, c := range a.ExtCommunities {
			parts[i] = "0x" + hex.EncodeToString(c[:])
		}
		b.WriteString(listText("extended-community", parts))
	}
	if len(a.LargeCommunities) > 0 {
		parts := make([]string, len(a.LargeCommunities))
		for i, c := range a.LargeCommunities {
			parts[i] = strconv.FormatUint(uint64(c.Global), 10) + ":" + strconv.FormatUint(uint64(c.Local1), 10) + ":" + strconv.FormatUint(uint64(c.Local2), 10)
		}
		b.WriteString(listText("large-community", parts))
	}
	if a.HasAIGP {
		b.WriteString(" aigp " + strconv.FormatUint(a.AIGP, 10))
	}
	for _, o := range a.Other {
		b.WriteString(" attribute [ 0x" + hex.EncodeToString([]byte{o.Code}) + " 0x" + hex.EncodeToString([]byte{o.Flags}) + " 0x" + strings.ToUpper(hex.EncodeToString(o.Value)) + " ]")
	}
	return b.String()
}

func listText(kw string, parts []string) string {
	if len(parts) == 1 {
		return " " + kw + " " + parts[0]
	}
	return " " + kw + " [ " + strings.Join(parts, " ") + " ]"
}

func communityText(c uint32) string {
	switch c {
	case CommunityNoExport:
		return "no-export"
	case CommunityNoAdvertise:
		return "no-advertise"
	case CommunityNoExportSubconfed:
		return "no-export-subconfed"
	case CommunityNoPeer:
		return "nopeer"
	case CommunityBlackhole:
		return "blackhole"
	}
	return strconv.Itoa(int(c>>16)) + ":" + strconv.Itoa(int(c&0xFFFF))
}

func asPathText(segs []wire.ASSegment) string {
	var parts []string
	for _, s := range segs {
		open, close := "[", "]"
		if s.Type == wire.ASSet || s.Type == wire.ASConfedSet {
			open, close = "(", ")"
		}
		inner := make([]string, len(s.ASNs))
		for i, a := range s.ASNs {
			inner[i] = strconv.FormatUint(uint64(a), 10)
		}
		body := strings.Join(inner, " ")
		if s.Type == wire.ASConfedSequence || s.Type == wire.ASConfedSet {
			body = "{ " + body + " }"
		}
		parts = append(parts, open+" "+body+" "+close)
	}
	return strings.Join(parts, " ")
}

var _ = netip.Addr{}
