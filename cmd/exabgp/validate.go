package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"exago/api/format"
	"exago/config"
	"exago/reactor"
)

var validateFlags = []flagSpec{
	{"n", "neighbor", false, "check the parsing of the neighbors"},
	{"r", "route", false, "check the parsing of the routes"},
	{"v", "verbose", false, "be verbose in the display"},
	{"p", "pdb", false, "fire the debugger on critical logging, SIGTERM, and exceptions (shortcut for exabgp.pdb.enable=true)"},
}

const validateUsage = "usage: exabgp validate [-h] [-n] [-r] [-v] [-p]\n                       configuration [configuration ...]\n"

// runValidate is `exabgp validate [-n] [-r] [-v] [-p] FILE...`
// (application/validate.py). Everything but the final `error:` line goes
// through the daemon's logger, as in ExaBGP: with the default settings
// (log.destination stdout, which ExaBGP writes to standard error, short
// format, level INFO) `validate FILE` prints
//
//	configuration   loading FILE
//	configuration   ✓ loading
//
// on standard error. -n adds `checking neighbors` (warning) and
// `✓ neighbor  IP` (info), -r `checking routes` and `✓ routes`. -v turns
// on every log category at DEBUG first: the parsed neighbors are then
// logged back as configuration, each line under the file name as its
// source (ExaBGP logs them with the file name as the log source), and
// each route as `parser parsed route ...`. The first failure logs and
// prints `error: FILE is not a valid config file: ...` and exits 1.
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
	if p.set["verbose"] {
		env.Log.All, env.Log.Level = true, "DEBUG"
	}
	if p.set["pdb"] {
		env.Debug.PDB = true
	}
	logs, err := reactor.NewLog(env, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "error: "+err.Error())
		return 1
	}
	defer logs.Close()
	cfgLog := logs.For(reactor.CatConfiguration)
	parserLog := logs.For(reactor.CatParser)
	fail := func(msg string) int {
		cfgLog.Error().Msg(msg)
		fmt.Fprintf(stderr, "error: %s\n", msg)
		return 1
	}
	root := config.Root(os.Environ(), argv0())
	for _, name := range p.pos {
		cfgLog.Info().Msg("loading " + name)
		location := findConfig(name, root)
		if location == "" {
			return fail(name + " is not an exabgp config file (file not found)")
		}
		cfg, err := config.Load([]string{location}, env)
		if err != nil {
			return fail(fmt.Sprintf("%s is not a valid config file: %s", name, err))
		}
		cfgLog.Info().Msg("\u2713 loading")
		for _, at := range cfg.Unparsed {
			cfgLog.Debug().Msgf("%s: family routes accepted but not built (no grammar registered)", at)
		}
		if p.set["neighbor"] {
			cfgLog.Warn().Msg("checking neighbors")
			// the source of these lines is the file name; the logger's
			// last "source" field is the one printed
			fileLog := cfgLog.With().Str("source", name).Logger()
			for _, n := range cfg.Neighbors {
				if fileLog.Debug().Enabled() {
					for _, line := range strings.Split(config.NeighborTextWith(n, routeText), "\n") {
						fileLog.Debug().Msg(line)
					}
				}
				cfgLog.Info().Msg("\u2713 neighbor  " + strings.Fields(n.Name)[1])
			}
		}
		if p.set["route"] {
			cfgLog.Warn().Msg("checking routes")
			for _, n := range cfg.Neighbors {
				for i := range n.Routes {
					if !n.Routes[i].Withdrawn {
						parserLog.Debug().Msg("parsed route " + routeText(&n.Routes[i]))
					}
				}
			}
			cfgLog.Info().Msg("\u2713 routes")
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
