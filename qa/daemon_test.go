package qa

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// exabgpBinary returns the daemon to test: $EXAGO_EXABGP when set (for
// instance ExaBGP's own sbin/exabgp, to check the harness), else the
// repository's bin/exabgp (`make test` builds it), else one built now.
// external reports whether it came from $EXAGO_EXABGP.
func exabgpBinary(t *testing.T) (path string, external bool) {
	t.Helper()
	if p := os.Getenv("EXAGO_EXABGP"); p != "" {
		abs, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(abs); err != nil {
			t.Fatalf("EXAGO_EXABGP: %v", err)
		}
		return abs, true
	}
	if abs, err := filepath.Abs("../bin/exabgp"); err == nil {
		if st, err := os.Stat(abs); err == nil && st.Mode().IsRegular() {
			return abs, false
		}
	}
	out := filepath.Join(t.TempDir(), "exabgp")
	cmd := exec.Command("go", "build", "-o", out, "exago/cmd/exabgp")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building exabgp (bin/exabgp is absent): %v\n%s", err, b)
	}
	return out, false
}

// qaDir returns $EXAGO_QA_DIR or skips the test.
func qaDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("EXAGO_QA_DIR")
	if dir == "" {
		t.Skip("EXAGO_QA_DIR is not set: run through `make test` or point it at ../shared/exabgp-5.0-qa")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Skipf("EXAGO_QA_DIR=%s is not a directory: ExaBGP's conformance data is absent", dir)
	}
	return dir
}

// daemonEnv is the environment of the process minus every ExaBGP setting,
// plus settings ("exabgp_tcp_port=1790").
func daemonEnv(settings ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k := strings.ToLower(kv[:max(strings.IndexByte(kv, '='), 0)])
		if strings.HasPrefix(k, "exabgp_") || strings.HasPrefix(k, "exabgp.") {
			continue
		}
		env = append(env, kv)
	}
	return append(env, settings...)
}

// daemon is one exabgp process under test, in its own process group so
// its helper processes go with it.
type daemon struct {
	cmd    *exec.Cmd
	out    *os.File
	exited chan struct{}
	err    error // from Wait, valid once exited is closed
}

// startDaemon runs bin with args in dir, output to dir/daemon.log.
func startDaemon(bin, dir string, env, args []string) (*daemon, error) {
	out, err := os.Create(filepath.Join(dir, "daemon.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.Close()
		return nil, err
	}
	d := &daemon{cmd: cmd, out: out, exited: make(chan struct{})}
	go func() {
		d.err = cmd.Wait()
		close(d.exited)
	}()
	return d, nil
}

// signal sends the named signal ("SIGUSR1") to the daemon itself.
func (d *daemon) signal(name string) error {
	sig := unix.SignalNum(strings.ToUpper(name))
	if sig == 0 {
		return fmt.Errorf("unknown signal %q", name)
	}
	return d.cmd.Process.Signal(sig)
}

// stop terminates the daemon (SIGTERM, then SIGKILL to its whole group
// after grace) and closes its log.
func (d *daemon) stop(grace time.Duration) {
	select {
	case <-d.exited:
	default:
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(grace):
		}
	}
	syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL) // helper processes too
	<-d.exited
	d.out.Close()
}

// exitStatus describes how the daemon ended.
func (d *daemon) exitStatus() string {
	var ee *exec.ExitError
	switch {
	case d.err == nil:
		return "exit code 0"
	case errors.As(d.err, &ee):
		return ee.ProcessState.String()
	}
	return d.err.Error()
}

// tailFile returns the last n lines of the file at path.
func tailFile(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = append([][]byte{[]byte(fmt.Sprintf("[... %d lines before]", len(lines)-n))}, lines[len(lines)-n:]...)
	}
	return string(bytes.Join(lines, []byte("\n")))
}
