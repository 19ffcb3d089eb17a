package reactor

// Logging configured from the log.* settings as ExaBGP's logger/option.py
// does: one destination, a level threshold, per-category switches, and
// ExaBGP's short ("source message") or long ("HH:MM:SS pid source
// message") line format.
//
// Deviations: no colours on a tty; the FATAL and CRITICAL thresholds both
// map to zerolog's error level.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/syslog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"exago/config"
)

// Log categories (ExaBGP's log sources, switched by log.<category>).
const (
	CatReactor       = "reactor"
	CatDaemon        = "daemon"
	CatProcesses     = "processes"
	CatConfiguration = "configuration"
	CatNetwork       = "network"
	CatStatistics    = "statistics"
	CatWire          = "wire"
	CatMessage       = "message"
	CatRIB           = "rib"
	CatTimer         = "timer"
	CatRoutes        = "routes"
	CatParser        = "parser"
)

// Log is the daemon's logging: [Log.For] gives each category its logger.
type Log struct {
	root    zerolog.Logger
	enabled map[string]bool
	closer  io.Closer
}

// LogDestination resolves log.destination as ExaBGP does: stdout, stderr,
// syslog, host:ADDR, file:PATH or an absolute (or ~) path; anything else
// falls back to stdout with a warning.
func LogDestination(d string, warn io.Writer) string {
	switch {
	case d == "stdout" || d == "stderr" || d == "syslog" || strings.HasPrefix(d, "host:"):
		return d
	case strings.HasPrefix(d, "file:"):
		return d[5:]
	case strings.HasPrefix(d, "/"):
		return d
	case strings.HasPrefix(d, "~"):
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, d[1:])
		}
		return d
	}
	fmt.Fprintf(warn, "warning: invalid log destination %q, expected stdout, stderr, syslog, or an absolute file path; falling back to stdout\n", d)
	return "stdout"
}

// NewLog opens the destination of e. stderr is where "stdout" and
// "stderr" go: ExaBGP writes both to the process's standard error.
func NewLog(e *config.Env, stderr io.Writer) (*Log, error) {
	l := &Log{enabled: categories(e)}
	dest := LogDestination(e.Log.Destination, stderr)
	var w io.Writer
	long := !e.Log.Short
	switch {
	case dest == "stdout" || dest == "stderr":
		w = stderr
	case dest == "syslog" || strings.HasPrefix(dest, "host:"):
		var sw *syslog.Writer
		var err error
		if dest == "syslog" {
			sw, err = syslog.New(syslog.LOG_DAEMON|syslog.LOG_INFO, "ExaBGP")
		} else {
			addr := dest[5:]
			if !strings.Contains(addr, ":") || strings.HasSuffix(addr, "]") {
				addr += ":514"
			}
			sw, err = syslog.Dial("udp", addr, syslog.LOG_DAEMON|syslog.LOG_INFO, "ExaBGP")
		}
		if err != nil {
			return nil, fmt.Errorf("log destination %s: %w", dest, err)
		}
		w, l.closer, long = sw, sw, false
	default:
		f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
		if err != nil {
			return nil, fmt.Errorf("log destination %s: %w", dest, err)
		}
		w, l.closer, long = f, f, true
	}
	lw := &lineWriter{w: w, long: long, pid: os.Getpid()}
	level := logLevel(e.Log.Level)
	if !e.Log.Enable {
		level = zerolog.Disabled
	}
	l.root = zerolog.New(lw).Level(level).With().Timestamp().Logger()
	return l, nil
}

// NopLog logs nothing.
func NopLog() *Log { return &Log{root: zerolog.Nop()} }

// For returns the logger of a category (a disabled one when its log.*
// switch is off).
func (l *Log) For(category string) zerolog.Logger {
	if !l.enabled[category] {
		return zerolog.Nop()
	}
	return l.root.With().Str("source", category).Logger()
}

// Close closes a file or syslog destination.
func (l *Log) Close() error {
	if l.closer != nil {
		return l.closer.Close()
	}
	return nil
}

func categories(e *config.Env) map[string]bool {
	on := func(v bool) bool { return e.Log.Enable && (e.Log.All || v) }
	return map[string]bool{
		CatReactor: on(e.Log.Reactor), CatDaemon: on(e.Log.Daemon), CatProcesses: on(e.Log.Processes),
		CatConfiguration: on(e.Log.Configuration), CatNetwork: on(e.Log.Network),
		CatStatistics: on(e.Log.Statistics), CatWire: on(e.Log.Packets), CatMessage: on(e.Log.Message),
		CatRIB: on(e.Log.RIB), CatTimer: on(e.Log.Timers), CatRoutes: on(e.Log.Routes), CatParser: on(e.Log.Parser),
	}
}

// logLevel maps ExaBGP's level names to zerolog's.
func logLevel(s string) zerolog.Level {
	switch strings.ToUpper(s) {
	case "FATAL", "CRITICAL", "ERROR":
		return zerolog.ErrorLevel
	case "WARNING":
		return zerolog.WarnLevel
	case "INFO":
		return zerolog.InfoLevel
	case "DEBUG":
		return zerolog.DebugLevel
	case "NOTSET":
		return zerolog.TraceLevel
	}
	return zerolog.InfoLevel
}

// lineWriter turns zerolog's JSON events into ExaBGP's text lines:
// "source message key=value…", prefixed with "HH:MM:SS pid" when long.
type lineWriter struct {
	mu   sync.Mutex
	w    io.Writer
	long bool
	pid  int
	buf  bytes.Buffer
}

func (lw *lineWriter) Write(p []byte) (int, error) {
	var ev map[string]any
	if err := json.Unmarshal(p, &ev); err != nil {
		return lw.w.Write(p)
	}
	lw.mu.Lock()
	defer lw.mu.Unlock()
	b := &lw.buf
	b.Reset()
	if lw.long {
		ts := time.Now()
		if s, ok := ev[zerolog.TimestampFieldName].(string); ok {
			if t, err := time.Parse(time.RFC3339, s); err == nil {
				ts = t
			}
		}
		fmt.Fprintf(b, "%s %-6d ", ts.Format("15:04:05"), lw.pid)
	}
	src, _ := ev["source"].(string)
	if src == "" {
		src = "reactor"
	}
	msg, _ := ev[zerolog.MessageFieldName].(string)
	fmt.Fprintf(b, "%-15s %s", src, msg)
	keys := make([]string, 0, len(ev))
	for k := range ev {
		switch k {
		case "source", zerolog.MessageFieldName, zerolog.TimestampFieldName, zerolog.LevelFieldName:
		default:
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(b, " %s=%v", k, ev[k])
	}
	b.WriteByte('\n')
	if _, err := lw.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}
