package config

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Load parses configuration files into one [Config]: processes,
// templates and neighbors of every file, with templates applied and
// every neighbor validated. env supplies bgp.passive (range neighbors);
// nil means the defaults. The error is one line, `FILE:LINE:COL: what is
// wrong (what was expected)`.
func Load(files []string, env *Env) (*Config, error) {
	if env == nil {
		env = DefaultEnv()
	}
	l := &loader{env: env, cfg: &Config{Files: files}, templates: map[string]*scope{}, names: map[string]Pos{}, index: map[string]Pos{}}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, &Error{Pos: Pos{File: f}, Msg: "can not read the configuration: " + errText(err)}
		}
		if err := l.loadText(f, string(data)); err != nil {
			return nil, err
		}
	}
	if err := l.link(); err != nil {
		return nil, err
	}
	return l.cfg, nil
}

// LoadText parses configuration text (named name in errors).
func LoadText(name, text string, env *Env) (*Config, error) {
	if env == nil {
		env = DefaultEnv()
	}
	l := &loader{env: env, cfg: &Config{Files: []string{name}}, templates: map[string]*scope{}, names: map[string]Pos{}, index: map[string]Pos{}}
	if err := l.loadText(name, text); err != nil {
		return nil, err
	}
	if err := l.link(); err != nil {
		return nil, err
	}
	return l.cfg, nil
}

func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

type loader struct {
	env       *Env
	cfg       *Config
	templates map[string]*scope
	names     map[string]Pos // process names
	index     map[string]Pos // neighbor identity, for duplicates
	file      string
}

func (l *loader) loadText(file, text string) error {
	l.file = file
	stmts, err := lex(file, text)
	if err != nil {
		return err
	}
	nodes, err := buildTree(stmts)
	if err != nil {
		return err
	}
	for _, n := range nodes {
		if err := l.top(n); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) top(n *Node) error {
	switch kw := n.Keyword(); kw {
	case "process":
		return l.process(n)
	case "template":
		if !n.Block {
			return errAt(n.Pos, "template must be a section (expected template { neighbor NAME { ... } })")
		}
		for _, c := range n.Children {
			if c.Keyword() != "neighbor" || !c.Block || len(c.Words) != 2 {
				return errAt(c.Pos, "invalid template entry \""+c.Keyword()+"\" (expected neighbor NAME { ... })")
			}
			s, err := l.neighborScope(c)
			if err != nil {
				return err
			}
			l.templates[c.Words[1].Text] = s
		}
		return nil
	case "neighbor":
		if !n.Block {
			return errAt(n.Pos, "neighbor must be a section (expected neighbor IP { ... })")
		}
		return l.neighbor(n)
	default:
		return errAt(n.Pos, "unknown section \""+kw+"\" (expected process, template or neighbor)")
	}
}

var processName = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// process parses `process NAME { run ...; encoder text|json; respawn; }`.
func (l *loader) process(n *Node) error {
	if !n.Block || len(n.Words) != 2 {
		return errAt(n.Pos, "invalid process (expected process NAME { ... })")
	}
	name := n.Words[1]
	if !processName.MatchString(name.Text) {
		return errAt(name.Pos, "invalid process name \""+name.Text+"\" (expected letters, digits, '.', '_' or '-')")
	}
	if prev, dup := l.names[name.Text]; dup {
		return errAt(name.Pos, "a process section called \""+name.Text+"\" already exists (first at "+prev.String()+")")
	}
	l.names[name.Text] = name.Pos
	p := &Process{Name: name.Text, Respawn: true, Pos: n.Pos}
	for _, c := range n.Children {
		if c.Block {
			return errAt(c.Pos, "unexpected section \""+c.Keyword()+"\" in process (expected run, encoder or respawn)")
		}
		w := c.Args()
		switch c.Keyword() {
		case "run":
			if w.Done() {
				return errAt(c.End, "missing program after \"run\"")
			}
			for !w.Done() {
				t, _ := w.Next()
				p.Run = append(p.Run, t.Text)
			}
			p.Run[0] = resolveProgram(p.Run[0], filepath.Dir(l.file))
		case "encoder":
			t, err := w.Value("encoder", "text or json")
			if err != nil {
				return err
			}
			if t.Text != "text" && t.Text != "json" {
				return errAt(t.Pos, "\""+t.Text+"\" is an invalid encoder (expected text or json)")
			}
			p.Encoder = t.Text
		case "respawn":
			b, err := boolValue(w, "respawn", true)
			if err != nil {
				return err
			}
			p.Respawn = b
		default:
			return errAt(c.Pos, "unknown process keyword \""+c.Keyword()+"\" (expected run, encoder or respawn)")
		}
	}
	var missing []string
	if len(p.Run) == 0 {
		missing = append(missing, "run")
	}
	if p.Encoder == "" {
		missing = append(missing, "encoder")
	}
	if len(missing) > 0 {
		return errAt(sectionEnd(n), "process "+p.Name+": unset process sections: "+strings.Join(missing, ", "))
	}
	l.cfg.Processes = append(l.cfg.Processes, p)
	return nil
}

// resolveProgram finds a relative program as ExaBGP does: /etc/exabgp/PRG,
// then next to the configuration, then on $PATH. A program found nowhere
// is returned unchanged (the server reports it when it starts it).
func resolveProgram(prg, confDir string) string {
	if strings.HasPrefix(prg, "/") {
		return prg
	}
	options := []string{filepath.Join("/etc/exabgp", prg), filepath.Join(confDir, prg)}
	for _, d := range filepath.SplitList(os.Getenv("PATH")) {
		options = append(options, filepath.Join(d, prg))
	}
	for _, o := range options {
		if st, err := os.Stat(o); err == nil && !st.IsDir() {
			if abs, err := filepath.Abs(o); err == nil {
				return abs
			}
			return o
		}
	}
	return prg
}

// link checks what spans files: processes named by neighbors' api blocks.
func (l *loader) link() error {
	known := map[string]bool{}
	for _, p := range l.cfg.Processes {
		known[p.Name] = true
	}
	for _, n := range l.cfg.Neighbors {
		for _, a := range n.APIs {
			for _, p := range a.Processes {
				if !known[p] {
					return errAt(a.Pos, "neighbor "+peerString(n.PeerAddress)+": api uses the undefined process \""+p+"\" (expected a process defined in a process section)")
				}
			}
		}
	}
	return nil
}

// boolValue parses ExaBGP's configuration boolean (true/enable/enabled,
// false/disable/disabled); a bare keyword gives bare.
func boolValue(w *Words, kw string, bare bool) (bool, error) {
	if w.Done() {
		return bare, nil
	}
	t, _ := w.Next()
	switch strings.ToLower(t.Text) {
	case "true", "enable", "enabled":
		return true, nil
	case "false", "disable", "disabled":
		return false, nil
	}
	return false, errAt(t.Pos, "invalid value \""+t.Text+"\" for "+kw+" (expected true or false)")
}
