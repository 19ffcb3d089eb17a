package main

import (
	"fmt"
	"os"
)

func runEnv(args []string) int {
	fmt.Fprintln(os.Stderr, "exabgp env: not implemented yet")
	return 1
}
