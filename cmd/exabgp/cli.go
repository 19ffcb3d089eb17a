package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"exago/api"
	"exago/config"
)

const cliUsage = "usage: exabgp cli [-h] [--pipename PIPENAME] [--interactive] [command ...]\n"

// runCLI is `exabgp cli` (ExaBGP's application/cli.py): send one command
// through the named pipes and print the answer. With exabgp_cli_pipe set
// the binary is the daemon's internal CLI helper and bridges the pipes to
// its stdin/stdout instead (application/pipe.py). --interactive (an ExaGo
// addition) reads commands from stdin until EOF.
func runCLI(args []string) int {
	if dir := os.Getenv(api.EnvCLIPipe); dir != "" {
		name := os.Getenv("exabgp_api_pipename")
		if name == "" {
			name = pipeNameSetting()
		}
		return api.RunBridge(dir, name, os.Stdin, os.Stdout)
	}
	pipename, interactive, words, code := parseCLIArgs(args)
	if code >= 0 {
		return code
	}
	if pipename == "" {
		pipename = pipeNameSetting()
	}
	root := config.Root(os.Environ(), os.Args[0])
	dir, searched := api.FindPipes(root, pipename)
	if dir == "" {
		fmt.Printf("could not find ExaBGP's named pipes (%s.in and %s.out) for the cli\n", pipename, pipename)
		fmt.Print("we scanned the following folders (the number is your PID):\n - ")
		fmt.Print(strings.Join(searched, "\n - "))
		return 1
	}
	c := &api.Client{In: dir + pipename + ".in", Out: dir + pipename + ".out", Stdout: os.Stdout, Stderr: os.Stderr}
	if err := c.Open(); err != nil {
		fmt.Println(err)
		return 1
	}
	defer c.Close()
	if interactive {
		return cliInteractive(c)
	}
	if len(words) == 0 {
		fmt.Println(`no commmand provided, sending "help"`)
		words = []string{"help"}
	}
	return cliSend(c, words)
}

// cliSend expands and sends one command. ExaBGP always prints the
// expanded command (it compares a list with a string), and so do we.
func cliSend(c *api.Client, words []string) int {
	sending := api.Expand(words)
	fmt.Printf("command: %s\n", sending)
	if err := c.Send(sending); err != nil {
		fmt.Print(err.Error())
		return 1
	}
	return 0
}

// cliInteractive reads commands line by line from stdin.
func cliInteractive(c *api.Client) int {
	in := bufio.NewScanner(os.Stdin)
	for {
		fmt.Print("exabgp> ")
		if !in.Scan() {
			fmt.Println()
			return 0
		}
		words := strings.Fields(in.Text())
		if len(words) == 0 {
			continue
		}
		if words[0] == "exit" || words[0] == "quit" {
			return 0
		}
		if code := cliSend(c, words); code != 0 {
			return code
		}
	}
}

// parseCLIArgs parses argparse-style options; code >= 0 means exit now.
func parseCLIArgs(args []string) (pipename string, interactive bool, words []string, code int) {
	code = -1
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case len(words) > 0:
			words = append(words, a)
		case a == "-h" || a == "--help":
			fmt.Print(cliUsage + "\npositional arguments:\n  command               command to run on the router\n\n" +
				"options:\n  -h, --help            show this help message and exit\n" +
				"  --pipename PIPENAME   Name of the pipe\n  --interactive         read commands from stdin\n")
			return "", false, nil, 0
		case a == "--pipename":
			if i+1 >= len(args) {
				fmt.Fprint(os.Stderr, cliUsage+"exabgp cli: error: argument --pipename: expected one argument\n")
				return "", false, nil, 2
			}
			i++
			pipename = args[i]
		case strings.HasPrefix(a, "--pipename="):
			pipename = strings.TrimPrefix(a, "--pipename=")
		case a == "--interactive":
			interactive = true
		case a == "--":
			words = append(words, args[i+1:]...)
			return pipename, interactive, words, code
		case strings.HasPrefix(a, "-") && len(a) > 1:
			fmt.Fprint(os.Stderr, cliUsage+"exabgp cli: error: unrecognized arguments: "+a+"\n")
			return "", false, nil, 2
		default:
			words = append(words, a)
		}
	}
	return pipename, interactive, words, code
}

// pipeNameSetting is api.pipename from the environment and env file.
func pipeNameSetting() string {
	env, err := loadEnv()
	if err != nil || env.API.PipeName == "" {
		return "exabgp"
	}
	return env.API.PipeName
}
