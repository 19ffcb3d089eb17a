package qa

// Helper programs for the API end-to-end tests (api_e2e_test.go). The
// daemon runs this very test binary as its `process` helpers:
//
//	<qa.test> -test.run=TestAPIE2EHelperProcess -- MODE ARGS...
//
// with EXAGO_APIE2E_HELPER=1 in its environment (the daemon passes its
// environment on to its helpers). Without that variable
// TestAPIE2EHelperProcess does nothing, so it is harmless in a normal run.
//
// Modes:
//
//	announce N OUT   once a JSON `"state": "up"` event arrives, write N
//	                 `announce route` lines; count the answers on
//	                 stdin; OUT gets "done=D error=E other=O" once N answers
//	                 arrived (and again for every later one); reads until EOF
//	silent DIR       never reads stdin; creates DIR/<pid> when it starts and
//	                 exits when the daemon goes away
//	relay SOCK       connects to the unix socket SOCK and copies it to stdout
//	                 (commands) and stdin to it (answers): the test's hand on
//	                 the API

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"exago/qa/bench"
)

const apiE2EHelperEnv = "EXAGO_APIE2E_HELPER"

// apiE2EHelperRun is the `run` value of a helper in the given mode.
func apiE2EHelperRun(t *testing.T, mode string, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("cannot find the test binary to run as a helper: %v", err)
	}
	s := exe + " -test.run=TestAPIE2EHelperProcess -- " + mode
	for _, a := range args {
		s += " " + a
	}
	return s
}

func TestAPIE2EHelperProcess(t *testing.T) {
	if os.Getenv(apiE2EHelperEnv) != "1" {
		return // only a helper when the daemon runs it
	}
	args := flag.Args()
	var err error
	switch {
	case len(args) == 3 && args[0] == "announce":
		n, _ := strconv.Atoi(args[1])
		err = apiE2EAnnounce(n, args[2])
	case len(args) == 2 && args[0] == "silent":
		err = apiE2ESilent(args[1])
	case len(args) == 2 && args[0] == "relay":
		err = apiE2ERelay(args[1])
	default:
		err = fmt.Errorf("unknown helper mode %q", args)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "api e2e helper %v: %v\n", args, err)
		os.Exit(1)
	}
	// Exit here: the testing package would print PASS on stdout, which
	// the daemon would read as a command.
	os.Exit(0)
}

func apiE2EAnnounce(n int, out string) error {
	up := make(chan struct{})
	counted := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(os.Stdin)
		sc.Buffer(make([]byte, 1<<16), 1<<24)
		var done, errs, other int
		isUp := false
		for sc.Scan() {
			switch l := sc.Text(); {
			case l == "done":
				done++
			case l == "error":
				errs++
			case strings.HasPrefix(l, "{"): // a JSON event (neighbor-changes)
				if !isUp && strings.Contains(l, `"state": "up"`) {
					isUp = true
					close(up)
				}
				continue
			default:
				other++
			}
			if done+errs+other >= n {
				tmp := out + ".tmp"
				s := fmt.Sprintf("done=%d error=%d other=%d\n", done, errs, other)
				if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
					counted <- err
					return
				}
				if err := os.Rename(tmp, out); err != nil {
					counted <- err
					return
				}
			}
		}
		counted <- sc.Err()
	}()
	// Announce once the session is up, so that every command becomes an
	// UPDATE on a live session.
	select {
	case <-up:
	case err := <-counted:
		return fmt.Errorf("stdin ended before the session came up: %v", err)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	for i := range n {
		fmt.Fprintf(w, "announce route %s next-hop 127.0.0.1\n", bench.RoutePrefix(i))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return <-counted
}

func apiE2ESilent(dir string) error {
	ppid := os.Getppid()
	if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(os.Getpid())), nil, 0o644); err != nil {
		return err
	}
	// Never read stdin. SIGTERM from the daemon ends us (default action);
	// so does the daemon's death, seen as a new parent.
	for os.Getppid() == ppid {
		time.Sleep(200 * time.Millisecond)
	}
	return nil
}

func apiE2ERelay(sock string) error {
	// Whatever happens to the test side, stay until the daemon closes our
	// stdin: a helper that exits early is respawned, and too many deaths
	// stop the daemon (respawn limit).
	defer io.Copy(io.Discard, os.Stdin)
	c, err := net.Dial("unix", sock)
	if err != nil {
		fmt.Fprintf(os.Stderr, "api e2e relay: %v\n", err)
		return nil
	}
	defer c.Close()
	go io.Copy(os.Stdout, c)
	_, err = io.Copy(c, os.Stdin)
	return err
}
