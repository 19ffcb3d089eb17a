package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/unix"

	"exago/config"
)

// runVersion prints ExaBGP's four-line version report (application/
// version.py) with the Go runtime in place of Python.
func runVersion(args []string) int {
	p, err := parseArgs(args, nil)
	if err == nil && len(p.pos) > 0 {
		err = &usageError{"unrecognized arguments: " + strings.Join(p.pos, " ")}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "usage: exabgp version [-h]")
		fmt.Fprintln(os.Stderr, "exabgp version: error: "+err.Error())
		return 2
	}
	if p.set["help"] {
		fmt.Print("usage: exabgp version [-h]\n\nexabgp current version\n\noptions:\n  -h, --help  show this help message and exit\n")
		return 0
	}
	environ := os.Environ()
	fmt.Printf("ExaBGP : %s\n", config.Version(environ))
	fmt.Printf("Go     : %s (ExaGo %s)\n", runtime.Version(), config.ExaGoVersion)
	fmt.Printf("Uname  : %s\n", uname())
	fmt.Printf("From   : %s\n", config.Root(environ, argv0()))
	return 0
}

// uname is Python's ' '.join(platform.uname()[:5]): system, node,
// release, version, machine.
func uname() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return runtime.GOOS + " " + runtime.GOARCH
	}
	parts := []string{
		unix.ByteSliceToString(u.Sysname[:]), unix.ByteSliceToString(u.Nodename[:]),
		unix.ByteSliceToString(u.Release[:]), unix.ByteSliceToString(u.Version[:]),
		unix.ByteSliceToString(u.Machine[:]),
	}
	return strings.Join(parts, " ")
}
