package config

import (
	"errors"
	"net/netip"
	"os/user"
	"strconv"
	"strings"
)

// kind says how a setting is read from text and written back
// (ExaBGP environment/parsing.py read/write pairs).
type kind uint8

const (
	kBool      kind = iota // boolean / lower
	kInt                   // integer / nop
	kReal                  // real / nop
	kString                // unquote / quote
	kUser                  // user / quote (the user must exist)
	kUmask                 // umask_read / umask_write
	kLevel                 // syslog_value / syslog_name
	kIPList                // ip_list / quote_list
	kEncoder               // api / lower
	kRoutesFmt             // show_routes_format / lower
	kMode                  // ExaGo reactor.mode
)

// setting is one row of the environment table. The table order is
// ExaBGP's definition order (what `exabgp env -e` prints).
type setting struct {
	section, option string
	kind            kind
	def             string
	help            string
	hidden          bool // debug.* are never printed
	ptr             func(e *Env) any
}

func (s *setting) name() string { return s.section + "." + s.option }

const helpIndent = "                                 " // 33 spaces, as setup.py

var settings = []setting{
	{"profile", "enable", kBool, "false", "toggle profiling of the code", false, func(e *Env) any { return &e.Profile.Enable }},
	{"profile", "file", kString, "", "profiling result file, none means stdout, no overwriting", false, func(e *Env) any { return &e.Profile.File }},
	{"pdb", "enable", kBool, "false", "on program fault, start pdb the python interactive debugger", false, func(e *Env) any { return &e.PDB.Enable }},
	{"daemon", "pid", kString, "", "where to save the pid if we manage it", false, func(e *Env) any { return &e.Daemon.PID }},
	{"daemon", "user", kUser, "nobody", "user to run the program as", false, func(e *Env) any { return &e.Daemon.User }},
	{"daemon", "daemonize", kBool, "false", "should we run in the background", false, func(e *Env) any { return &e.Daemon.Daemonize }},
	{"daemon", "drop", kBool, "true", "drop privileges before forking processes", false, func(e *Env) any { return &e.Daemon.Drop }},
	{"daemon", "umask", kUmask, "0137", "run daemon with this umask, governs perms of logfiles etc.", false, func(e *Env) any { return &e.Daemon.Umask }},
	{"log", "enable", kBool, "true", "enable logging to file or syslog", false, func(e *Env) any { return &e.Log.Enable }},
	{"log", "level", kLevel, "INFO", "log message with at least the priority SYSLOG.<level>", false, func(e *Env) any { return &e.Log.Level }},
	{"log", "destination", kString, "stdout", "where logging should log\n" +
		helpIndent + " syslog (or no setting) sends the data to the local syslog syslog\n" +
		helpIndent + " host:<location> sends the data to a remote syslog server\n" +
		helpIndent + " stdout sends the data to stdout\n" +
		helpIndent + " stderr sends the data to stderr\n" +
		helpIndent + " <filename> send the data to a file", false, func(e *Env) any { return &e.Log.Destination }},
	{"log", "all", kBool, "false", "report debug information for everything", false, func(e *Env) any { return &e.Log.All }},
	{"log", "configuration", kBool, "true", "report command parsing", false, func(e *Env) any { return &e.Log.Configuration }},
	{"log", "reactor", kBool, "true", "report signal received, command reload", false, func(e *Env) any { return &e.Log.Reactor }},
	{"log", "daemon", kBool, "true", "report pid change, forking, ...", false, func(e *Env) any { return &e.Log.Daemon }},
	{"log", "processes", kBool, "true", "report handling of forked processes", false, func(e *Env) any { return &e.Log.Processes }},
	{"log", "network", kBool, "true", "report networking information (TCP/IP, network state,...)", false, func(e *Env) any { return &e.Log.Network }},
	{"log", "statistics", kBool, "true", "report packet statistics", false, func(e *Env) any { return &e.Log.Statistics }},
	{"log", "packets", kBool, "false", "report BGP packets sent and received", false, func(e *Env) any { return &e.Log.Packets }},
	{"log", "rib", kBool, "false", "report change in locally configured routes", false, func(e *Env) any { return &e.Log.RIB }},
	{"log", "message", kBool, "false", "report changes in route announcement on config reload", false, func(e *Env) any { return &e.Log.Message }},
	{"log", "timers", kBool, "false", "report keepalives timers", false, func(e *Env) any { return &e.Log.Timers }},
	{"log", "routes", kBool, "false", "report received routes", false, func(e *Env) any { return &e.Log.Routes }},
	{"log", "parser", kBool, "false", "report BGP message parsing details", false, func(e *Env) any { return &e.Log.Parser }},
	{"log", "short", kBool, "true", "use short log format (not prepended with time,level,pid and source)", false, func(e *Env) any { return &e.Log.Short }},
	{"tcp", "once", kBool, "false", "only one tcp connection attempt per peer (for debuging scripts) - deprecated, use tcp.attempts", false, func(e *Env) any { return &e.TCP.Once }},
	{"tcp", "attempts", kInt, "0", "maximum tcp connection attempts per peer (0 for unlimited)", false, func(e *Env) any { return &e.TCP.Attempts }},
	{"tcp", "delay", kInt, "0", "start to announce route when the minutes in the hours is a modulo of this number", false, func(e *Env) any { return &e.TCP.Delay }},
	{"tcp", "bind", kIPList, "", "Space separated list of IPs to bind on when listening (no ip to disable)", false, func(e *Env) any { return &e.TCP.Bind }},
	{"tcp", "port", kInt, "179", "port to bind on when listening", false, func(e *Env) any { return &e.TCP.Port }},
	{"tcp", "acl", kBool, "", "(experimental please do not use) unimplemented", false, func(e *Env) any { return &e.TCP.ACL }},
	{"bgp", "passive", kBool, "false", "ignore the peer configuration and make all peers passive", false, func(e *Env) any { return &e.BGP.Passive }},
	{"bgp", "openwait", kInt, "60", "how many seconds we wait for an open once the TCP session is established", false, func(e *Env) any { return &e.BGP.OpenWait }},
	{"cache", "attributes", kBool, "true", "cache all attributes (configuration and wire) for faster parsing", false, func(e *Env) any { return &e.Cache.Attributes }},
	{"cache", "nexthops", kBool, "true", "cache routes next-hops (deprecated: next-hops are always cached)", false, func(e *Env) any { return &e.Cache.Nexthops }},
	{"api", "ack", kBool, "true", "acknowledge api command(s) and report issues", false, func(e *Env) any { return &e.API.Ack }},
	{"api", "chunk", kInt, "1", "maximum lines to print before yielding in show routes api", false, func(e *Env) any { return &e.API.Chunk }},
	{"api", "show-routes-format", kRoutesFmt, "v1", "json output format for show adj-rib (v1 or v2)", false, func(e *Env) any { return &e.API.ShowRoutesFormat }},
	{"api", "encoder", kEncoder, "json", "(experimental) default encoder to use with with external API (text or json)", false, func(e *Env) any { return &e.API.Encoder }},
	{"api", "compact", kBool, "false", "shorter JSON encoding for IPv4/IPv6 Unicast NLRI", false, func(e *Env) any { return &e.API.Compact }},
	{"api", "respawn", kBool, "true", "should we try to respawn helper processes if they dies", false, func(e *Env) any { return &e.API.Respawn }},
	{"api", "terminate", kBool, "false", "should we terminate ExaBGP if any helper process dies", false, func(e *Env) any { return &e.API.Terminate }},
	{"api", "cli", kBool, "true", "should we create a named pipe for the cli", false, func(e *Env) any { return &e.API.CLI }},
	{"api", "pipename", kString, "exabgp", "name to be used for the exabgp pipe", false, func(e *Env) any { return &e.API.PipeName }},
	{"reactor", "speed", kReal, "1.0", "reactor loop time\n" + helpIndent + " use only if you understand the code.", false, func(e *Env) any { return &e.Reactor.Speed }},
	{"reactor", "mode", kMode, "reactor", "ExaGo event loop: reactor (epoll) or sync (blocking sockets)", false, func(e *Env) any { return &e.Reactor.Mode }},
	{"debug", "pdb", kBool, "false", "enable python debugger on errors", true, func(e *Env) any { return &e.Debug.PDB }},
	{"debug", "memory", kBool, "false", "command line option --memory", true, func(e *Env) any { return &e.Debug.Memory }},
	{"debug", "configuration", kBool, "false", "undocumented option: raise when parsing configuration errors", true, func(e *Env) any { return &e.Debug.Configuration }},
	{"debug", "selfcheck", kBool, "false", "does a self check on the configuration file", true, func(e *Env) any { return &e.Debug.Selfcheck }},
	{"debug", "route", kString, "", "decode the route using the configuration", true, func(e *Env) any { return &e.Debug.Route }},
	{"debug", "defensive", kBool, "false", "generate random fault in the code in purpose", true, func(e *Env) any { return &e.Debug.Defensive }},
	{"debug", "rotate", kBool, "false", "rotate configurations file on reload (signal)", true, func(e *Env) any { return &e.Debug.Rotate }},
}

var logLevels = []string{"FATAL", "CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET"}

// parse converts raw (already unquoted) text into the setting's field of e.
func (s *setting) parse(e *Env, raw string, check bool) error {
	p := s.ptr(e)
	switch s.kind {
	case kBool:
		*p.(*bool) = boolWord(raw)
	case kInt:
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil {
			return errors.New("expected an integer")
		}
		*p.(*int) = n
	case kReal:
		f, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil {
			return errors.New("expected a number")
		}
		*p.(*float64) = f
	case kString:
		*p.(*string) = unquote(raw)
	case kUser:
		name := unquote(raw)
		if _, err := user.Lookup(name); check && err != nil {
			return errors.New("user " + name + " is not found on this system")
		}
		*p.(*string) = name
	case kUmask:
		v := strings.TrimPrefix(strings.TrimPrefix(unquote(raw), "0o"), "0O")
		n, err := strconv.ParseUint(v, 8, 32)
		if err != nil {
			return errors.New("expected an octal umask")
		}
		*p.(*uint32) = uint32(n)
	case kLevel:
		v := strings.ToUpper(unquote(raw))
		for _, l := range logLevels {
			if l == v {
				*p.(*string) = v
				return nil
			}
		}
		return errors.New("invalid log level " + v + " (expected one of " + strings.Join(logLevels, " ") + ")")
	case kIPList:
		var ips []netip.Addr
		for _, f := range strings.Split(unquote(raw), " ") {
			if f == "" {
				continue
			}
			a, err := netip.ParseAddr(f)
			if err != nil {
				return errors.New("ip " + f + " is invalid")
			}
			ips = append(ips, a)
		}
		*p.(*[]netip.Addr) = ips
	case kEncoder, kRoutesFmt, kMode:
		v := strings.ToLower(unquote(raw))
		allowed := map[kind][2]string{kEncoder: {"text", "json"}, kRoutesFmt: {"v1", "v2"}, kMode: {"reactor", "sync"}}[s.kind]
		if v != allowed[0] && v != allowed[1] {
			return errors.New("expected " + allowed[0] + " or " + allowed[1])
		}
		*p.(*string) = v
	}
	return nil
}

// format renders the field of e as ExaBGP's `write` function does, for the
// ini file (`exabgp env`).
func (s *setting) format(e *Env) string {
	p := s.ptr(e)
	switch s.kind {
	case kBool:
		return strconv.FormatBool(*p.(*bool))
	case kInt:
		return strconv.Itoa(*p.(*int))
	case kReal:
		return pyFloat(*p.(*float64))
	case kString, kUser:
		return "'" + *p.(*string) + "'"
	case kUmask:
		return "'0o" + strconv.FormatUint(uint64(*p.(*uint32)), 8) + "'"
	case kIPList:
		ips := *p.(*[]netip.Addr)
		parts := make([]string, len(ips))
		for i, a := range ips {
			parts[i] = a.String()
		}
		return "'" + strings.Join(parts, " ") + "'"
	default:
		return *p.(*string)
	}
}

// helpDefault is the default as `exabgp` with no argument lists it:
// quoted for string-like writers, raw otherwise.
func (s *setting) helpDefault() string {
	switch s.kind {
	case kString, kUser, kLevel:
		return "'" + s.def + "'"
	}
	return s.def
}
