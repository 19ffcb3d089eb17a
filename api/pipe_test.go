package api

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/sys/unix"

	"exago/config"
)

func TestExpand(t *testing.T) {
	for in, want := range map[string]string{
		"s n s":                           "show neighbor summary",
		"sh n 10.0.0.1 e":                 "show neighbor 10.0.0.1 extensive",
		"s a i":                           "show adj-rib in",
		"s a o e":                         "show adj-rib out extensive",
		"a e ipv4 unicast":                "announce eor ipv4 unicast",
		"a r 1.0.0.0/24 next-hop 1.1.1.1": "announce r 1.0.0.0/24 next-hop 1.1.1.1", // ExaBGP quirk
		"w w dog":                         "withdraw watchdog dog",
		"f a o":                           "flush adj-rib out",
		"t 4":                             "teardown 4",
		"neighbour 10.0.0.1 t 4":          "neighbor 10.0.0.1 t 4",
		"h":                               "help",
	} {
		if got := Expand(strings.Fields(in)); got != want {
			t.Errorf("Expand(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFindPipes(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "run")
	os.MkdirAll(dir, 0o755)
	if got, _ := FindPipes(root, "exagotest"); got != "" {
		t.Fatalf("found pipes in %q before creating them", got)
	}
	for _, s := range []string{".in", ".out"} {
		if err := unix.Mkfifo(filepath.Join(dir, "exagotest"+s), 0o600); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	if got, _ := FindPipes(root, "exagotest"); got != root+"/run/" {
		t.Errorf("FindPipes = %q", got)
	}
}

// TestBridge runs the pipe bridge with a fake daemon on its stdin/stdout
// and a CLI client on the FIFOs.
func TestBridge(t *testing.T) {
	dir := t.TempDir() + "/"
	for _, s := range []string{".in", ".out"} {
		if err := unix.Mkfifo(dir+"exabgp"+s, 0o600); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	toBridgeR, toBridgeW, _ := os.Pipe()     // daemon -> bridge stdin
	fromBridgeR, fromBridgeW, _ := os.Pipe() // bridge stdout -> daemon
	exit := make(chan int, 1)
	go func() { exit <- RunBridge(dir, "exabgp", toBridgeR, fromBridgeW) }()

	// the fake daemon: answers enable-ack, then each command
	daemon := make(chan string, 8)
	go func() {
		sc := bufio.NewScanner(fromBridgeR)
		for sc.Scan() {
			line := sc.Text()
			daemon <- line
			switch line {
			case "enable-ack":
				toBridgeW.WriteString("done\n")
			case "version":
				toBridgeW.WriteString("exabgp 5.0.13\ndone\n")
			default:
				toBridgeW.WriteString("error\n")
			}
		}
	}()
	if got := <-daemon; got != "enable-ack" {
		t.Fatalf("bridge sent %q first", got)
	}
	var out, errs bytes.Buffer
	c := &Client{In: dir + "exabgp.in", Out: dir + "exabgp.out", Stdout: &out, Stderr: &errs}
	if err := c.Open(); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Send("version"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "exabgp 5.0.13\n" {
		t.Errorf("answer %q", out.String())
	}
	out.Reset()
	if err := c.Send("bogus"); err != nil {
		t.Fatal(err)
	}
	if out.String() != "" || !bytes.Contains(errs.Bytes(), []byte("ExaBGP returns an error")) {
		t.Errorf("error answer: out %q err %q", out.String(), errs.String())
	}
	toBridgeW.Close()
	if code := <-exit; code != 1 {
		t.Errorf("bridge exit %d when the daemon went away", code)
	}
	fromBridgeW.Close()
}

func TestSetupCLI(t *testing.T) {
	root := t.TempDir()
	env := config.DefaultEnv()
	env.API.PipeName = "exagosetup"
	if p, _ := SetupCLI(zerolog.Nop(), env, root, "/bin/exabgp", time.Unix(1, 0)); p != nil {
		t.Fatalf("helper without pipes: %+v", p)
	}
	os.MkdirAll(root+"/run", 0o755)
	for _, s := range []string{".in", ".out"} {
		if err := unix.Mkfifo(root+"/run/exagosetup"+s, 0o600); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	p, extra := SetupCLI(zerolog.Nop(), env, root, "/bin/exabgp", time.Unix(1, 0))
	if p == nil || !strings.HasPrefix(p.Name, InternalPrefix+"-") || p.Run[0] != "/bin/exabgp" || p.Run[1] != "cli" || p.Encoder != "text" {
		t.Fatalf("helper %+v", p)
	}
	if len(extra) != 2 || extra[0] != EnvCLIPipe+"="+root+"/run/" || extra[1] != "exabgp_api_pipename=exagosetup" {
		t.Errorf("env %v", extra)
	}
	// the internal helper keeps exabgp_cli_pipe, the others lose it
	t.Setenv(EnvCLIPipe, "/somewhere/")
	if env := childEnv("helper", nil); contains(env, EnvCLIPipe+"=/somewhere/") || !contains(env, "TERM=dumb") {
		t.Errorf("helper env keeps the pipe or lacks TERM: %v", env)
	}
	if env := childEnv(p.Name, nil); !contains(env, EnvCLIPipe+"=/somewhere/") {
		t.Errorf("internal helper env lost the pipe")
	}
}
