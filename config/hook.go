package config

import "exago/wire"

// Grammar is the configuration and API grammar of one route family that
// lives outside this package's inet grammar. A config/family_*.go file
// registers it from its init function with [RegisterGrammar] under one of
// these names:
//
//	"flow"      neighbor `flow { route NAME { match {} then {} scope {} } }`,
//	            `announce { ipv4|ipv6 { flow ...; flow-vpn ...; } }`,
//	            API `announce|withdraw flow route ...` and `ipv4 flow ...`
//	"vpls"      neighbor `l2vpn { vpls ... }`, `announce { l2vpn { vpls ...; } }`,
//	            API `announce|withdraw vpls ...`
//	"mup"       `announce { ipv4|ipv6 { mup ...; } }`, API `ipv4|ipv6 mup ...`
//	"mcast-vpn" `announce { ipv4|ipv6 { mcast-vpn ...; } }`, API `ipv4|ipv6 mcast-vpn ...`
//
// Until a grammar is registered the parser accepts those statements
// without building routes and records their position in
// [Config].Unparsed.
type Grammar struct {
	// Section parses a neighbor sub-section named by the grammar
	// (`flow`, `l2vpn`) into routes. Nil when the grammar has none.
	Section func(n *Node) ([]Route, error)
	// Line parses the words of a one-line route after the keywords that
	// selected the grammar (`flow route`, `vpls`, `ipv4 mup`, ...). fam is
	// the family the words were given for (for "flow": IPv4Flow unless
	// the caller knows better; the grammar may change it, e.g. when it
	// sees an IPv6 prefix or an rd). withdraw is true for API withdraws.
	// Attribute keywords shared with inet routes can be parsed with
	// [ParseAttribute].
	Line func(fam wire.Family, w *Words, withdraw bool) ([]Route, error)
}

// grammars is filled by the init functions of config/family_*.go and
// never changed afterwards.
var grammars = map[string]Grammar{}

// RegisterGrammar plugs a family grammar into the parser. Call it only
// from an init function.
func RegisterGrammar(name string, g Grammar) { grammars[name] = g }

// grammarFor returns the grammar registered under name.
func grammarFor(name string) (Grammar, bool) {
	g, ok := grammars[name]
	return g, ok
}

// grammarOfSAFI names the grammar that handles a family's routes.
func grammarOfSAFI(s wire.SAFI) string {
	switch s {
	case wire.SAFIFlow, wire.SAFIFlowVPN:
		return "flow"
	case wire.SAFIVPLS:
		return "vpls"
	case wire.SAFIMUP:
		return "mup"
	case wire.SAFIMcastVPN:
		return "mcast-vpn"
	}
	return ""
}
