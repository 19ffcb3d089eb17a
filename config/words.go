package config

import "strings"

// Words is a cursor over the tokens of one statement, as the parsers of
// route keywords consume them. End is where the statement ends (for
// "missing value" errors).
type Words struct {
	toks []Token
	i    int
	end  Pos
}

// NewWords returns a cursor over toks; end is the position reported when a
// value is missing at the end.
func NewWords(toks []Token, end Pos) *Words { return &Words{toks: toks, end: end} }

// WordsFromStrings wraps plain strings (an API command line split on
// spaces) as a cursor; positions are the word indexes (column = index+1).
func WordsFromStrings(ws []string) *Words {
	toks := make([]Token, 0, len(ws))
	for i, w := range ws {
		toks = append(toks, Token{Text: w, Pos: Pos{File: "command", Line: 1, Col: i + 1}})
	}
	return &Words{toks: toks, end: Pos{File: "command", Line: 1, Col: len(ws) + 1}}
}

// Done reports whether every token was consumed.
func (w *Words) Done() bool { return w.i >= len(w.toks) }

// Next returns the next token; ok is false at the end.
func (w *Words) Next() (Token, bool) {
	if w.i >= len(w.toks) {
		return Token{Pos: w.end}, false
	}
	t := w.toks[w.i]
	w.i++
	return t, true
}

// Peek returns the next token without consuming it ("" at the end).
func (w *Words) Peek() string {
	if w.i >= len(w.toks) {
		return ""
	}
	return w.toks[w.i].Text
}

// Pos is the position of the next token, or of the end of the statement.
func (w *Words) Pos() Pos {
	if w.i >= len(w.toks) {
		return w.end
	}
	return w.toks[w.i].Pos
}

// Rest returns the unconsumed tokens and consumes them.
func (w *Words) Rest() []Token {
	r := w.toks[w.i:]
	w.i = len(w.toks)
	return r
}

// Remaining returns the unconsumed tokens without consuming them.
func (w *Words) Remaining() []Token { return w.toks[w.i:] }

// Value consumes the next token as the value of keyword kw; a missing
// value is an error naming kw and what was expected.
func (w *Words) Value(kw, expected string) (Token, error) {
	t, ok := w.Next()
	if !ok || isPunct(t) {
		if ok {
			return t, errAt(t.Pos, "\""+kw+"\" expects "+expected+", found \""+t.Text+"\"")
		}
		return t, errAt(t.Pos, "missing value after \""+kw+"\" (expected "+expected+")")
	}
	return t, nil
}

// List consumes either one value or a bracketed list `[ a b , c ]` and
// returns the values (commas dropped).
func (w *Words) List(kw, expected string) ([]Token, error) {
	t, ok := w.Next()
	if !ok {
		return nil, errAt(t.Pos, "missing value after \""+kw+"\" (expected "+expected+")")
	}
	if t.Quoted || t.Text != "[" {
		if isPunct(t) {
			return nil, errAt(t.Pos, "\""+kw+"\" expects "+expected+", found \""+t.Text+"\"")
		}
		return []Token{t}, nil
	}
	// Fast path: no comma, the values are a sub-slice (no allocation).
	start := w.i
	for j := start; j < len(w.toks); j++ {
		v := w.toks[j]
		if v.Quoted {
			continue
		}
		if v.Text == "," {
			break
		}
		if v.Text == "]" {
			w.i = j + 1
			return w.toks[start:j:j], nil
		}
	}
	var out []Token
	for {
		v, ok := w.Next()
		if !ok {
			return nil, errAt(v.Pos, "list after \""+kw+"\" is not closed (expected ']')")
		}
		if !v.Quoted && v.Text == "]" {
			return out, nil
		}
		if !v.Quoted && v.Text == "," {
			continue
		}
		out = append(out, v)
	}
}

func isPunct(t Token) bool {
	return !t.Quoted && len(t.Text) == 1 && strings.ContainsAny(t.Text, "[](),")
}
