package main

import (
	"fmt"
	"os"
)

func runCLI(args []string) int {
	fmt.Fprintln(os.Stderr, "exabgp cli: not implemented yet")
	return 1
}
