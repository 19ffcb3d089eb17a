package qa

// TestInteropBIRD peers the daemon with BIRD 2 on loopback, over IPv4 and
// IPv6, each with and without TCP-MD5 (RFC 2385), and checks in turn:
//
//	session    the BGP session reaches Established in BIRD
//	routes-out the daemon's static and API routes appear in BIRD
//	routes-in  BIRD's static routes reach the daemon (JSON API events)
//	withdraw   an API withdrawal removes the route from BIRD
//	cease      on SIGTERM the daemon sends a Cease that BIRD reports
//
// Each check is "bird SCENARIO CHECK" in qa/interop_pass.txt: a listed check
// that fails fails the test, an unlisted one is only reported. The test
// skips when bird/birdc are not installed (.ci/run installs Debian's bird2).
// EXAGO_EXABGP runs it against another daemon and EXAGO_RATCHET_UPDATE=1
// appends the newly passing checks, as for TestEncoding; ExaBGP
// 5.0.13 passes everything but cease (it closes TCP before its NOTIFICATION
// is written, EXABGP-SURFACE.md §1.5).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// birdScenario is one address family / authentication combination.
type birdScenario struct {
	name      string
	ipv6      bool
	md5       bool
	exago     string // the daemon's address
	bird      string // BIRD's address
	ourRoutes []string
	apiRoute  string
	birdRoute []string
}

var birdChecks = []string{"session", "routes-out", "routes-in", "withdraw", "cease"}

func birdScenarios() []birdScenario {
	v4 := birdScenario{exago: "127.0.0.1", bird: "127.0.0.2",
		ourRoutes: []string{"10.10.0.0/24", "10.11.0.0/24"}, apiRoute: "10.12.0.0/24",
		birdRoute: []string{"10.20.0.0/24", "10.21.0.0/24"}}
	v6 := birdScenario{ipv6: true, exago: "::1", bird: "::1",
		ourRoutes: []string{"2001:db8:10::/48", "2001:db8:11::/48"}, apiRoute: "2001:db8:12::/48",
		birdRoute: []string{"2001:db8:20::/48", "2001:db8:21::/48"}}
	var out []birdScenario
	for _, s := range []birdScenario{v4, v6} {
		for _, md5 := range []bool{false, true} {
			s.md5 = md5
			s.name = map[bool]string{false: "ipv4", true: "ipv6"}[s.ipv6] + map[bool]string{false: "", true: "-md5"}[md5]
			out = append(out, s)
		}
	}
	return out
}

// birdWait bounds each wait for BIRD or the daemon to reach a state; it is
// generous because ExaBGP alone can take 20 s to start on a loaded machine.
const birdWait = 90 * time.Second

func TestInteropBIRD(t *testing.T) {
	if testing.Short() {
		t.Skip("BIRD interop skipped in -short mode")
	}
	for _, tool := range []string{"bird", "birdc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian: apt-get install bird2): BIRD interop not run", tool)
		}
	}
	bin, external := exabgpBinary(t)
	ratchet, err := LoadRatchet("interop_pass.txt")
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, s := range birdScenarios() {
		for _, c := range birdChecks {
			known["bird "+s.name+" "+c] = true
		}
	}
	if unknown := ratchet.Unknown(known); len(unknown) > 0 {
		t.Errorf("%s lists checks that do not exist: %v", ratchet.Path, unknown)
	}
	var mu sync.Mutex
	var newlyPassing []string
	t.Cleanup(func() {
		sort.Strings(newlyPassing)
		updateRatchet(t, ratchet, newlyPassing)
	})
	for _, s := range birdScenarios() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			res := runBIRD(t, bin, s)
			for _, c := range birdChecks {
				key := "bird " + s.name + " " + c
				err, ran := res[c]
				switch {
				case ran && err == nil && !ratchet.Must(key) && !external:
					t.Logf("now passes: add %q to qa/interop_pass.txt", key)
					mu.Lock()
					newlyPassing = append(newlyPassing, key)
					mu.Unlock()
				case err == nil && ran:
				case ratchet.Must(key):
					t.Errorf("%s: %v", key, orNotRun(err, ran))
				default:
					t.Logf("%s: not yet (not in qa/interop_pass.txt): %v", key, orNotRun(err, ran))
				}
			}
		})
	}
}

func orNotRun(err error, ran bool) error {
	if !ran {
		return fmt.Errorf("not run: an earlier check failed")
	}
	return err
}

// birdRun is one scenario's BIRD, daemon and files.
type birdRun struct {
	t      *testing.T
	s      birdScenario
	dir    string
	sock   string
	daemon *daemon
	// stopped is set once the daemon was stopped on purpose.
	stopped bool
}

// runBIRD runs one scenario and returns each check's error (absent: not
// run).
func runBIRD(t *testing.T, bin string, s birdScenario) map[string]error {
	res := map[string]error{}
	r := &birdRun{t: t, s: s, dir: t.TempDir()}
	os.Chmod(r.dir, 0o755) // a daemon running as root may run its helper as nobody
	port, err := freePort(s.bird)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.startBIRD(port); err != nil {
		// bird is installed but cannot run here (no privileges, no
		// loopback address...): an environment problem, not the daemon's.
		t.Skipf("bird does not start: %v\n%s", err, tailFile(filepath.Join(r.dir, "bird.out"), 20))
	}
	if err := r.startDaemon(bin, port); err != nil {
		t.Fatalf("starting the daemon: %v", err)
	}
	defer func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("daemon output (tail):\n%s", tailFile(filepath.Join(r.dir, "daemon.log"), 40))
			t.Logf("bird log (tail):\n%s", tailFile(filepath.Join(r.dir, "bird.log"), 20))
		}
	}()

	if res["session"] = r.waitBirdc("Established", "show", "protocols", "exago"); res["session"] != nil {
		return res
	}
	want := append(append([]string(nil), s.ourRoutes...), s.apiRoute)
	res["routes-out"] = r.waitBirdc(strings.Join(want, "|"), "show", "route", "protocol", "exago")
	res["routes-in"] = r.waitAnnounced(s.birdRoute)
	if res["routes-out"] == nil {
		res["withdraw"] = r.withdraw()
	}
	res["cease"] = r.cease()
	return res
}

// freePort returns a TCP port that was free on addr a moment ago.
func freePort(addr string) (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(addr, "0"))
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (r *birdRun) startBIRD(port int) error {
	s := r.s
	afi, static, nexthop := "ipv4", "", ""
	if s.ipv6 {
		// BIRD would use its local address, ::1, which is also the
		// neighbor's: an invalid NEXT_HOP it refuses to send.
		afi, nexthop = "ipv6", " next hop address 2001:db8::2;"
	}
	for _, p := range s.birdRoute {
		static += "\troute " + p + " blackhole;\n"
	}
	password := ""
	if s.md5 {
		password = "\tpassword \"exago-secret\";\n"
	}
	conf := fmt.Sprintf(`log "%s/bird.log" all;
router id 10.0.0.2;
protocol device { }
protocol static { %s;
%s}
protocol bgp exago {
	local %s port %d as 65002;
	neighbor %s as 65001;
	passive on;
	multihop; # loopback is not a directly connected network for BIRD
	hold time 30;
%s	%s { import all; export where source = RTS_STATIC;%s };
}
`, r.dir, afi, static, s.bird, port, s.exago, password, afi, nexthop)
	if err := os.WriteFile(filepath.Join(r.dir, "bird.conf"), []byte(conf), 0o644); err != nil {
		return err
	}
	r.sock = filepath.Join(r.dir, "bird.ctl")
	cmd := exec.Command("bird", "-f", "-c", filepath.Join(r.dir, "bird.conf"), "-s", r.sock)
	out, err := os.Create(filepath.Join(r.dir, "bird.out"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	r.t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		<-exited
		out.Close()
	})
	deadline := time.Now().Add(birdWait)
	for {
		if exec.Command("birdc", "-s", r.sock, "show", "status").Run() == nil {
			return nil
		}
		select {
		case err := <-exited:
			return fmt.Errorf("bird exited: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bird's control socket did not answer within %v", birdWait)
		}
		time.Sleep(100 * time.Millisecond) // polling: bird has no readiness signal
	}
}

func (r *birdRun) startDaemon(bin string, port int) error {
	s := r.s
	md5 := ""
	if s.md5 {
		md5 = "\tmd5-password \"exago-secret\";\n"
	}
	nh := "127.0.0.1"
	family := "ipv4 unicast"
	if s.ipv6 {
		nh, family = "2001:db8::1", "ipv6 unicast"
	}
	static := ""
	for _, p := range s.ourRoutes {
		static += "\t\troute " + p + " next-hop " + nh + ";\n"
	}
	helper := fmt.Sprintf("#!/bin/sh\n# announce one route through the API, run what the test appends to commands, log every event\n"+
		"echo 'announce route %s next-hop %s'\ntail -n +1 -f %s/commands &\nexec cat >%s/events.json\n",
		s.apiRoute, nh, r.dir, r.dir)
	conf := fmt.Sprintf(`process watch {
	run %s/helper.sh;
	encoder json;
}

neighbor %s {
	router-id 10.0.0.1;
	local-address %s;
	local-as 65001;
	peer-as 65002;
	hold-time 30;
%s	family {
		%s;
	}
	api {
		processes [ watch ];
		receive {
			parsed;
			update;
		}
	}
	static {
%s	}
}
`, r.dir, s.bird, s.exago, md5, family, static)
	for name, body := range map[string]string{"exabgp.conf": conf, "helper.sh": helper, "commands": "", "events.json": ""} {
		if err := os.WriteFile(filepath.Join(r.dir, name), []byte(body), 0o777); err != nil {
			return err
		}
	}
	env := daemonEnv("exabgp_tcp_port="+strconv.Itoa(port), "exabgp_tcp_bind=", "exabgp_api_cli=false",
		"exabgp_daemon_user=root", "exabgp_log_level=DEBUG")
	d, err := startDaemon(bin, r.dir, env, []string{filepath.Join(r.dir, "exabgp.conf")})
	if err != nil {
		return err
	}
	r.daemon = d
	r.t.Cleanup(func() { d.stop(10 * time.Second) })
	return nil
}

// waitBirdc runs birdc until its output matches every '|'-separated part
// of want, or birdWait passes.
func (r *birdRun) waitBirdc(want string, args ...string) error {
	var out []byte
	deadline := time.Now().Add(birdWait)
	for {
		var err error
		out, err = exec.Command("birdc", append([]string{"-s", r.sock}, args...)...).CombinedOutput()
		if err == nil && containsAll(string(out), want) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("birdc %s: want %q within %v, last output:\n%s", strings.Join(args, " "), want, birdWait, out)
		}
		if err := r.daemonGone(); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond) // polling: birdc has no event stream
	}
}

func containsAll(s, want string) bool {
	for _, w := range strings.Split(want, "|") {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// daemonGone reports the daemon's early exit as an error.
func (r *birdRun) daemonGone() error {
	if r.daemon == nil || r.stopped {
		return nil
	}
	select {
	case <-r.daemon.exited:
		return fmt.Errorf("the daemon exited (%s)", r.daemon.exitStatus())
	default:
		return nil
	}
}

// waitAnnounced waits until the helper's JSON events (events.json, one
// message a line) announce every prefix.
func (r *birdRun) waitAnnounced(want []string) error {
	path := filepath.Join(r.dir, "events.json")
	deadline := time.Now().Add(birdWait)
	for {
		b, _ := os.ReadFile(path)
		seen := announced(b)
		missing := []string{}
		for _, p := range want {
			if !seen[p] {
				missing = append(missing, p)
			}
		}
		if len(missing) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no JSON update announcing %v within %v; helper received:\n%s", missing, birdWait, tailFile(path, 10))
		}
		if err := r.daemonGone(); err != nil {
			return err
		}
		time.Sleep(200 * time.Millisecond) // polling: the helper writes a plain file
	}
}

// announced collects the prefixes announced in ExaBGP JSON update events:
// neighbor.message.update.announce.FAMILY.NEXTHOP[] holds {"nlri": P} or,
// with api.compact, P itself.
func announced(events []byte) map[string]bool {
	seen := map[string]bool{}
	for _, line := range bytes.Split(events, []byte("\n")) {
		var ev struct {
			Neighbor struct {
				Message struct {
					Update struct {
						Announce map[string]map[string][]json.RawMessage `json:"announce"`
					} `json:"update"`
				} `json:"message"`
			} `json:"neighbor"`
		}
		if json.Unmarshal(line, &ev) != nil {
			continue
		}
		for _, byNH := range ev.Neighbor.Message.Update.Announce {
			for _, items := range byNH {
				for _, it := range items {
					var obj struct {
						NLRI string `json:"nlri"`
					}
					var str string
					if json.Unmarshal(it, &obj) == nil && obj.NLRI != "" {
						seen[obj.NLRI] = true
					} else if json.Unmarshal(it, &str) == nil {
						seen[str] = true
					}
				}
			}
		}
	}
	return seen
}

// withdraw has the helper withdraw the API route and waits for BIRD to
// lose it while keeping the static ones.
func (r *birdRun) withdraw() error {
	nh := "127.0.0.1"
	if r.s.ipv6 {
		nh = "2001:db8::1"
	}
	f, err := os.OpenFile(filepath.Join(r.dir, "commands"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "withdraw route %s next-hop %s\n", r.s.apiRoute, nh)
	f.Close()
	deadline := time.Now().Add(birdWait)
	for {
		out, err := exec.Command("birdc", "-s", r.sock, "show", "route", "protocol", "exago").CombinedOutput()
		if err == nil && !strings.Contains(string(out), r.s.apiRoute) && containsAll(string(out), strings.Join(r.s.ourRoutes, "|")) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s still in BIRD (or the static routes went) %v after the withdrawal:\n%s", r.s.apiRoute, birdWait, out)
		}
		time.Sleep(200 * time.Millisecond) // polling: birdc has no event stream
	}
}

// cease stops the daemon with SIGTERM and checks BIRD received a Cease
// (RFC 4486) rather than a bare TCP close.
func (r *birdRun) cease() error {
	r.stopped = true
	r.daemon.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.daemon.exited:
	case <-time.After(birdWait):
		return fmt.Errorf("the daemon did not exit within %v of SIGTERM", birdWait)
	}
	deadline := time.Now().Add(birdWait)
	for {
		out, err := exec.Command("birdc", "-s", r.sock, "show", "protocols", "all", "exago").CombinedOutput()
		switch {
		case err == nil && strings.Contains(string(out), "Received:"):
			return nil
		case err == nil && !strings.Contains(string(out), "Established"):
			return fmt.Errorf("BIRD saw the session end without a NOTIFICATION:\n%s", out)
		case time.Now().After(deadline):
			return fmt.Errorf("BIRD still shows the session %v after the daemon exited:\n%s", birdWait, out)
		}
		time.Sleep(200 * time.Millisecond) // polling: birdc has no event stream
	}
}
