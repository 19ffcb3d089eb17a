package reactor

import (
	"bytes"
	"strings"
	"testing"

	"exago/config"
)

func TestLogShortFormatAndCategories(t *testing.T) {
	e := config.DefaultEnv()
	e.Log.Short = true
	e.Log.Level = "INFO"
	var out bytes.Buffer
	l, err := NewLog(e, &out)
	if err != nil {
		t.Fatal(err)
	}
	r, tm := l.For(CatReactor), l.For(CatTimer)
	r.Info().Str("peer", "10.0.0.1").Msg("performing reload")
	r.Debug().Msg("hidden at INFO")
	tm.Info().Msg("timers are off by default")
	got := out.String()
	want := "reactor         performing reload peer=10.0.0.1\n"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLogLongFormatAll(t *testing.T) {
	e := config.DefaultEnv()
	e.Log.Short, e.Log.All, e.Log.Level = false, true, "DEBUG"
	var out bytes.Buffer
	l, err := NewLog(e, &out)
	if err != nil {
		t.Fatal(err)
	}
	tm := l.For(CatTimer)
	tm.Debug().Msg("tick")
	f := strings.Fields(out.String())
	if len(f) != 4 || len(f[0]) != 8 || f[2] != "timer" || f[3] != "tick" {
		t.Fatalf("long line %q", out.String())
	}
}

func TestLogDestination(t *testing.T) {
	var warn bytes.Buffer
	for in, want := range map[string]string{
		"stdout": "stdout", "syslog": "syslog", "file:/tmp/x": "/tmp/x", "/var/log/e": "/var/log/e",
		"host:10.0.0.1": "host:10.0.0.1", "relative": "stdout",
	} {
		if got := LogDestination(in, &warn); got != want {
			t.Errorf("%s: got %s want %s", in, got, want)
		}
	}
	if !strings.Contains(warn.String(), "invalid log destination") {
		t.Errorf("no warning for a relative path")
	}
}
