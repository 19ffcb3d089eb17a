package config

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Token is one word of a configuration: a bare word, a quoted string
// (Quoted, quotes removed) or one of the punctuation tokens [ ] ( ) , .
type Token struct {
	Text   string
	Quoted bool
	Pos    Pos
}

// Error is a configuration error at a position. Error() is the one-line
// form `FILE:LINE:COLUMN: message`.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		if e.Pos.File == "" {
			return e.Msg
		}
		return e.Pos.File + ": " + e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// String is FILE:LINE:COLUMN.
func (p Pos) String() string {
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

func errAt(p Pos, msg string) *Error { return &Error{Pos: p, Msg: msg} }

// statement is one statement and the character that ended it: ';',
// '{' or '}' (a lone '}' has no words). A section header ('{') keeps its
// words; a ';' statement keeps only its raw text (re-tokenised when it is
// read, see [Node.Tokens]) so a large file does not hold every token.
type statement struct {
	words  []Token
	raw    string // ';' statements: the text before the ';'
	first  Pos    // position of the first word
	col    int    // 0-based column where raw starts
	end    byte
	endPos Pos
}

// lexer splits configuration text into statements with ExaBGP's lexical
// rules (configuration/core/format.py): `;` `{` `}` end a statement, `#`
// starts a comment outside quotes, `[ ] ( ) ,` are tokens of their own,
// strings are "..." or '...', a line ending in `\` continues on the next
// line, and a statement may not span lines otherwise.
type lexer struct {
	file    string
	src     string
	off     int
	line    int
	stmts   []statement
	scratch []Token // reused between statements
}

// lex tokenises a whole file.
func lex(file, src string) ([]statement, error) {
	lx := &lexer{file: file, src: src}
	for lx.off < len(lx.src) {
		if err := lx.lexLine(); err != nil {
			return nil, err
		}
	}
	return lx.stmts, nil
}

// logicalLine returns the next line with backslash continuations joined,
// and the physical line numbers/columns of each byte are approximated by
// the starting line (continuations are rare).
func (lx *lexer) logicalLine() (string, int) {
	start := lx.line + 1
	var b strings.Builder
	for lx.off < len(lx.src) {
		end := strings.IndexByte(lx.src[lx.off:], '\n')
		var raw string
		if end < 0 {
			raw = lx.src[lx.off:]
			lx.off = len(lx.src)
		} else {
			raw = lx.src[lx.off : lx.off+end]
			lx.off += end + 1
		}
		lx.line++
		raw = strings.TrimRight(raw, " \t\r")
		if strings.HasSuffix(raw, `\`) && !strings.HasSuffix(raw, `\\`) {
			b.WriteString(raw[:len(raw)-1])
			continue
		}
		if b.Len() == 0 {
			return raw, start
		}
		b.WriteString(raw)
		break
	}
	return b.String(), start
}

func (lx *lexer) lexLine() error {
	line, n := lx.logicalLine()
	words, err := lx.scan(line, n, 0, true)
	if err != nil {
		return err
	}
	if len(words) > 0 {
		last := words[len(words)-1]
		end := last.Pos
		end.Col += len(last.Text)
		return errAt(end, "missing ';' after \""+tokensText(words)+"\" (expected ';', '{' or '}' at the end of the line)")
	}
	return nil
}

// scan tokenises one logical line (line number n, its first byte at
// column colBase), appending a statement at each ';', '{' or '}' when emit
// is set, and returns the words left after the last of them (in the
// lexer's scratch buffer, valid until the next scan). It is one
// byte-at-a-time state machine, easier to follow whole than split up.
func (lx *lexer) scan(line string, n, colBase int, emit bool) ([]Token, error) {
	words := lx.scratch[:0]
	var word strings.Builder
	inWord, quoted, escaped := false, byte(0), false
	wordCol, stmtStart := 0, 0
	pos := func(col int) Pos { return Pos{File: lx.file, Line: n, Col: colBase + col + 1} }
	flush := func(i int) {
		if inWord {
			text := line[wordCol:i] // no escape: a substring, no copy
			if escaped {
				text = word.String()
				word.Reset()
			}
			words = append(words, Token{Text: text, Pos: pos(wordCol)})
			inWord, escaped = false, false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if quoted != 0 {
			switch c {
			case quoted:
				words = append(words, Token{Text: word.String(), Quoted: true, Pos: pos(wordCol)})
				word.Reset()
				quoted = 0
			case '\\':
				i = lx.escape(line, i, &word)
			default:
				word.WriteByte(c)
			}
			continue
		}
		switch c {
		case '#':
			flush(i)
			i = len(line)
		case ';', '{', '}':
			flush(i)
			if emit {
				st := statement{end: c, endPos: pos(i)}
				if len(words) > 0 {
					st.first = words[0].Pos
					if c == ';' {
						st.raw, st.col = line[stmtStart:i], colBase+stmtStart
					} else {
						st.words = make([]Token, len(words))
						copy(st.words, words)
					}
				}
				lx.stmts = append(lx.stmts, st)
			}
			words = words[:0]
			stmtStart = i + 1
		case '[', ']', '(', ')', ',':
			flush(i)
			words = append(words, Token{Text: line[i : i+1], Pos: pos(i)})
		case ' ', '\t', '\r', '\n':
			flush(i)
		case '"', '\'':
			flush(i)
			quoted, wordCol = c, i
		case '\\':
			if !inWord {
				inWord, wordCol = true, i
			}
			if !escaped {
				escaped = true
				word.WriteString(line[wordCol:i])
			}
			i = lx.escape(line, i, &word)
		default:
			if !inWord {
				inWord, wordCol = true, i
			}
			if escaped {
				word.WriteByte(c)
			}
		}
	}
	if quoted != 0 {
		return nil, errAt(pos(wordCol), "unterminated string (expected a closing "+string(quoted)+")")
	}
	flush(len(line))
	lx.scratch = words[:0]
	return words, nil
}

// lexStatement re-tokenises the raw text of a ';' statement.
func lexStatement(file, raw string, line, col int) []Token {
	n := 1
	for i := 0; i < len(raw); i++ {
		switch raw[i] {
		case ' ', '\t', '[', ']', '(', ')', ',':
			n++
		}
	}
	lx := lexer{file: file, scratch: make([]Token, 0, n)}
	words, _ := lx.scan(raw, line, col, false)
	return words
}

// escape handles a backslash at line[i] (\b \f \n \r \t \uXXXX \<c>) and
// returns the index of the last byte consumed.
func (lx *lexer) escape(line string, i int, b *strings.Builder) int {
	if i+1 >= len(line) {
		b.WriteByte('\\')
		return i
	}
	switch c := line[i+1]; c {
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		if i+6 <= len(line) {
			if v, err := strconv.ParseUint(line[i+2:i+6], 16, 32); err == nil {
				var buf [4]byte
				b.Write(buf[:utf8.EncodeRune(buf[:], rune(v))])
				return i + 5
			}
		}
		b.WriteByte('u')
	default:
		b.WriteByte(c)
	}
	return i + 1
}

func tokensText(ws []Token) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		if w.Quoted {
			b.WriteString(strconv.Quote(w.Text))
		} else {
			b.WriteString(w.Text)
		}
	}
	return b.String()
}
