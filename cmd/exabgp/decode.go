package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"exago/api/format"
	"exago/config"
	"exago/wire"
)

// decodeUsage is ExaBGP's help for a payload that is not hexadecimal
// (application/decode.py).
const decodeUsage = `The BGP message must be an hexadecimal string.

All colons or spaces are ignored, for example:

  001E0200000007900F0003000101
  001E:02:0000:0007:900F:0003:0001:01
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007900F0003000101
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02:0000:0007:900F:0003:0001:01
  FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF 001E02 00000007900F0003000101
`

// decodeArgs are the flags of `exabgp decode` (ExaBGP's argparse set).
type decodeArgs struct {
	nlri, addPath bool
	family        string
	config        string
	payload       []string
	help          bool
}

func runDecode(args []string) int { return decodeMain(args, os.Stdout, os.Stderr) }

// decodeMain is `exabgp decode`: it prints one JSON line for the message
// and returns 0, or prints why the payload is invalid and returns 1 (2 for
// a usage error, as argparse).
func decodeMain(args []string, stdout, stderr io.Writer) int {
	a, err := parseDecodeArgs(args)
	if err != nil {
		fmt.Fprintln(stderr, "usage: exabgp decode [-h] [-n] [-u] [-o] [-d] [-p] [-c CONFIGURATION] [-f FAMILY] [-i] payload")
		fmt.Fprintln(stderr, "exabgp decode: error:", err)
		return 2
	}
	if a.help {
		fmt.Fprint(stdout, decodeHelp)
		return 0
	}
	raw, err := format.ParsePayload(strings.Join(a.payload, ""))
	if err != nil {
		fmt.Fprint(stdout, decodeUsage)
		fmt.Fprintln(stderr, "exabgp decode:", err)
		return 1
	}
	nb := format.DecodeNeighbor()
	fams, addPath, err := decodeContext(&a, &nb)
	if err != nil {
		fmt.Fprintln(stdout, err)
		return 1
	}
	neg := format.DecodeSession(fams, addPath)
	enc := &format.Encoder{Host: hostname(), PID: os.Getpid(), PPID: os.Getppid()}
	var out []byte
	if a.nlri {
		f := wire.IPv4Unicast
		if len(fams) > 0 {
			f = fams[0]
		}
		out, err = format.NLRI(nil, f, raw, addPath)
	} else {
		out, err = enc.DecodePayload(nil, &nb, raw, neg)
	}
	if err != nil {
		fmt.Fprintln(stdout, "invalid payload:", err)
		return 1
	}
	out = append(out, '\n')
	stdout.Write(out)
	return 0
}

// decodeContext sets the synthetic neighbor's families and add-path from
// -f/-i, or from the first neighbor of -c FILE.
func decodeContext(a *decodeArgs, nb *format.Neighbor) ([]wire.Family, bool, error) {
	if a.config != "" {
		cfg, err := config.Load([]string{a.config}, nil)
		if err != nil {
			return nil, false, err
		}
		if len(cfg.Neighbors) == 0 {
			return nil, false, fmt.Errorf("%s: no neighbor to decode with", a.config)
		}
		n := cfg.Neighbors[0]
		nb.PeerAddr = n.PeerAddress.Addr()
		if n.LocalAddress.IsValid() {
			nb.LocalAddr = n.LocalAddress
		}
		nb.LocalAS, nb.PeerAS = n.LocalAS.Value, n.PeerAS.Value
		if n.RouterID.IsValid() {
			nb.RouterID = n.RouterID
		}
		return n.Families, n.Capability.AddPath != 0 || a.addPath, nil
	}
	if a.family == "" {
		return nil, a.addPath, nil
	}
	words := strings.Fields(a.family)
	if len(words)%2 != 0 {
		return nil, false, fmt.Errorf("families provided are invalid")
	}
	var fams []wire.Family
	for i := 0; i < len(words); i += 2 {
		afi, ok1 := wire.ParseAFI(strings.ToLower(words[i]))
		safi, ok2 := wire.ParseSAFI(strings.ToLower(words[i+1]))
		if !ok1 || !ok2 {
			return nil, false, fmt.Errorf("families provided are invalid: unknown family %q", words[i]+" "+words[i+1])
		}
		fams = append(fams, wire.Family{AFI: afi, SAFI: safi})
	}
	return fams, a.addPath, nil
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return h
}

const decodeHelp = `usage: exabgp decode [-h] [-n] [-u] [-o] [-d] [-p] [-c CONFIGURATION] [-f FAMILY] [-i] payload

positional arguments:
  payload               the BGP payload in hexadecimal

options:
  -h, --help            show this help message and exit
  -n, --nlri            the data is only the NLRI
  -u, --update          the data is an update message (does nothing)
  -o, --open            the data is an open message (does nothing)
  -d, --debug           start the python debugger errors
  -p, --pdb             fire the debugger on fault
  -c CONFIGURATION, --configuration CONFIGURATION
                        configuration file(s)
  -f FAMILY, --family FAMILY
                        family expected (format like "ipv4 unicast")
  -i, --path-information
                        decode path-information
`

// parseDecodeArgs parses decode's command line as argparse would: short
// flags may be grouped (-ui), values may follow as the next word, glued
// (-fipv4) or after = (--family=...). The payload words are kept in order.
func parseDecodeArgs(args []string) (decodeArgs, error) {
	var a decodeArgs
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w == "--" {
			a.payload = append(a.payload, args[i+1:]...)
			break
		}
		if strings.HasPrefix(w, "--") {
			name, val, hasVal := strings.Cut(w[2:], "=")
			switch name {
			case "nlri", "update", "open", "debug", "pdb", "path-information", "help":
				if hasVal {
					return a, errors.New("argument --" + name + ": ignored explicit argument '" + val + "'")
				}
				a.flag(name[0:1], name)
			case "family", "configuration":
				if !hasVal {
					if i+1 >= len(args) {
						return a, errors.New("argument --" + name + ": expected one argument")
					}
					i++
					val = args[i]
				}
				a.value(name, val)
			default:
				return a, errors.New("unrecognized arguments: " + w)
			}
			continue
		}
		if len(w) > 1 && w[0] == '-' {
			for k := 1; k < len(w); k++ {
				c := w[k]
				switch c {
				case 'n', 'u', 'o', 'd', 'p', 'i', 'h':
					a.flag(string(c), "")
				case 'f', 'c':
					val := w[k+1:]
					if val == "" {
						if i+1 >= len(args) {
							return a, errors.New("argument -" + string(c) + ": expected one argument")
						}
						i++
						val = args[i]
					}
					name := "family"
					if c == 'c' {
						name = "configuration"
					}
					a.value(name, val)
					k = len(w)
				default:
					return a, errors.New("unrecognized arguments: " + w)
				}
			}
			continue
		}
		a.payload = append(a.payload, w)
	}
	if len(a.payload) == 0 && !a.help {
		return a, errors.New("the following arguments are required: payload")
	}
	return a, nil
}

func (a *decodeArgs) flag(short, long string) {
	switch {
	case short == "n":
		a.nlri = true
	case short == "i" || long == "path-information":
		a.addPath = true
	case short == "h":
		a.help = true
	}
}

func (a *decodeArgs) value(name, val string) {
	if name == "family" {
		a.family = val
	} else {
		a.config = val
	}
}
