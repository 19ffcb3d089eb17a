package main

import (
	"bufio"
	"fmt"
	"io"
	"log/syslog"
	"net/netip"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// This file is `exabgp healthcheck` (ExaBGP's application/healthcheck.py):
// a service checker run as an API process. It runs a command every
// interval and writes `announce route` / `withdraw route` lines for its
// IPs as the service goes up, down or disabled. It is its own process, so
// it may sleep and block; nothing here runs inside the daemon.

// hcState is a healthcheck state (the strings are ExaBGP's, given to
// --execute hooks as $STATE).
type hcState string

const (
	hcInit     hcState = "INIT"
	hcDisabled hcState = "DISABLED"
	hcRising   hcState = "RISING"
	hcFalling  hcState = "FALLING"
	hcUp       hcState = "UP"
	hcDown     hcState = "DOWN"
	hcExit     hcState = "EXIT"
	hcEnd      hcState = "END"
)

// hcLogger writes ExaBGP healthcheck's log lines: `LEVEL[healthcheck] msg`
// on stderr unless --silent, and to syslog unless --no-syslog or --debug.
type hcLogger struct {
	debug   bool
	console io.Writer
	sys     *syslog.Writer
}

func (l *hcLogger) log(level, msg string) {
	if level == "DEBUG" && !l.debug {
		return
	}
	if l.console != nil {
		fmt.Fprintf(l.console, "%s[healthcheck] %s\n", level, msg)
	}
	if l.sys != nil {
		switch level {
		case "DEBUG":
			l.sys.Debug(msg)
		case "WARNING":
			l.sys.Warning(msg)
		case "ERROR":
			l.sys.Err(msg)
		default:
			l.sys.Info(msg)
		}
	}
}

func (l *hcLogger) Debugf(f string, a ...any) { l.log("DEBUG", fmt.Sprintf(f, a...)) }
func (l *hcLogger) Infof(f string, a ...any)  { l.log("INFO", fmt.Sprintf(f, a...)) }
func (l *hcLogger) Warnf(f string, a ...any)  { l.log("WARNING", fmt.Sprintf(f, a...)) }
func (l *hcLogger) Errorf(f string, a ...any) { l.log("ERROR", fmt.Sprintf(f, a...)) }

var syslogFacilities = map[string]syslog.Priority{
	"kern": syslog.LOG_KERN, "user": syslog.LOG_USER, "mail": syslog.LOG_MAIL, "daemon": syslog.LOG_DAEMON,
	"auth": syslog.LOG_AUTH, "syslog": syslog.LOG_SYSLOG, "lpr": syslog.LOG_LPR, "news": syslog.LOG_NEWS,
	"uucp": syslog.LOG_UUCP, "cron": syslog.LOG_CRON, "authpriv": syslog.LOG_AUTHPRIV, "ftp": syslog.LOG_FTP,
	"local0": syslog.LOG_LOCAL0, "local1": syslog.LOG_LOCAL1, "local2": syslog.LOG_LOCAL2, "local3": syslog.LOG_LOCAL3,
	"local4": syslog.LOG_LOCAL4, "local5": syslog.LOG_LOCAL5, "local6": syslog.LOG_LOCAL6, "local7": syslog.LOG_LOCAL7,
}

func newHCLogger(o *hcOptions, stderr io.Writer) *hcLogger {
	l := &hcLogger{debug: o.debug}
	if !o.silent {
		l.console = stderr
	}
	if !o.noSyslog && !o.debug {
		tag := "healthcheck"
		if o.name != "" {
			tag = "healthcheck-" + o.name
		}
		if fac, ok := syslogFacilities[strings.ToLower(o.syslogFacility)]; ok {
			if w, err := syslog.New(fac|syslog.LOG_INFO, tag); err == nil {
				l.sys = w
			}
		}
	}
	return l
}

// healthcheck is one running checker: options, I/O and state.
type healthcheck struct {
	o      *hcOptions
	log    *hcLogger
	out    io.Writer
	in     *bufio.Reader
	tty    bool // stdout is a terminal: do not read acks
	stop   <-chan os.Signal
	checks int
	state  hcState
}

func runHealthcheck(args []string) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	defer signal.Stop(stop)
	return healthcheckMain(args, os.Stdin, os.Stdout, os.Stderr, isTerminal(os.Stdout), stop)
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// healthcheckMain runs the checker with the given streams; a value on
// stop (SIGTERM, ^C) withdraws everything and exits 0.
func healthcheckMain(args []string, stdin io.Reader, stdout, stderr io.Writer, tty bool, stop <-chan os.Signal) int {
	for _, a := range args {
		if a == "-h" || a == "--help" {
			fmt.Fprint(stdout, hcHelp())
			return 0
		}
	}
	o, err := parseHC(args)
	if err != nil {
		fmt.Fprint(stderr, hcUsage)
		fmt.Fprintf(stderr, "exabgp healthcheck: error: %v\n", err)
		return 2
	}
	h := &healthcheck{o: o, log: newHCLogger(o, stderr), out: stdout, in: bufio.NewReader(stdin), tty: tty, stop: stop, state: hcInit}
	if o.pidFile != "" {
		if err := os.WriteFile(o.pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			fmt.Fprint(stderr, hcUsage)
			fmt.Fprintf(stderr, "exabgp healthcheck: error: argument --pid/-p: can't open '%s': %v\n", o.pidFile, err)
			return 2
		}
	}
	if err := h.prepare(); err != nil {
		h.log.Errorf("Uncaught exception: %v", err)
		return 1
	}
	if len(o.ips) == 0 {
		h.log.Errorf("No IP found")
		return 1
	}
	return h.loop()
}

// prepare finds or sets up the IPs and drops privileges.
func (h *healthcheck) prepare() error {
	o := h.o
	if len(o.ips) == 0 {
		ips, err := systemIPs(nil, o.label, false, o.labelExact, h.log)
		if err != nil {
			return err
		}
		o.ips = ips
		if len(o.ips) == 0 {
			return nil
		}
	}
	if o.ipSetup {
		if err := setupIPs(o, h.log); err != nil {
			return err
		}
	}
	if err := dropPrivileges(o.user, o.group, h.log); err != nil {
		return err
	}
	if o.deaggregate {
		var hosts []netip.Prefix
		for _, n := range o.ips {
			hosts = append(hosts, hostsOf(n)...)
		}
		o.ips = hosts
	}
	if n := len(o.ips); n > 0 {
		k := ((o.startIP % n) + n) % n
		o.ips = append(o.ips[k:], o.ips[:k]...)
	}
	return nil
}

// loop is ExaBGP's main loop: check, step the state machine, announce,
// sleep (the fast interval while rising or falling).
func (h *healthcheck) loop() int {
	for {
		h.one()
		var wait float64
		switch {
		case h.state == hcFalling || h.state == hcRising:
			wait = h.o.fast
		case h.o.interval == 0:
			h.log.Infof("interval set to zero, exiting after the announcement")
			h.exabgp(hcEnd)
			return 0
		default:
			wait = h.o.interval
		}
		select {
		case <-h.stop:
			h.exabgp(hcExit)
			return 0
		case <-time.After(time.Duration(wait * float64(time.Second))):
		}
	}
}

// one is one iteration of the state machine.
func (h *healthcheck) one() {
	o := h.o
	disabled := false
	if o.disable != "" {
		_, err := os.Stat(o.disable)
		disabled = err == nil
	}
	successful := disabled || h.check()
	before := h.state
	switch {
	case h.state != hcDisabled && disabled:
		h.state = h.trigger(hcDisabled)
	case h.state == hcInit:
		switch {
		case successful && o.rise <= 1:
			h.state = h.trigger(hcUp)
		case successful:
			h.state = h.trigger(hcRising)
			h.checks = 1
		default:
			h.state = h.trigger(hcFalling)
			h.checks = 1
		}
	case h.state == hcDisabled:
		if !disabled {
			h.state = h.trigger(hcInit)
		}
	case h.state == hcRising:
		if successful {
			h.checks++
			if h.checks >= o.rise {
				h.state = h.trigger(hcUp)
			}
		} else {
			h.state = h.trigger(hcFalling)
			h.checks = 1
		}
	case h.state == hcFalling:
		if !successful {
			h.checks++
			if h.checks >= o.fall {
				h.state = h.trigger(hcDown)
			}
		} else {
			h.state = h.trigger(hcRising)
			h.checks = 1
		}
	case h.state == hcUp:
		if !successful {
			h.state = h.trigger(hcFalling)
			h.checks = 1
		}
	case h.state == hcDown:
		if successful {
			h.state = h.trigger(hcRising)
			h.checks = 1
		}
	}
	if !o.debounce || h.state != before {
		h.exabgp(h.state)
	}
}

// trigger enters target (RISING/FALLING go straight to UP/DOWN when
// rise/fall is 1) and runs the --execute hooks with $STATE set.
func (h *healthcheck) trigger(target hcState) hcState {
	if target == hcRising && h.o.rise <= 1 {
		target = hcUp
	} else if target == hcFalling && h.o.fall <= 1 {
		target = hcDown
	}
	h.log.Debugf("Transition to %s", target)
	cmds := append(append([]string{}, h.o.stateExecute[target]...), h.o.execute...)
	for _, c := range cmds {
		h.log.Debugf("Transition to %s, execute `%s`", target, c)
		cmd := exec.Command("/bin/sh", "-c", c)
		cmd.Env = append(os.Environ(), "STATE="+string(target))
		cmd.Run()
	}
	return target
}

// check runs --command with sh, in its own process group, killed after
// --timeout seconds. No command means healthy.
func (h *healthcheck) check() bool {
	if !h.o.hasCommand {
		return true
	}
	h.log.Debugf("Checking command %q", h.o.command)
	cmd := exec.Command("/bin/sh", "-c", h.o.command)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		h.log.Warnf("Check command was unsuccessful: %v", err)
		return false
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var timeout <-chan time.Time
	if h.o.timeout > 0 {
		timeout = time.After(time.Duration(h.o.timeout) * time.Second)
	}
	select {
	case err := <-done:
		if err != nil {
			code := -1
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			}
			h.log.Warnf("Check command was unsuccessful: %d", code)
			if s := strings.TrimSpace(out.String()); s != "" {
				h.log.Infof("Output of check command: %s", s)
			}
			return false
		}
		h.log.Debugf("Command was executed successfully 0 %s", out.String())
		return true
	case <-timeout:
		h.log.Warnf("Timeout (%d) while running check command %s", h.o.timeout, h.o.command)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return false
	}
}

// exabgp writes the announce or withdraw lines of target (ExaBGP's
// exabgp() closure), reading one ack line after each unless --no-ack or
// stdout is a terminal.
func (h *healthcheck) exabgp(target hcState) {
	o := h.o
	switch target {
	case hcUp, hcDown, hcDisabled, hcExit:
	default:
		return
	}
	if target == hcUp && o.ipDynamic {
		h.log.Infof("service up, restoring loopback and ip-ifname ips")
		if err := setupIPs(o, h.log); err != nil {
			h.log.Errorf("%v", err)
		}
	}
	h.log.Infof("send announces for %s state to ExaBGP", target)
	metric := o.metric[target]
	asPath, ok := o.stateASPath[target]
	if !ok || asPath == "" {
		asPath = o.asPath
	}
	prefix := "neighbor *"
	if len(o.neighbors) > 0 && !hcContains(o.neighbors, "*") {
		parts := make([]string, len(o.neighbors))
		for i, n := range o.neighbors {
			parts[i] = "neighbor " + n
		}
		prefix = strings.Join(parts, ", ")
	}
	nh := o.nextHop
	if nh == "" {
		nh = "self"
	}
	for _, ip := range o.ips {
		action := "announce"
		if (o.withdrawOnDown || target == hcExit) && target != hcUp {
			action = "withdraw"
		}
		line := fmt.Sprintf("%s %s route %s next-hop %s", prefix, action, ip, nh)
		if action == "announce" {
			line += fmt.Sprintf(" med %d", metric)
			if o.localPref >= 0 {
				line += fmt.Sprintf(" local-preference %d", o.localPref)
			}
			community := o.community
			if (target == hcDown || target == hcDisabled) && o.disabledCommunity != "" {
				community = o.disabledCommunity
			}
			if community != "" {
				line += " community [ " + community + " ]"
			}
			if o.extCommunity != "" {
				line += " extended-community [ " + o.extCommunity + " ]"
			}
			if o.largeCommunity != "" {
				line += " large-community [ " + o.largeCommunity + " ]"
			}
			if asPath != "" {
				line += " as-path [ " + asPath + " ]"
			}
		}
		if o.pathID != 0 {
			line += fmt.Sprintf(" path-information %d", o.pathID)
		}
		metric += o.increase
		h.log.Debugf("exabgp: %s", line)
		fmt.Fprintln(h.out, line)
		if o.noAck || h.tty {
			continue
		}
		h.in.ReadString('\n')
	}
	if target == hcExit && (o.ipDynamic || o.ipSetup) {
		h.log.Infof("exiting, deleting setup ips")
		removeIPs(o, h.log)
	}
	if (target == hcDown || target == hcDisabled) && o.ipDynamic {
		h.log.Infof("service down, deleting setup ips")
		removeIPs(o, h.log)
	}
}

func hcContains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}
