package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// ProcStat is what /proc says of one process at one moment.
type ProcStat struct {
	CPU     time.Duration // user + system time so far
	RSS     int64         // resident set size (VmRSS), bytes
	Anon    int64         // RssAnon: private anonymous pages only, without the file-backed pages of the binary or interpreter and its libraries
	Threads int
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// ReadProc reads /proc/PID/stat and /proc/PID/status (pid 0 = self).
func ReadProc(pid int) (ProcStat, error) {
	var st ProcStat
	p := "self"
	if pid != 0 {
		p = strconv.Itoa(pid)
	}
	raw, err := os.ReadFile("/proc/" + p + "/stat")
	if err != nil {
		return st, err
	}
	// Fields after the command name (which may hold spaces) start at ") ".
	s := string(raw)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return st, fmt.Errorf("bench: cannot parse /proc/%s/stat", p)
	}
	f := strings.Fields(s[i+2:])
	if len(f) < 13 {
		return st, fmt.Errorf("bench: short /proc/%s/stat", p)
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	stt, _ := strconv.ParseInt(f[12], 10, 64)
	st.CPU = time.Duration(ut+stt) * time.Second / clockTicks
	status, err := os.ReadFile("/proc/" + p + "/status")
	if err != nil {
		return st, err
	}
	parseStatus(&st, string(status))
	return st, nil
}

// parseStatus reads VmRSS, RssAnon and Threads from /proc/PID/status.
func parseStatus(st *ProcStat, status string) {
	for _, line := range strings.Split(status, "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			st.RSS = v * 1024
		case "RssAnon:":
			st.Anon = v * 1024
		case "Threads:":
			st.Threads = int(v)
		}
	}
}

// TreeProc sums ReadProc over pid and its descendants, leaving out this
// harness's own helper programs (helper-count, helper-announce: the same
// binary and the same cost under every DUT): what is left is the daemon
// and whatever it forks itself.
func TreeProc(pid int) ProcStat {
	total, _ := ReadProc(pid)
	self, _ := os.Executable()
	for _, c := range children(pid) {
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", c)); err == nil && self != "" && exe == self {
			continue
		}
		s := TreeProc(c)
		total.CPU += s.CPU
		total.RSS += s.RSS
		total.Anon += s.Anon
		total.Threads += s.Threads
	}
	return total
}

func children(pid int) []int {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid))
	if err != nil {
		return nil
	}
	var out []int
	for _, w := range strings.Fields(string(raw)) {
		if c, err := strconv.Atoi(w); err == nil {
			out = append(out, c)
		}
	}
	return out
}
