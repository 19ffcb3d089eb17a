package main

import (
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// This file parses `exabgp healthcheck`'s options as ExaBGP's argparse
// set-up does (application/healthcheck.py setargs/parse).

// hcOptions are healthcheck's command-line options.
type hcOptions struct {
	silent, noSyslog, debug, noAck, sudo bool
	syslogFacility                       string
	syslogGiven                          bool
	name, pidFile, user, group           string

	interval, fast     float64
	timeout            int
	rise, fall         int
	disable, command   string
	hasCommand         bool
	nextHop            string
	ips                []netip.Prefix
	ipIfnames          []string
	ifnames            map[netip.Prefix]string
	localPref          int
	deaggregate        bool
	ipSetup, ipDynamic bool
	label              string
	labelExact         bool
	startIP            int
	metric             map[hcState]int
	increase           int
	community          string
	extCommunity       string
	largeCommunity     string
	disabledCommunity  string
	asPath             string
	stateASPath        map[hcState]string
	withdrawOnDown     bool
	pathID             int
	neighbors          []string
	debounce           bool
	execute            []string
	stateExecute       map[hcState][]string
}

func defaultHCOptions() *hcOptions {
	return &hcOptions{
		syslogFacility: "daemon", interval: 5, fast: 1, timeout: 5, rise: 3, fall: 3,
		localPref: -1, ipSetup: true, increase: 1,
		metric:       map[hcState]int{hcUp: 100, hcDown: 1000, hcDisabled: 500},
		stateASPath:  map[hcState]string{},
		stateExecute: map[hcState][]string{},
	}
}

// hcUsage is the usage block, wrapped as argparse wraps it on an
// 80-column terminal.
var hcUsage = hcFormatUsage("exabgp healthcheck", hcUsageParts)

// hcUsageParts are the usage words argparse would not split (a
// mutually exclusive group is cut at its '|' as argparse cuts it).
var hcUsageParts = []string{
	"[-h]", "[--silent | --syslog-facility [FACILITY]", "|", "--no-syslog]", "[--debug]", "[--no-ack]",
	"[--sudo]", "[--name NAME]", "[--config FILE]", "[--pid FILE]", "[--user USER]", "[--group GROUP]",
	"[--interval N]", "[--fast-interval N]", "[--timeout N]", "[--rise N]", "[--fall N]", "[--disable FILE]",
	"[--command CMD]", "[--next-hop IP]", "[--ip IP]", "[--ip-ifname IP%IFNAME]", "[--local-preference P]",
	"[--deaggregate-networks]", "[--no-ip-setup]", "[--dynamic-ip-setup]", "[--label LABEL]",
	"[--label-exact-match]", "[--start-ip N]", "[--up-metric M]", "[--down-metric M]",
	"[--disabled-metric M]", "[--increase M]", "[--community COMMUNITY]",
	"[--extended-community EXTENDEDCOMMUNITY]", "[--large-community LARGECOMMUNITY]",
	"[--disabled-community DISABLEDCOMMUNITY]", "[--as-path ASPATH]", "[--up-as-path ASPATH]",
	"[--down-as-path ASPATH]", "[--disabled-as-path ASPATH]", "[--withdraw-on-down]", "[--path-id PATHID]",
	"[--neighbor NEIGHBOR]", "[--debounce]", "[--execute CMD]", "[--up-execute CMD]", "[--down-execute CMD]",
	"[--disabled-execute CMD]",
}

// hcDescription follows the usage in --help (ExaBGP prints its module
// documentation there: what the program is for and how to configure it).
const hcDescription = `Healthchecker for exabgp.

Run this program as an exabgp process: it checks a service with a
third-party command at a regular interval and announces (or withdraws,
or changes the metric of) some service IP addresses according to the
result.

Declare it as a process in the exabgp configuration, for example:

    neighbor 192.0.2.1 {
       router-id 192.0.2.2;
       local-as 64496;
       peer-as 64497;
    }
    process check-web {
       run exabgp healthcheck --cmd "curl -sf http://127.0.0.1/" --label web;
    }

The options can also be read from a file (--config). Each line holds
one long option without its leading dashes, with its value after '=':

     debug
     name = web
     interval = 10
     fast-interval = 1
     command = curl -sf http://127.0.0.1/

With --label, the addresses to announce are the loopback addresses
whose label, without the interface name, starts with the given value:
with the example above, addresses labelled lo:web1, lo:web2, ...
`

// hcHelpGroup is one section of the option list.
type hcHelpGroup struct {
	title string
	opts  [][2]string // invocation, help
}

// hcHelpGroups are healthcheck's options as --help lists them: the same
// options, groups and order as ExaBGP's parser, each with its meaning.
var hcHelpGroups = []hcHelpGroup{
	{"options", [][2]string{
		{"-h, --help", "show this help message and exit"},
		{"--silent, -s", "do not log to the console"},
		{"--syslog-facility [FACILITY], -sF [FACILITY]", "log to syslog with the given FACILITY (daemon when no FACILITY is given)"},
		{"--no-syslog", "do not log to syslog"},
		{"--debug, -d", "log debugging messages"},
		{"--no-ack, -a", "use with exabgp 3.4 or 4.x running with exabgp.api.ack=false (no acknowledgement is read)"},
		{"--sudo", "set up the IP addresses through sudo"},
		{"--name NAME, -n NAME", "the name of this healthchecker"},
		{"--config FILE, -F FILE", "read the options from a file"},
		{"--pid FILE, -p FILE", "write the process id to FILE"},
		{"--user USER", "switch to USER once the IP addresses are set up"},
		{"--group GROUP", "switch to GROUP once the IP addresses are set up"},
	}},
	{"checking healthiness", [][2]string{
		{"--interval N, -i N", "seconds to wait between two checks (0 to exit after the first announcement)"},
		{"--fast-interval N, -f N", "seconds to wait between two checks while the state is about to change"},
		{"--timeout N, -t N", "seconds the check command may run before it counts as a failure"},
		{"--rise N", "successful checks needed before the service is considered up"},
		{"--fall N", "failed checks needed before the service is considered down"},
		{"--disable FILE", "the service is considered disabled while FILE exists"},
		{"--command CMD, --cmd CMD, -c CMD", "the command that checks the service"},
	}},
	{"advertising options", [][2]string{
		{"--next-hop IP, -N IP", "our own IP address, announced as the next hop"},
		{"--ip IP", "announce this IP address or network (CIDR notation)"},
		{"--ip-ifname IP%IFNAME", "bind this IP address or network (CIDR) to the physical or logical interface IFNAME (e.g. 192.165.14.1%eth0)"},
		{"--local-preference P", "announce with the local preference P"},
		{"--deaggregate-networks", "announce every address of the networks given with --ip"},
		{"--no-ip-setup", "do not add the missing IP addresses"},
		{"--dynamic-ip-setup", "remove the IP addresses set up when the service goes down or disabled, and add them back when it is up"},
		{"--label LABEL", "select the set up IP addresses whose label starts with LABEL"},
		{"--label-exact-match", "select the set up IP addresses whose label is exactly LABEL, not only starts with it"},
		{"--start-ip N", "position of the first IP address in the list of addresses"},
		{"--up-metric M", "metric of the first IP address while the service is up"},
		{"--down-metric M", "metric of the first IP address while the service is down"},
		{"--disabled-metric M", "metric of the first IP address while the service is disabled"},
		{"--increase M", "metric increase for each further IP address"},
		{"--community COMMUNITY", "announce the IP addresses with this community"},
		{"--extended-community EXTENDEDCOMMUNITY", "announce the IP addresses with this extended community"},
		{"--large-community LARGECOMMUNITY", "announce the IP addresses with this large community"},
		{"--disabled-community DISABLEDCOMMUNITY", "announce the IP addresses with this community while the service is disabled"},
		{"--as-path ASPATH", "announce the IP addresses with this as-path"},
		{"--up-as-path ASPATH", "announce the IP addresses with this as-path while the service is up"},
		{"--down-as-path ASPATH", "announce the IP addresses with this as-path while the service is down"},
		{"--disabled-as-path ASPATH", "announce the IP addresses with this as-path while the service is disabled"},
		{"--withdraw-on-down", "withdraw the routes when the service fails instead of raising their metric"},
		{"--path-id PATHID", "path identifier to announce the routes with"},
		{"--neighbor NEIGHBOR", "announce the routes to the selected neighbors only (* for all)"},
		{"--debounce", "announce only when the state changes, not after every check"},
	}},
	{"reporting", [][2]string{
		{"--execute CMD", "run CMD when the state changes"},
		{"--up-execute CMD", "run CMD when the service becomes available"},
		{"--down-execute CMD", "run CMD when the service becomes unavailable"},
		{"--disabled-execute CMD", "run CMD when the service gets disabled"},
	}},
}

// argparse's layout for an 80-column terminal: text 78 wide, help column
// at 24.
const (
	hcHelpWidth  = 78
	hcHelpColumn = 24
)

// hcHelp is `exabgp healthcheck --help`: usage, description and every
// option with its help, laid out as argparse does.
func hcHelp() string {
	var b strings.Builder
	b.WriteString(hcUsage)
	b.WriteString("\n")
	b.WriteString(hcDescription)
	for _, g := range hcHelpGroups {
		b.WriteString("\n" + g.title + ":\n")
		for _, o := range g.opts {
			inv := "  " + o[0]
			lines := hcWrap(o[1], hcHelpWidth-hcHelpColumn)
			if len(inv) <= hcHelpColumn-2 {
				b.WriteString(inv + strings.Repeat(" ", hcHelpColumn-len(inv)) + lines[0] + "\n")
				lines = lines[1:]
			} else {
				b.WriteString(inv + "\n")
			}
			for _, l := range lines {
				b.WriteString(strings.Repeat(" ", hcHelpColumn) + l + "\n")
			}
		}
	}
	return b.String()
}

// hcWrap splits text into lines of at most width characters at spaces.
func hcWrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(lines, line)
}

// hcFormatUsage wraps `usage: PROG PARTS...` as argparse does: parts are
// never split, continuation lines are indented under the first part.
func hcFormatUsage(prog string, parts []string) string {
	const prefix = "usage: "
	indent := strings.Repeat(" ", len(prefix)+len(prog)+1)
	var lines []string
	line := []string{prog}
	lineLen := len(prefix) - 1 + len(prog) + 1
	for _, p := range parts {
		if lineLen+1+len(p) > hcHelpWidth {
			lines = append(lines, strings.Join(line, " "))
			line, lineLen = nil, len(indent)-1
		}
		line = append(line, p)
		lineLen += len(p) + 1
	}
	lines = append(lines, strings.Join(line, " "))
	return prefix + strings.Join(lines, "\n"+indent) + "\n"
}

// hcShort maps short options to long ones.
var hcShort = map[string]string{
	"-s": "--silent", "-sF": "--syslog-facility", "-d": "--debug", "-a": "--no-ack", "-n": "--name",
	"-F": "--config", "-p": "--pid", "-i": "--interval", "-f": "--fast-interval", "-t": "--timeout",
	"-c": "--command", "--cmd": "--command", "-N": "--next-hop",
}

// hcFlags lists the options without a value.
var hcFlags = map[string]bool{
	"--silent": true, "--no-syslog": true, "--debug": true, "--no-ack": true, "--sudo": true,
	"--deaggregate-networks": true, "--no-ip-setup": true, "--dynamic-ip-setup": true,
	"--label-exact-match": true, "--withdraw-on-down": true, "--debounce": true,
}

// parseHC parses argv as argparse would; a --config file's lines become
// options placed before the real arguments (which win).
func parseHC(args []string) (*hcOptions, error) {
	o := defaultHCOptions()
	if err := o.parse(args, true); err != nil {
		return nil, err
	}
	if err := o.resolveIfnames(); err != nil {
		return nil, err
	}
	return o, nil
}

func (o *hcOptions) parse(args []string, top bool) error {
	exclusive := ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			return fmt.Errorf("unrecognized arguments: %s", a)
		}
		name, val, hasVal := strings.Cut(a, "=")
		if long, ok := hcShort[name]; ok {
			name = long
		}
		if hcFlags[name] {
			if hasVal {
				return fmt.Errorf("argument %s: ignored explicit argument '%s'", name, val)
			}
			val = "true"
		} else if name == "--syslog-facility" {
			if !hasVal {
				val = "daemon"
				if i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
					i++
					val = args[i]
				}
			}
		} else if !hasVal {
			if i+1 >= len(args) {
				return fmt.Errorf("argument %s: expected one argument", name)
			}
			i++
			val = args[i]
		}
		switch name {
		case "--silent", "--syslog-facility", "--no-syslog":
			if exclusive != "" && exclusive != name {
				return fmt.Errorf("argument %s: not allowed with argument %s", name, exclusive)
			}
			exclusive = name
		}
		if name == "--config" {
			if !top {
				continue
			}
			extra, err := hcConfigArgs(val)
			if err != nil {
				return err
			}
			// the file's options first, then the command line again
			fresh := defaultHCOptions()
			if err := fresh.parse(append(extra, removeConfig(args)...), false); err != nil {
				return err
			}
			*o = *fresh
			return nil
		}
		if err := o.set(name, val); err != nil {
			return err
		}
	}
	return nil
}

// removeConfig drops --config/-F and their values from args.
func removeConfig(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--config" || a == "-F" {
			i++
			continue
		}
		if strings.HasPrefix(a, "--config=") {
			continue
		}
		out = append(out, a)
	}
	return out
}

// hcConfigArgs reads a --config file: `key = value` or `flag` lines,
// `#` comments, each becoming `--key value`.
func hcConfigArgs(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("argument --config/-F: can't open '%s': %v", path, err)
	}
	var args []string
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut("--"+line, "=")
		args = append(args, strings.TrimSpace(k))
		if ok {
			args = append(args, strings.TrimSpace(v))
		}
	}
	return args, nil
}

// set applies one option. It is one switch over every option name, long
// by design: each case is a line or two, in argparse's order.
func (o *hcOptions) set(name, val string) error {
	num := func() (int, error) {
		n, err := strconv.Atoi(val)
		if err != nil {
			return 0, fmt.Errorf("argument %s: invalid int value: '%s'", name, val)
		}
		return n, nil
	}
	var err error
	switch name {
	case "--silent":
		o.silent = true
	case "--syslog-facility":
		o.syslogFacility, o.syslogGiven = val, true
	case "--no-syslog":
		o.noSyslog = true
	case "--debug":
		o.debug = true
	case "--no-ack":
		o.noAck = true
	case "--sudo":
		o.sudo = true
	case "--name":
		o.name = val
	case "--pid":
		o.pidFile = val
	case "--user":
		o.user = val
	case "--group":
		o.group = val
	case "--interval", "--fast-interval":
		f, ferr := strconv.ParseFloat(val, 64)
		if ferr != nil {
			return fmt.Errorf("argument %s: invalid float value: '%s'", name, val)
		}
		if name == "--interval" {
			o.interval = f
		} else {
			o.fast = f
		}
	case "--timeout":
		o.timeout, err = num()
	case "--rise":
		o.rise, err = num()
	case "--fall":
		o.fall, err = num()
	case "--disable":
		o.disable = val
	case "--command":
		o.command, o.hasCommand = val, true
	case "--next-hop":
		a, perr := netip.ParseAddr(val)
		if perr != nil {
			return fmt.Errorf("argument --next-hop/-N: invalid ip_address value: '%s'", val)
		}
		o.nextHop = a.String()
	case "--ip":
		p, perr := parseNetwork(val)
		if perr != nil {
			return fmt.Errorf("argument --ip: invalid ip_network value: '%s'", val)
		}
		o.ips = append(o.ips, p)
	case "--ip-ifname":
		o.ipIfnames = append(o.ipIfnames, val)
	case "--local-preference":
		o.localPref, err = num()
	case "--deaggregate-networks":
		o.deaggregate = true
	case "--no-ip-setup":
		o.ipSetup = false
	case "--dynamic-ip-setup":
		o.ipDynamic = true
	case "--label":
		o.label = val
	case "--label-exact-match":
		o.labelExact = true
	case "--start-ip":
		o.startIP, err = num()
	case "--up-metric", "--down-metric", "--disabled-metric":
		var n int
		n, err = num()
		o.metric[hcState(strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(name, "--"), "-metric")))] = n
	case "--increase":
		o.increase, err = num()
	case "--community", "--extended-community", "--large-community", "--disabled-community",
		"--as-path", "--up-as-path", "--down-as-path", "--disabled-as-path":
		if err := attributeValue(name, val); err != nil {
			return err
		}
		switch name {
		case "--community":
			o.community = val
		case "--extended-community":
			o.extCommunity = val
		case "--large-community":
			o.largeCommunity = val
		case "--disabled-community":
			o.disabledCommunity = val
		case "--as-path":
			o.asPath = val
		default:
			o.stateASPath[hcState(strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(name, "--"), "-as-path")))] = val
		}
	case "--withdraw-on-down":
		o.withdrawOnDown = true
	case "--path-id":
		o.pathID, err = num()
	case "--neighbor":
		if strings.TrimSpace(val) == "*" {
			o.neighbors = append(o.neighbors, "*")
		} else {
			a, perr := netip.ParseAddr(val)
			if perr != nil {
				return fmt.Errorf("argument --neighbor: invalid neighbor_address value: '%s'", val)
			}
			o.neighbors = append(o.neighbors, a.String())
		}
	case "--debounce":
		o.debounce = true
	case "--execute":
		o.execute = append(o.execute, val)
	case "--up-execute", "--down-execute", "--disabled-execute":
		st := hcState(strings.ToUpper(strings.TrimSuffix(strings.TrimPrefix(name, "--"), "-execute")))
		o.stateExecute[st] = append(o.stateExecute[st], val)
	default:
		return fmt.Errorf("unrecognized arguments: %s", name)
	}
	return err
}

// attributeValue refuses control characters in text spliced into the API
// commands (a newline would split one command into several).
func attributeValue(name, v string) error {
	for _, c := range v {
		if c == '\t' {
			continue
		}
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			return fmt.Errorf("argument %s: %q contains the control character %q", name, v, c)
		}
	}
	return nil
}

// parseNetwork parses an address or a CIDR network (host bits refused,
// as Python's ip_network does).
func parseNetwork(s string) (netip.Prefix, error) {
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, err
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return p, err
	}
	if p.Masked() != p {
		return p, fmt.Errorf("%s has host bits set", s)
	}
	return p, nil
}

// resolveIfnames checks --ip-ifname IP%IFNAME pairs.
func (o *hcOptions) resolveIfnames() error {
	o.ifnames = map[netip.Prefix]string{}
	for _, v := range o.ipIfnames {
		parts := strings.Split(v, "%")
		if len(parts) != 2 {
			return fmt.Errorf("Expected IP to IFNAME parameter: <ip_address>%%<ifname>, got '%s'", v)
		}
		p, err := parseNetwork(parts[0])
		if err != nil {
			return err
		}
		found := false
		for _, ip := range o.ips {
			if ip == p {
				found = true
			}
		}
		if !found {
			return fmt.Errorf("No 'ip' parameter has been defined for the ip_ifname pair '%s'", v)
		}
		if !validIfname(parts[1]) {
			return fmt.Errorf("Expected NIC interface name but got '%s'", parts[1])
		}
		o.ifnames[p] = parts[1]
	}
	return nil
}

func validIfname(s string) bool {
	if len(s) < 1 || len(s) > 15 {
		return false
	}
	for _, c := range s {
		ok := c == '.' || c == '_' || c == ':' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
