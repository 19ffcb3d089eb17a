package main

import (
	"fmt"
	"os"
)

func runHealthcheck(args []string) int {
	fmt.Fprintln(os.Stderr, "exabgp healthcheck: not implemented yet")
	return 1
}
