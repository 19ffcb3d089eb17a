package main

import (
	"fmt"
	"os"
)

func runDecode(args []string) int {
	fmt.Fprintln(os.Stderr, "exabgp decode: not implemented yet")
	return 1
}
