package config

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEnvSettings holds ExaBGP 5.0.13's settings (environment/setup.py)
// and their defaults as `exabgp env` writes them, plus ExaGo's reactor.mode.
func TestEnvSettings(t *testing.T) {
	want := []string{
		"profile.enable=false", "profile.file=''", "pdb.enable=false",
		"daemon.pid=''", "daemon.user='nobody'", "daemon.daemonize=false", "daemon.drop=true", "daemon.umask='0o137'",
		"log.enable=true", "log.level=INFO", "log.destination='stdout'", "log.all=false", "log.configuration=true",
		"log.reactor=true", "log.daemon=true", "log.processes=true", "log.network=true", "log.statistics=true",
		"log.packets=false", "log.rib=false", "log.message=false", "log.timers=false", "log.routes=false",
		"log.parser=false", "log.short=true",
		"tcp.once=false", "tcp.attempts=0", "tcp.delay=0", "tcp.bind=''", "tcp.port=179", "tcp.acl=false",
		"bgp.passive=false", "bgp.openwait=60", "cache.attributes=true", "cache.nexthops=true",
		"api.ack=true", "api.chunk=1", "api.show-routes-format=v1", "api.encoder=json", "api.compact=false",
		"api.respawn=true", "api.terminate=false", "api.cli=true", "api.pipename='exabgp'",
		"reactor.speed=1.0", "reactor.mode=reactor",
		"debug.pdb=false", "debug.memory=false", "debug.configuration=false", "debug.selfcheck=false",
		"debug.route=''", "debug.defensive=false", "debug.rotate=false",
	}
	e := DefaultEnv()
	if len(settings) != len(want) || len(settings) != 53 {
		t.Fatalf("got %d settings, want %d (52 of ExaBGP + reactor.mode)", len(settings), len(want))
	}
	for i, s := range settings {
		if got := s.name() + "=" + s.format(e); got != want[i] {
			t.Errorf("setting %d: got %s, want %s", i, got, want[i])
		}
	}
}

func TestEnvPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "exabgp.env")
	os.WriteFile(file, []byte("[exabgp.tcp]\nport = 1000\nbind = '127.0.0.1 ::1'\n[exabgp.log]\nlevel = debug\n[exabgp.api]\nack = false\n"), 0o644)
	e, err := LoadEnv(file, []string{"exabgp_api_ack=true", "exabgp.log.level=WARNING", "exabgp_log_level=ERROR"})
	if err != nil {
		t.Fatal(err)
	}
	if e.TCP.Port != 1000 || e.TCP.ConnectPort != 0 {
		t.Errorf("ini port: got %d/%d", e.TCP.Port, e.TCP.ConnectPort)
	}
	if len(e.TCP.Bind) != 2 || e.TCP.Bind[1].String() != "::1" {
		t.Errorf("bind: %v", e.TCP.Bind)
	}
	if !e.API.Ack || e.Log.Level != "WARNING" {
		t.Errorf("env over ini: ack %v level %s", e.API.Ack, e.Log.Level)
	}
	e, err = LoadEnv(file, []string{"exabgp_tcp_port=1790", "exabgp_tcp_connections=2"})
	if err != nil {
		t.Fatal(err)
	}
	if e.TCP.Port != 1790 || e.TCP.ConnectPort != 1790 || e.TCP.Attempts != 2 {
		t.Errorf("env port/connections: %d %d %d", e.TCP.Port, e.TCP.ConnectPort, e.TCP.Attempts)
	}
	e, _ = LoadEnv("", []string{"exabgp_tcp_once=true"})
	if e.TCP.Attempts != 1 {
		t.Errorf("tcp.once: attempts %d", e.TCP.Attempts)
	}
	e, _ = LoadEnv("", []string{"exabgp_tcp_once=true", "exabgp_tcp_attempts=5"})
	if e.TCP.Attempts != 5 {
		t.Errorf("tcp.once with attempts: %d", e.TCP.Attempts)
	}
}

func TestEnvBadValue(t *testing.T) {
	for _, kv := range []string{"exabgp_tcp_port=abc", "exabgp.log.level=LOUD", "exabgp_reactor_mode=async", "exabgp_api_encoder=xml", "exabgp_tcp_bind=1.2.3.999"} {
		_, err := LoadEnv("", []string{kv})
		if err == nil {
			t.Errorf("%s: accepted", kv)
			continue
		}
		name, value, _ := strings.Cut(kv, "=")
		setting := strings.ReplaceAll(strings.TrimPrefix(strings.TrimPrefix(name, "exabgp_"), "exabgp."), "_", ".")
		if !strings.Contains(err.Error(), setting) || !strings.Contains(err.Error(), value) {
			t.Errorf("%s: error %q does not name the setting and value", kv, err)
		}
	}
}

// TestEnvRoundTrip checks that `exabgp env > exabgp.env` reads back the same.
func TestEnvRoundTrip(t *testing.T) {
	e, err := LoadEnv("", []string{"exabgp_tcp_bind=127.0.0.1", "exabgp_daemon_umask=022", "exabgp_log_destination=/tmp/x y", "exabgp_reactor_speed=0.5", "exabgp_reactor_mode=sync"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	e.WriteINI(&b, false)
	file := filepath.Join(t.TempDir(), "exabgp.env")
	os.WriteFile(file, b.Bytes(), 0o644)
	e2, err := LoadEnv(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b2 bytes.Buffer
	e2.WriteINI(&b2, false)
	if b.String() != b2.String() {
		t.Errorf("round trip differs:\n%s\n---\n%s", b.String(), b2.String())
	}
	var d bytes.Buffer
	e2.WriteINI(&d, true)
	for _, want := range []string{"bind = '127.0.0.1'", "umask = '0o22'", "speed = 0.5", "mode = sync", "destination = '/tmp/x y'"} {
		if !strings.Contains(d.String(), want) {
			t.Errorf("diff output lacks %q:\n%s", want, d.String())
		}
	}
}
