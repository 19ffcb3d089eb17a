package main

import (
	"bufio"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// hcRun runs the healthcheck with args, acking every line it writes, and
// returns its lines as they come and its exit code when it ends.
func hcRun(t *testing.T, args []string) (lines <-chan string, stop chan os.Signal, code <-chan int) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	stop = make(chan os.Signal, 1)
	exit := make(chan int, 1)
	got := make(chan string, 1000)
	go func() {
		exit <- healthcheckMain(args, inR, outW, io.Discard, false, stop)
		outW.Close()
	}()
	go func() {
		sc := bufio.NewScanner(outR)
		for sc.Scan() {
			got <- sc.Text()
			io.WriteString(inW, "done\n")
		}
		close(got)
	}()
	return got, stop, exit
}

// next returns the next line, failing after a generous timeout.
func next(t *testing.T, lines <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatal("healthcheck ended")
		}
		return l
	case <-time.After(20 * time.Second):
		t.Fatal("no line from healthcheck")
	}
	return ""
}

func TestHealthcheckUpDown(t *testing.T) {
	dir := t.TempDir()
	flag := filepath.Join(dir, "healthy")
	os.WriteFile(flag, nil, 0o644)
	lines, stop, code := hcRun(t, []string{"--no-syslog", "--no-ip-setup",
		"--ip", "192.0.2.1/32", "--ip", "192.0.2.2", "--next-hop", "192.0.2.254",
		"--cmd", "test -f " + flag, "--rise", "1", "--fall", "1",
		"--interval", "0.01", "--fast-interval", "0.01", "--withdraw-on-down",
		"--community", "65000:1", "--as-path", "65000 65001"})
	up := []string{
		"neighbor * announce route 192.0.2.1/32 next-hop 192.0.2.254 med 100 community [ 65000:1 ] as-path [ 65000 65001 ]",
		"neighbor * announce route 192.0.2.2/32 next-hop 192.0.2.254 med 101 community [ 65000:1 ] as-path [ 65000 65001 ]",
	}
	down := []string{
		"neighbor * withdraw route 192.0.2.1/32 next-hop 192.0.2.254",
		"neighbor * withdraw route 192.0.2.2/32 next-hop 192.0.2.254",
	}
	if l := next(t, lines); l != up[0] {
		t.Fatalf("first line %q, want %q", l, up[0])
	}
	if l := next(t, lines); l != up[1] {
		t.Fatalf("second line %q, want %q", l, up[1])
	}
	os.Remove(flag)
	for {
		l := next(t, lines)
		if l == up[0] || l == up[1] {
			continue // announced again before the check saw the change
		}
		if l != down[0] {
			t.Fatalf("got %q, want %q", l, down[0])
		}
		break
	}
	if l := next(t, lines); l != down[1] {
		t.Fatalf("got %q, want %q", l, down[1])
	}
	stop <- os.Interrupt
	for l := range lines {
		if l != down[0] && l != down[1] {
			t.Errorf("after stop: %q", l)
		}
	}
	if c := <-code; c != 0 {
		t.Errorf("exit code %d", c)
	}
}

func TestHealthcheckDebounceDisabled(t *testing.T) {
	dir := t.TempDir()
	disable := filepath.Join(dir, "disable")
	lines, stop, code := hcRun(t, []string{"--no-syslog", "--no-ip-setup",
		"--ip", "192.0.2.1", "--disable", disable, "--rise", "2", "--debounce",
		"--interval", "0.01", "--fast-interval", "0.01", "--neighbor", "10.0.0.1", "--neighbor", "10.0.0.2",
		"--disabled-community", "65000:666", "--path-id", "7"})
	want := "neighbor 10.0.0.1, neighbor 10.0.0.2 announce route 192.0.2.1/32 next-hop self med 100 path-information 7"
	if l := next(t, lines); l != want {
		t.Fatalf("got %q, want %q", l, want)
	}
	os.WriteFile(disable, nil, 0o644)
	want = "neighbor 10.0.0.1, neighbor 10.0.0.2 announce route 192.0.2.1/32 next-hop self med 500 community [ 65000:666 ] path-information 7"
	if l := next(t, lines); l != want {
		t.Fatalf("got %q, want %q", l, want)
	}
	stop <- os.Interrupt
	want = "neighbor 10.0.0.1, neighbor 10.0.0.2 withdraw route 192.0.2.1/32 next-hop self path-information 7"
	if l := next(t, lines); l != want {
		t.Fatalf("got %q, want %q", l, want)
	}
	if c := <-code; c != 0 {
		t.Errorf("exit code %d", c)
	}
}

func TestHealthcheckArgs(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "hc.conf")
	os.WriteFile(conf, []byte("# comment\ndebug\nname = web\ninterval = 10\nrise=5\n"), 0o644)
	o, err := parseHC([]string{"-F", conf, "--rise", "2", "-c", "true", "--ip", "192.0.2.0/30"})
	if err != nil {
		t.Fatal(err)
	}
	if !o.debug || o.name != "web" || o.interval != 10 || o.rise != 2 || o.command != "true" || len(o.ips) != 1 {
		t.Errorf("options %+v", o)
	}
	for _, bad := range [][]string{
		{"--silent", "--no-syslog"},
		{"--ip", "192.0.2.1/24"},
		{"--rise", "x"},
		{"--community", "a\nb"},
		{"--ip", "192.0.2.1", "--ip-ifname", "192.0.2.9%eth0"},
		{"bogus"},
	} {
		if _, err := parseHC(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if got := len(hostsOf(mustPrefix("192.0.2.0/30"))); got != 4 {
		t.Errorf("hostsOf /30 = %d", got)
	}
	if c := healthcheckMain([]string{"--rise"}, strings.NewReader(""), io.Discard, io.Discard, false, nil); c != 2 {
		t.Errorf("usage error exit %d", c)
	}
}

func mustPrefix(s string) (p netip.Prefix) {
	p, _ = parseNetwork(s)
	return p
}
