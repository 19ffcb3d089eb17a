// Package config parses ExaBGP 5.0 configuration files and exabgp.env
// environment settings into a typed, validated model: addresses are netip
// values, attributes are wire values, nothing is left to parse later.
//
// # Environment
//
// [LoadEnv] reads the 52 settings of ExaBGP 5.0.13 (plus ExaGo's
// reactor.mode) from the exabgp.env ini file and the process environment
// into [Env], with ExaBGP's precedence (exabgp.s.k variable >
// exabgp_s_k variable > file > default) and its quirks: the
// exabgp_tcp_connections / exabgp_tcp_once aliases of tcp.attempts and
// the outgoing connect port taken only from the environment
// ([Env].TCP.ConnectPort). [Root] and [EnvFilePath] locate the file as
// ExaBGP does. [Env.WriteINI], [Env.WriteEnvLines] and [WriteDefaults]
// print `exabgp env`, `exabgp env -e` and the settings list.
//
// # Configuration
//
// [Load] reads one or more files (several files share processes and
// templates) and returns a [Config]; [LoadText] parses text. Data flow:
//
//	lex (token.go)      text -> statements: ExaBGP's lexical rules, every
//	                    token with FILE:LINE:COLUMN
//	buildTree (tree.go) statements -> [Node] tree; plain statements keep
//	                    their text and are tokenised when read
//	loader (load.go,    process / template / neighbor sections -> scope
//	neighbor*.go)       (what a block says), templates merged with
//	                    ExaBGP's precedence quirk (template scalars win),
//	                    then one validated [Neighbor]
//	routes (route.go,   static / announce routes -> [Route] with
//	attr.go, ...)       wire.Attributes and a *wire.INET NLRI
//
// Every error is one line, `FILE:LINE:COLUMN: what is wrong (what was
// expected)`, of type [*Error]. Nothing panics on bad input.
//
// ExaBGP deviations kept on purpose: a surplus '}' is ignored and
// sections left open at the end of a file are closed there (ExaBGP's own
// examples rely on both). ExaGo additionally rejects an api block naming
// a process that no file defines.
//
// # API routes
//
// [ParseAnnounce] and [ParseWithdraw] parse the words of the API's
// `announce ...` / `withdraw ...` route commands with the same grammar as
// the configuration's one-line routes. [Neighbor.ResolveSelf] resolves
// `next-hop self` for a neighbor.
//
// The as-path grammar is the one ExaBGP 5.0.13 really accepts (see
// parseASPath): concatenated `[ ]` sequence and `( )` set segments; a
// brace anywhere in an as-path, a nested segment and a bare unbracketed
// ASN are rejected, in files and API commands alike.
//
// # Family grammars
//
// Flow, VPLS, MUP and MCAST-VPN routes are parsed by grammars that
// config/family_*.go files register from init with [RegisterGrammar]
// (names "flow", "vpls", "mup", "mcast-vpn"); see [Grammar] for where each
// is called. A grammar receives neighbor sub-sections as [*Node] (use
// [Node.Tokens], [Node.Args] and [Node.Children]) and one-line routes as a
// [*Words] cursor, and may use [ParseAttribute], [ParseRD], [ParsePrefix],
// [ParseASN] and [ParseExtCommunity] for the shared keywords. Without a
// registered grammar those statements are accepted, produce no route, and
// their position is listed in [Config].Unparsed.
//
// The package has no global mutable state (the grammar table is filled
// by init functions only) and is safe for concurrent use of distinct
// values.
package config
