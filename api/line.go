package api

// normalise rewrites a command line the way ExaBGP's
// configuration/core/format.py:formated does: surrounding space trimmed,
// tabs turned into spaces, `[` `(` followed by a space, `]` `)` preceded by
// one, `,` surrounded by spaces, then runs of spaces collapsed to one (a
// space added at either end by that padding stays, as in ExaBGP). It
// appends to dst and returns it; it does not allocate when dst has room.
func normalise(dst []byte, line []byte) []byte {
	line = trimSpace(line)
	space := false // the last byte written was a space
	put := func(c byte) {
		if c == ' ' {
			if space {
				return
			}
			space = true
		} else {
			space = false
		}
		dst = append(dst, c)
	}
	for _, c := range line {
		switch c {
		case '\t', ' ':
			put(' ')
		case '[', '(':
			put(c)
			put(' ')
		case ']', ')':
			put(' ')
			put(c)
		case ',':
			put(' ')
			put(',')
			put(' ')
		default:
			put(c)
		}
	}
	return dst
}

// trimSpace removes ASCII white space (Python's str.strip set) from both
// ends of b.
func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// fields splits s on single spaces (s is normalised, so no empty fields)
// into dst, reusing its storage.
func fields(dst []string, s string) []string {
	dst = dst[:0]
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' {
			if i > start {
				dst = append(dst, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		dst = append(dst, s[start:])
	}
	return dst
}

// hasWord reports whether word is one of the space-separated words of s.
func hasWord(s, word string) bool {
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != ' ' {
			i++
		}
		if s[:i] == word {
			return true
		}
		if i == len(s) {
			return false
		}
		s = s[i+1:]
	}
	return false
}
