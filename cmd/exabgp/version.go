package main

import (
	"fmt"
	"os"
)

func runVersion(args []string) int {
	fmt.Fprintln(os.Stderr, "exabgp version: not implemented yet")
	return 1
}
