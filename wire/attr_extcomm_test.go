package wire

import (
	"net/netip"
	"testing"
)

func TestExtCommunityNames(t *testing.T) {
	ip := netip.MustParseAddr("192.0.2.1")
	for _, tt := range []struct {
		c    ExtCommunity
		name string
	}{
		{RouteTarget(65000, 1), "target:65000:1"},
		{RouteTarget(4200000000, 7), "target:4200000000:7"},
		{RouteTargetIP(ip, 5), "target:192.0.2.1:5"},
		{RouteOriginIP(ip, 5), "origin:5:192.0.2.1"},
		{RouteOrigin(65000, 9), "origin:65000:0.0.0.9"},
		{RouteOrigin(4200000000, 3), "origin:4200000000:3"},
		{RouteTarget(4200000000, 7), "target:4200000000:7"},
		{TrafficAction(false, false), "action "},
		{InterfaceSet(false, 65000, 5, 0), "interface-set:0:65000:5"},
		{TrafficRate(0, 1000.7), "rate-limit:1000"},
		{TrafficAction(true, true), "action sample-terminal"},
		{TrafficAction(false, true), "action terminal"},
		{Redirect(65000, 12), "redirect:65000:12"},
		{TrafficMark(46), "mark 46"},
		{RedirectToNextHop(false), "redirect-to-nexthop"},
		{RedirectToNextHop(true), "copy-to-nexthop"},
		{RedirectToNextHopIETF(ip, false), "redirect-to-nexthop-ietf 192.0.2.1"},
		{RedirectToNextHopIETF(ip, true), "copy-to-nexthop-ietf 192.0.2.1 (with copy)"},
		{L2Info(19, 0, 1500, 0), "l2info:19:0:1500:0"},
		{Encapsulation(8), "encap:VXLAN"},
		{Encapsulation(99), "encap:encap:UNKNOWN-99"},
		{MUPCommunity(10, 10), "mup:10:10"},
		{InterfaceSet(true, 65000, 5, 3), "interface-set:input-output:65000:5"},
		{MacMobility(3, true), "mac-mobility:3:sticky"},
		{ConsistentHashSortOrder(2), "consistentHashSortOrder:2"},
		{ExtCommunity{0x00, 0x13, 0xfd, 0xe8, 0, 0, 0, 1}, "rtrecord:65000:1"},
	} {
		if got, ok := tt.c.Name(); !ok || got != tt.name {
			t.Errorf("%x: got %q %v, want %q", tt.c[:], got, ok, tt.name)
		}
	}
	if n, ok := Bandwidth(65000, 125000000).Name(); ok || n != "" {
		t.Errorf("bandwidth named %q", n)
	}
	unknown := ExtCommunity{0x42, 0x99, 1, 2, 3, 4, 5, 6}
	if n, ok := unknown.Name(); ok || n != "" || unknown.String() != "0x4299010203040506" {
		t.Errorf("unknown: %q %v %s", n, ok, unknown.String())
	}
	if r := Redirect(4200000000, 1); r.String() != "0x8208FA56EA000001" {
		t.Errorf("redirect asn4: %s", r.String())
	}
	if v := RouteTarget(65000, 1).Value(); v != 0x0002fde800000001 {
		t.Errorf("value %x", v)
	}
}

func TestPMSI(t *testing.T) {
	p := NewPMSIIngressReplication(netip.MustParseAddr("10.0.0.1"), 100, 0)
	v := p.AppendValue(nil)
	if tohex(v) != "000600064"+"00A000001" {
		t.Errorf("%s", tohex(v))
	}
	q, err := DecodePMSI(v)
	if err != nil || q.Label() != 100 || q.String() != "pmsi:ingressreplication:0:100(1600):10.0.0.1" {
		t.Errorf("%+v %v %s", q, err, q.String())
	}
	if _, err := DecodePMSI([]byte{0, 6}); err == nil {
		t.Error("short PMSI accepted")
	}
}
