package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"exago/config"
)

var envFlags = []flagSpec{
	{"d", "diff", false, "show only the different from the defaults"},
	{"e", "env", false, "display using environment (not ini)"},
}

// loadEnv reads the settings as ExaBGP does: the env file found from
// --env-file (exported as $EXABGP_ENVFILE by dispatch), $EXABGP_ENVFILE or
// ROOT/etc/exabgp/exabgp.env, and the process environment.
func loadEnv() (*config.Env, error) {
	environ := os.Environ()
	root := config.Root(environ, argv0())
	return config.LoadEnv(config.EnvFilePath("", environ, root), environ)
}

func runEnv(args []string) int { return envMain(args, os.Stdout, os.Stderr) }

func envMain(args []string, stdout, stderr io.Writer) int {
	p, err := parseArgs(args, envFlags)
	if err == nil && len(p.pos) > 0 {
		err = &usageError{"unrecognized arguments: " + p.pos[0]}
	}
	if err != nil {
		fmt.Fprintln(stderr, "usage: exabgp env [-h] [-d] [-e]")
		fmt.Fprintln(stderr, "exabgp env: error: "+err.Error())
		return 2
	}
	if p.set["help"] {
		fmt.Fprint(stdout, "usage: exabgp env [-h] [-d] [-e]\n\nexabgp environement values\n\noptions:\n"+
			"  -h, --help  show this help message and exit\n"+
			"  -d, --diff  show only the different from the defaults\n"+
			"  -e, --env   display using environment (not ini)\n")
		return 0
	}
	env, err := loadEnv()
	if err != nil {
		fmt.Fprintln(stderr, "error: "+err.Error())
		return 1
	}
	if p.set["env"] {
		err = env.WriteEnvLines(stdout, p.set["diff"])
	} else {
		err = env.WriteINI(stdout, p.set["diff"])
	}
	if err != nil {
		return 1
	}
	return 0
}

func printEnvDefaults(w io.Writer) {
	config.WriteDefaults(w)
}

// argv0 is the path of this program as ExaBGP's sys.argv[0] would be: the
// executable's path even when it was started through $PATH.
func argv0() string {
	if strings.ContainsRune(os.Args[0], '/') {
		return os.Args[0]
	}
	if p, err := os.Executable(); err == nil {
		return p
	}
	return os.Args[0]
}
