// Command exabgp is ExaGo's drop-in replacement for ExaBGP 5.0's `exabgp`.
//
// Dispatch follows ExaBGP's application/main.py: `--env-file PATH` (or
// `--env-file=PATH`) is removed from the arguments first and exported as
// $EXABGP_ENVFILE so every subcommand finds it (use [loadEnv]); a first
// argument that is not a subcommand means `server` (4.x compatibility)
// unless -h/--help appears; no argument prints the usage and the settings
// list and exits 1; usage errors exit 2.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// subcommands are the words ExaBGP 5.0 dispatches on (application/main.py).
var subcommands = map[string]func(args []string) int{
	"server":      runServer,
	"validate":    runValidate,
	"decode":      runDecode,
	"env":         runEnv,
	"version":     runVersion,
	"cli":         runCLI,
	"healthcheck": runHealthcheck,
}

// subcommandOrder is argparse's registration order, as the usage shows it.
var subcommandOrder = []string{"version", "cli", "healthcheck", "env", "decode", "server", "validate"}

var subcommandHelp = map[string]string{
	"version":     "report exabgp version",
	"cli":         "control a running exabgp server instance",
	"healthcheck": "monitor services and announce/withdraw routes",
	"env":         "show exabgp configuration information",
	"decode":      "decode hex-encoded bgp packets",
	"server":      "start exabgp",
	"validate":    "validate configuration",
}

func main() {
	os.Exit(dispatch(os.Args[1:]))
}

func dispatch(args []string) int {
	args, envFile, hasEnvFile := stripEnvFile(args)
	if hasEnvFile {
		os.Setenv("EXABGP_ENVFILE", envFile)
	}
	if os.Getenv("exabgp_cli_pipe") != "" {
		// The daemon re-executes this binary as its internal CLI helper
		// (application/pipe.py): argv is not parsed, the exit code is 0.
		runCLI(nil)
		return 0
	}
	if len(args) == 0 {
		printMainUsage(os.Stdout, true)
		printEnvDefaults(os.Stdout)
		return 1
	}
	help := false
	for _, a := range args {
		if a == "-h" || a == "--help" {
			help = true
		}
	}
	if fn, ok := subcommands[args[0]]; ok {
		return fn(args[1:])
	}
	if help {
		if strings.HasPrefix(args[0], "-") {
			printMainUsage(os.Stdout, true)
			return 0
		}
		printMainUsage(os.Stderr, false)
		fmt.Fprintf(os.Stderr, "exabgp: error: argument command: invalid choice: '%s' (choose from %s)\n", args[0], "'"+strings.Join(subcommandOrder, "', '")+"'")
		return 2
	}
	// ExaBGP 4.x compatibility: `exabgp FILE...` and `exabgp -d -p FILE...`
	// mean `exabgp server ...`.
	return runServer(args)
}

// stripEnvFile removes the first `--env-file PATH` / `--env-file=PATH`.
func stripEnvFile(args []string) ([]string, string, bool) {
	for i, a := range args {
		if a == "--env-file" && i < len(args)-1 {
			out := append(append([]string{}, args[:i]...), args[i+2:]...)
			return out, args[i+1], true
		}
		if strings.HasPrefix(a, "--env-file=") {
			out := append(append([]string{}, args[:i]...), args[i+1:]...)
			return out, strings.TrimPrefix(a, "--env-file="), true
		}
	}
	return args, "", false
}

func printMainUsage(w io.Writer, full bool) {
	choices := "{" + strings.Join(subcommandOrder, ",") + "}"
	fmt.Fprintf(w, "usage: exabgp [-h] %s ...\n", choices)
	if !full {
		return
	}
	fmt.Fprint(w, "\nThe BGP swiss army knife of networking\n\n"+
		"A configuration file can be passed directly:\n"+
		"  exabgp config.conf     (equivalent to: exabgp server config.conf)\n\n"+
		"Environment file override:\n"+
		"  exabgp --env-file /path/to/exabgp.env server config.conf\n"+
		"  EXABGP_ENVFILE=/path/to/exabgp.env exabgp server config.conf\n\n"+
		"positional arguments:\n")
	fmt.Fprintf(w, "  %s\n", choices)
	for _, c := range subcommandOrder {
		fmt.Fprintf(w, "    %-20s%s\n", c, subcommandHelp[c])
	}
	fmt.Fprint(w, "\noptions:\n  -h, --help            show this help message and exit\n")
}

// flagSpec describes one boolean or valued option of a subcommand.
type flagSpec struct {
	short, long string
	value       bool // takes an argument
	help        string
}

// parsedArgs is the result of parseArgs: options seen (by long name) and
// positional arguments.
type parsedArgs struct {
	set    map[string]bool
	values map[string]string
	pos    []string
}

// usageError is an argparse-style usage error: the caller prints usage
// and the message on stderr and exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// parseArgs parses args the way argparse does for simple option sets:
// combined short flags (-nrv), --long, --long=value, -xVALUE, `--` and
// interleaved positionals. -h/--help sets "help".
func parseArgs(args []string, specs []flagSpec) (*parsedArgs, error) {
	p := &parsedArgs{set: map[string]bool{}, values: map[string]string{}}
	find := func(short, long string) *flagSpec {
		for i := range specs {
			if (short != "" && specs[i].short == short) || (long != "" && specs[i].long == long) {
				return &specs[i]
			}
		}
		return nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			p.pos = append(p.pos, args[i+1:]...)
			return p, nil
		case a == "-h" || a == "--help":
			p.set["help"] = true
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			s := find("", name)
			if s == nil {
				return nil, &usageError{"unrecognized arguments: " + a}
			}
			if s.value {
				if !hasVal {
					if i+1 >= len(args) {
						return nil, &usageError{"argument --" + s.long + ": expected one argument"}
					}
					i++
					val = args[i]
				}
				p.values[s.long] = val
			}
			p.set[s.long] = true
		case len(a) > 1 && a[0] == '-' && !isNumber(a):
			for j := 1; j < len(a); j++ {
				s := find(a[j:j+1], "")
				if a[j] == 'h' {
					p.set["help"] = true
					continue
				}
				if s == nil {
					return nil, &usageError{"unrecognized arguments: " + a}
				}
				p.set[s.long] = true
				if s.value {
					val := a[j+1:]
					if val == "" {
						if i+1 >= len(args) {
							return nil, &usageError{"argument -" + s.short + "/--" + s.long + ": expected one argument"}
						}
						i++
						val = args[i]
					}
					p.values[s.long] = val
					break
				}
			}
		default:
			p.pos = append(p.pos, a)
		}
	}
	return p, nil
}

func isNumber(s string) bool {
	for i := 1; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return len(s) > 1
}
