package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"exago/api/format"
	"exago/config"
)

var validateFlags = []flagSpec{
	{"n", "neighbor", false, "check the parsing of the neighbors"},
	{"r", "route", false, "check the parsing of the routes"},
	{"v", "verbose", false, "be verbose in the display"},
	{"p", "pdb", false, "fire the debugger on critical logging, SIGTERM, and exceptions (shortcut for exabgp.pdb.enable=true)"},
}

const validateUsage = "usage: exabgp validate [-h] [-n] [-r] [-v] [-p]\n                       configuration [configuration ...]\n"

// runValidate is `exabgp validate [-n] [-r] [-v] [-p] FILE...`
// (application/validate.py): each file is loaded in turn; the first
// failure prints `error: FILE is not a valid config file: ...` and exits
// 1. -n prints each neighbor back as configuration, -r its routes.
func runValidate(args []string) int { return validateMain(args, os.Stdout, os.Stderr) }

func validateMain(args []string, stdout, stderr io.Writer) int {
	p, err := parseArgs(args, validateFlags)
	if err == nil && !p.set["help"] && len(p.pos) == 0 {
		err = &usageError{"the following arguments are required: configuration"}
	}
	if err != nil {
		fmt.Fprint(stderr, validateUsage)
		fmt.Fprintln(stderr, "exabgp validate: error: "+err.Error())
		return 2
	}
	if p.set["help"] {
		fmt.Fprint(stdout, validateUsage+"\nexabgp configuration validation\n\npositional arguments:\n  configuration   configuration file(s)\n\noptions:\n  -h, --help      show this help message and exit\n")
		for _, f := range validateFlags {
			fmt.Fprintf(stdout, "  -%s, --%-9s %s\n", f.short, f.long, f.help)
		}
		return 0
	}
	env, err := loadEnv()
	if err != nil {
		fmt.Fprintln(stderr, "error: "+err.Error())
		return 1
	}
	root := config.Root(os.Environ(), argv0())
	for _, name := range p.pos {
		if p.set["verbose"] {
			fmt.Fprintf(stdout, "loading %s\n", name)
		}
		location := findConfig(name, root)
		if location == "" {
			fmt.Fprintf(stderr, "error: %s is not an exabgp config file (file not found)\n", name)
			return 1
		}
		cfg, err := config.Load([]string{location}, env)
		if err != nil {
			fmt.Fprintf(stderr, "error: %s is not a valid config file: %s\n", name, err)
			return 1
		}
		if p.set["verbose"] {
			fmt.Fprintln(stdout, "\u2713 loading")
			for _, at := range cfg.Unparsed {
				fmt.Fprintf(stdout, "note: %s: family routes accepted but not built (no grammar registered)\n", at)
			}
		}
		if p.set["neighbor"] {
			for _, n := range cfg.Neighbors {
				fmt.Fprintln(stdout, config.NeighborTextWith(n, routeText))
				if p.set["verbose"] {
					fmt.Fprintf(stdout, "\u2713 neighbor  %s\n", strings.Fields(n.Name)[1])
				}
			}
		}
		if p.set["route"] {
			for _, n := range cfg.Neighbors {
				for i := range n.Routes {
					if !n.Routes[i].Withdrawn {
						fmt.Fprintf(stdout, "neighbor %s announce %s\n", n.PeerAddress.Addr(), routeText(&n.Routes[i]))
					}
				}
			}
			if p.set["verbose"] {
				fmt.Fprintln(stdout, "\u2713 routes")
			}
		}
	}
	return 0
}

// routeText is a route as ExaBGP's Change.extensive() prints it (the
// static section of `validate -n`), falling back to the configuration
// form for families api/format cannot render.
func routeText(r *config.Route) string {
	if r.NLRI != nil {
		if b, err := format.RouteText(nil, r.NLRI, r.NextHop, &r.Attrs); err == nil {
			return string(b)
		}
	}
	return config.RouteText(r)
}

// findConfig is ExaBGP's getconf: etc/exabgp/... is taken under
// ROOT/etc/exabgp, anything else relative to the working directory; it
// must be a regular file.
func findConfig(name, root string) string {
	path := name
	if strings.HasPrefix(name, "etc/exabgp") {
		path = filepath.Join(root, "etc", "exabgp", strings.TrimPrefix(name[10:], "/"))
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return ""
	}
	st, err := os.Stat(abs)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return abs
}
