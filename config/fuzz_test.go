package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoadText: any text gives a configuration or a one-line error, never
// a panic. Seeded with the ExaBGP example configurations when present.
func FuzzLoadText(f *testing.F) {
	if dir := os.Getenv("EXAGO_QA_DIR"); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "conf", "*.conf"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(string(b))
			}
		}
	}
	f.Add("neighbor 127.0.0.1 { local-address 127.0.0.1; local-as 1; peer-as 1; static { route 10.0.0.0/8 next-hop 1.1.1.1 as-path [ 1 ( 2 ) ] community [ 1:1 ]; } }\n")
	f.Add("process p { run /bin/true; encoder json; }\ntemplate { neighbor t { hold-time 30; } }\n")
	f.Fuzz(func(t *testing.T, text string) {
		_, err := LoadText("fuzz.conf", text, nil)
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("multi-line error: %q", err)
		}
	})
}

// FuzzParseAnnounce: any API words give routes or an error, never a panic.
func FuzzParseAnnounce(f *testing.F) {
	for _, s := range []string{
		"route 10.0.0.0/24 next-hop 1.2.3.4 community [1:2] as-path [ 1 2 ]",
		"attributes next-hop 1.2.3.4 med 3 nlri 10.0.0.0/24 10.0.1.0/24",
		"ipv4 mpls-vpn 10.0.0.0/24 rd 1:1 label 5 next-hop 1.1.1.1",
		"ipv6 unicast 2001:db8::/32 next-hop ::1 split /34",
		"flow route destination 10.0.0.0/24 discard",
		"vpls endpoint 5 base 10702 offset 1 size 8 rd 1.2.3.4:1 next-hop 1.2.3.4",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words := strings.Fields(line)
		ParseAnnounce(words)
		ParseWithdraw(words)
	})
}
