package main

import (
	"fmt"
	"os"
)

func runValidate(args []string) int {
	fmt.Fprintln(os.Stderr, "exabgp validate: not implemented yet")
	return 1
}
