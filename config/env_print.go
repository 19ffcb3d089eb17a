package config

import (
	"io"
	"sort"
	"strings"
)

// WriteINI writes the settings as `exabgp env` does: one [exabgp.SECTION]
// block per section, sections and keys sorted, each header preceded by an
// empty line; debug.* hidden. With diff only values differing from the
// defaults are written (and sections with none are left out). The output
// read back with [LoadEnv] gives the same settings.
func (e *Env) WriteINI(w io.Writer, diff bool) error {
	def := DefaultEnv()
	rows := visibleSettings()
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].section != rows[j].section {
			return rows[i].section < rows[j].section
		}
		return rows[i].option < rows[j].option
	})
	var b strings.Builder
	section := ""
	for _, s := range rows {
		v := s.format(e)
		if diff && v == s.format(def) {
			continue
		}
		if s.section != section {
			section = s.section
			b.WriteString("\n[exabgp." + section + "]\n")
		}
		b.WriteString(s.option + " = " + v + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteEnvLines writes `exabgp env -e`: exabgp.SECTION.KEY=VALUE lines in
// ExaBGP's definition order.
func (e *Env) WriteEnvLines(w io.Writer, diff bool) error {
	def := DefaultEnv()
	var b strings.Builder
	for _, s := range visibleSettings() {
		v := s.format(e)
		if diff && v == s.format(def) {
			continue
		}
		b.WriteString("exabgp." + s.name() + "=" + v + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDefaults writes the "Environment values are:" list `exabgp` prints
// after its usage when run with no argument (Env.default()), without a
// final newline, as ExaBGP.
func WriteDefaults(w io.Writer) error {
	rows := visibleSettings()
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].section != rows[j].section {
			return rows[i].section < rows[j].section
		}
		return rows[i].option < rows[j].option
	})
	lines := make([]string, 0, len(rows))
	for _, s := range rows {
		pad := 18 - len(s.section) - len(s.option)
		if pad < 0 {
			pad = 0
		}
		lines = append(lines, "    exabgp."+s.name()+" "+strings.Repeat(" ", pad)+" "+s.help+". default ("+s.helpDefault()+")")
	}
	_, err := io.WriteString(w, "\nEnvironment values are:\n"+strings.Join(lines, "\n"))
	return err
}

// SettingNames lists every setting "section.option" in definition order,
// hidden debug ones included.
func SettingNames() []string {
	out := make([]string, len(settings))
	for i := range settings {
		out[i] = settings[i].name()
	}
	return out
}

func visibleSettings() []*setting {
	out := make([]*setting, 0, len(settings))
	for i := range settings {
		if !settings[i].hidden {
			out = append(out, &settings[i])
		}
	}
	return out
}
