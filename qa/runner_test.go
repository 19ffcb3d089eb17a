package qa

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"exago/qa/testpeer"
)

// TestRunEncodingCaseFake drives the encoding runner (environment, command
// line, peer, exit wait, reporting) with a scripted fake daemon.
func TestRunEncodingCaseFake(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "fakedaemon")
	if out, err := exec.Command("go", "build", "-o", bin, "./testdata/fakedaemon").CombinedOutput(); err != nil {
		t.Fatalf("building the fake daemon: %v\n%s", err, out)
	}
	dir := t.TempDir()
	msg := filepath.Join(dir, "fake.msg")
	os.WriteFile(msg, []byte("# 1.1.0.0/16, then End-of-RIB\n"+
		"1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:002F:02:00000015400101004002004003040101010140050400000064100101\n"+
		"2:raw:0017:02:00000000\n"), 0o644)
	script, err := testpeer.ReadScript(msg)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ mode, want string }{
		{"good", ""},
		{"bad", "unexpected message"},
		{"noexit", "did not exit by itself"},
	} {
		t.Run(c.mode, func(t *testing.T) {
			conf := filepath.Join(dir, c.mode+".conf")
			os.WriteFile(conf, []byte("msg "+msg+"\nmode "+c.mode+"\n"), 0o644)
			ec := encodingCase{name: "fake", confs: []string{conf}, script: script}
			r := runEncodingCase(t.Context(), bin, t.TempDir(), ec, "reactor", 3*time.Second)
			switch {
			case c.want == "" && !r.pass:
				t.Fatalf("want a pass, got %s\n%s\n%s", r.reason, r.transcript, r.daemonLog)
			case c.want != "" && (r.pass || !strings.Contains(r.reason, c.want)):
				t.Fatalf("want a failure with %q, got pass=%v %q\n%s", c.want, r.pass, r.reason, r.transcript)
			}
		})
	}
}
