package main

import (
	"errors"
	"fmt"
	"net/netip"
	"os/exec"
	"os/user"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// This file manages healthcheck's IP addresses with the `ip` command, as
// ExaBGP's healthcheck.py does (Linux only; elsewhere no address is found
// and --ip must be given with --no-ip-setup).

var ipLine = regexp.MustCompile(`^(\d+):\s+(\S+)\s+inet6?\s+([\da-f.:]+)/(\d+)\s+.*`)

// systemIPs lists the non-loopback addresses of lo and the --ip-ifname
// interfaces, filtered by label (prefix match, or exact).
func systemIPs(ifnames map[netip.Prefix]string, label string, labelOnly, exact bool, log *hcLogger) ([]netip.Prefix, error) {
	names := map[string]bool{"lo": true}
	for _, n := range ifnames {
		names[n] = true
	}
	var list, quoted []string
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	for _, n := range list {
		quoted = append(quoted, regexp.QuoteMeta(n))
	}
	labelRe := regexp.MustCompile(`.*\s+(?:` + strings.Join(quoted, "|") + `):([^\\\s]+).*`)
	var out []netip.Prefix
	for _, name := range list {
		b, err := exec.Command("/sbin/ip", "-o", "address", "show", "dev", name).Output()
		if err != nil && len(b) == 0 {
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			m := ipLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			bits, _ := strconv.Atoi(m[4])
			a, err := netip.ParseAddr(m[3])
			if err != nil {
				continue
			}
			p := netip.PrefixFrom(a, bits).Masked()
			if a.IsLoopback() {
				continue
			}
			switch {
			case label != "":
				lm := labelRe.FindStringSubmatch(line)
				if lm == nil {
					continue
				}
				if (exact && lm[1] == label) || (!exact && strings.HasPrefix(lm[1], label)) {
					out = append(out, p)
				}
			case !labelOnly:
				out = append(out, p)
			}
		}
	}
	log.Debugf("System addresses detected: %v", out)
	return out, nil
}

// hostsOf lists every address of network n as a host prefix (what
// iterating a Python ip_network yields).
func hostsOf(n netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	a := n.Masked().Addr()
	for n.Contains(a) && len(out) < 1<<16 {
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
		a = a.Next()
		if !a.IsValid() {
			break
		}
	}
	return out
}

func ifnameFor(o *hcOptions, p netip.Prefix) string {
	if n := o.ifnames[p]; n != "" {
		return n
	}
	return "lo"
}

// ipCommand runs `[sudo] ip address add|delete IP dev IF [label IF:LABEL]`.
func ipCommand(o *hcOptions, verb string, p netip.Prefix) error {
	ifname := ifnameFor(o, p)
	args := []string{"ip", "address", verb, p.String(), "dev", ifname}
	if o.label != "" {
		args = append(args, "label", ifname+":"+o.label)
	}
	if o.sudo {
		args = append([]string{"sudo"}, args...)
	}
	return exec.Command(args[0], args[1:]...).Run()
}

// setupIPs adds the configured addresses missing from the system.
func setupIPs(o *hcOptions, log *hcLogger) error {
	existing, _ := systemIPs(o.ifnames, o.label, false, o.labelExact, log)
	have := map[netip.Prefix]bool{}
	for _, p := range existing {
		have[p] = true
	}
	for _, n := range o.ips {
		for _, ip := range hostsOf(n) {
			if have[ip] {
				continue
			}
			log.Debugf("Setup %s IP address %s", ifnameFor(o, ip), ip)
			err := ipCommand(o, "add", ip)
			var ee *exec.ExitError
			if errors.As(err, &ee) && ee.ExitCode() == 2 && !o.sudo {
				continue // already there
			}
			if err != nil {
				return fmt.Errorf("Command '%s' failed: %v", "ip address add "+ip.String(), err)
			}
		}
	}
	return nil
}

// removeIPs deletes the configured addresses that are set up (with the
// label when one is used).
func removeIPs(o *hcOptions, log *hcLogger) {
	existing, _ := systemIPs(o.ifnames, o.label, true, o.labelExact, log)
	have := map[netip.Prefix]bool{}
	for _, p := range existing {
		have[p] = true
	}
	for _, n := range o.ips {
		for _, ip := range hostsOf(n) {
			if !have[ip] {
				continue
			}
			log.Debugf("Remove %s IP address %s", ifnameFor(o, ip), ip)
			if ipCommand(o, "delete", ip) != nil {
				log.Warnf("Unable to remove %s IP address %s - is healthcheck running as root?", ifnameFor(o, ip), ip)
			}
		}
	}
}

// dropPrivileges switches to --group and --user once the addresses are
// set up.
func dropPrivileges(userName, group string, log *hcLogger) error {
	if group != "" {
		g, err := user.LookupGroup(group)
		if err != nil {
			return err
		}
		gid, _ := strconv.Atoi(g.Gid)
		log.Debugf("Dropping privileges to group %s/%d", group, gid)
		if err := syscall.Setresgid(gid, gid, gid); err != nil {
			return err
		}
	}
	if userName != "" {
		u, err := user.Lookup(userName)
		if err != nil {
			return err
		}
		uid, _ := strconv.Atoi(u.Uid)
		log.Debugf("Dropping privileges to user %s/%d", userName, uid)
		if err := syscall.Setresuid(uid, uid, uid); err != nil {
			return err
		}
	}
	return nil
}
