// Command exabgp is ExaGo's drop-in replacement for ExaBGP 5.0's `exabgp`.
package main

import (
	"fmt"
	"os"
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

func main() {
	os.Exit(dispatch(os.Args[1:]))
}

func dispatch(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: exabgp {server,validate,decode,env,version,cli,healthcheck} ...")
		return 1
	}
	if fn, ok := subcommands[args[0]]; ok {
		return fn(args[1:])
	}
	// ExaBGP 4.x compatibility: `exabgp FILE...` means `exabgp server FILE...`.
	return runServer(args)
}
