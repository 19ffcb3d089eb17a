package config

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// EnvError is a bad environment setting: which setting, the value, where
// it came from (an environment variable name or FILE:LINE) and why.
type EnvError struct {
	Setting string // exabgp.tcp.port
	Value   string
	Source  string
	Reason  string
}

func (e *EnvError) Error() string {
	return e.Source + ": invalid value for " + e.Setting + ": \"" + e.Value + "\" (" + e.Reason + ")"
}

// Root returns ExaBGP's ROOT (environment/base.py): $EXABGP_ROOT, else the
// directory of argv0, without a trailing /bin or /sbin.
func Root(environ []string, argv0 string) string {
	root := lookupEnv(environ, EnvRoot)
	if root == "" {
		root = filepath.Dir(argv0)
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if strings.HasSuffix(root, "/bin") || strings.HasSuffix(root, "/sbin") {
		root = filepath.Dir(root)
	}
	if i := strings.Index(root, "src/exabgp/application"); i >= 0 {
		root = root[:i]
	}
	return strings.TrimSuffix(root, "/")
}

// EnvFilePath returns the exabgp.env ExaBGP would read: the --env-file
// value, else $EXABGP_ENVFILE, else ROOT/etc/exabgp/exabgp.env.
func EnvFilePath(flag string, environ []string, root string) string {
	if flag != "" {
		return flag
	}
	if v, ok := lookupEnvOK(environ, EnvFile); ok {
		return v
	}
	return filepath.Join(root, "etc", "exabgp", "exabgp.env")
}

// LoadEnv builds the settings from the defaults, the ini file at path
// (a missing file is fine) and environ ("k=v" strings, as os.Environ),
// with ExaBGP's precedence: exabgp.s.k variable > exabgp_s_k variable >
// file > default; then the tcp.connections / tcp.once aliases and the
// outgoing connect port (see [Env].TCP.ConnectPort).
func LoadEnv(path string, environ []string) (*Env, error) {
	ini, err := readINI(path)
	if err != nil {
		return nil, err
	}
	e := DefaultEnv()
	for i := range settings {
		s := &settings[i]
		dotted := "exabgp." + s.name()
		under := strings.ReplaceAll(dotted, ".", "_")
		raw, src, found := "", "", false
		if v, ok := lookupEnvOK(environ, dotted); ok {
			raw, src, found = v, "environment "+dotted, true
		} else if v, ok := lookupEnvOK(environ, under); ok {
			raw, src, found = v, "environment "+under, true
		} else if v, ok := ini[dotted]; ok && v.set {
			raw, src, found = unquote(v.value), path+":"+strconv.Itoa(v.line), true
		}
		if !found {
			continue
		}
		if perr := s.parse(e, raw, true); perr != nil {
			return nil, &EnvError{Setting: dotted, Value: raw, Source: src, Reason: perr.Error()}
		}
	}
	return e, applyTCPQuirks(e, environ)
}

// applyTCPQuirks mirrors environment.py's backward-compatibility block and
// reactor/protocol.py's reading of the connect port.
func applyTCPQuirks(e *Env, environ []string) error {
	get := func(k string) (string, string) {
		if v := lookupEnv(environ, "exabgp.tcp."+k); v != "" {
			return v, "exabgp.tcp." + k
		}
		return lookupEnv(environ, "exabgp_tcp_"+k), "exabgp_tcp_" + k
	}
	conns, connsName := get("connections")
	if conns != "" {
		n, err := strconv.Atoi(strings.TrimSpace(conns))
		if err != nil {
			return &EnvError{Setting: "exabgp.tcp.connections", Value: conns, Source: "environment " + connsName, Reason: "expected an integer"}
		}
		e.TCP.Attempts = n
	}
	once, _ := get("once")
	attempts, _ := get("attempts")
	if once != "" && attempts == "" && conns == "" {
		e.TCP.Attempts = 0
		if e.TCP.Once {
			e.TCP.Attempts = 1
		}
	}
	for _, k := range []string{"exabgp.tcp.port", "exabgp_tcp_port"} {
		v := lookupEnv(environ, k)
		if v != "" && isDigits(v) {
			e.TCP.ConnectPort, _ = strconv.Atoi(v)
			break
		}
	}
	return nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func lookupEnv(environ []string, key string) string {
	v, _ := lookupEnvOK(environ, key)
	return v
}

// lookupEnvOK finds key in environ; the last occurrence wins, as in the
// process environment.
func lookupEnvOK(environ []string, key string) (string, bool) {
	for i := len(environ) - 1; i >= 0; i-- {
		kv := environ[i]
		if len(kv) > len(key) && kv[len(key)] == '=' && kv[:len(key)] == key {
			return kv[len(key)+1:], true
		}
	}
	return "", false
}

type iniValue struct {
	value string
	line  int
	set   bool // false for `key` with no value (ExaBGP then keeps the default)
}

// readINI reads the exabgp.env file in Python configparser's dialect
// (sections, `key = value` or `key: value`, # and ; comment lines,
// indented continuation lines). Keys are "section.option", lower case.
func readINI(path string) (map[string]iniValue, error) {
	out := map[string]iniValue{}
	if path == "" {
		return out, nil
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return out, nil
		}
		return nil, errors.New(path + ": " + err.Error())
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	section, last, n := "", "", 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || trimmed[0] == '#' || trimmed[0] == ';' {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			if v, ok := out[last]; ok && last != "" {
				v.value += "\n" + trimmed
				out[last] = v
				continue
			}
		}
		if trimmed[0] == '[' {
			end := strings.IndexByte(trimmed, ']')
			if end < 0 {
				return nil, errors.New(path + ":" + strconv.Itoa(n) + ": invalid section header " + trimmed)
			}
			section = trimmed[1:end]
			continue
		}
		if section == "" {
			return nil, errors.New(path + ":" + strconv.Itoa(n) + ": setting outside of a [section]: " + trimmed)
		}
		key, value, set := trimmed, "", false
		if i := strings.IndexAny(trimmed, "=:"); i >= 0 {
			key, value, set = strings.TrimSpace(trimmed[:i]), strings.TrimSpace(trimmed[i+1:]), true
		}
		last = section + "." + strings.ToLower(key)
		out[last] = iniValue{value: value, line: n, set: set}
	}
	if err := sc.Err(); err != nil {
		return nil, errors.New(path + ": " + err.Error())
	}
	return out, nil
}
