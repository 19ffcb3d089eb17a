package config

// Node is one statement of a configuration file: its words and, when it
// opens a section (`words {`), the statements inside it. Family grammars
// registered with [RegisterGrammar] receive their sections as Nodes.
//
// A section's header words are in Words. A plain statement (`...;`) keeps
// only its text, so that a file of 100,000 routes does not hold 1.6
// million tokens: read its words with [Node.Tokens].
type Node struct {
	Words    []Token // section header words; nil for a plain statement
	Block    bool
	Children []*Node
	Pos      Pos // first word, or the brace for a section with no words
	End      Pos // the ';' or the closing '}'
	raw      string
	rawCol   int
}

// Tokens returns the words of the statement: the header words of a
// section, or the freshly tokenised words of a plain statement (a new
// slice on each call).
func (n *Node) Tokens() []Token {
	if n.Block || n.raw == "" {
		return n.Words
	}
	return lexStatement(n.Pos.File, n.raw, n.Pos.Line, n.rawCol)
}

// Keyword is the first word of the statement ("" if none).
func (n *Node) Keyword() string {
	t := n.Tokens()
	if len(t) == 0 {
		return ""
	}
	return t[0].Text
}

// Args is a cursor over the words after the keyword.
func (n *Node) Args() *Words {
	t := n.Tokens()
	if len(t) == 0 {
		return &Words{end: n.End}
	}
	return &Words{toks: t[1:], end: n.End}
}

// sectionEnd is where a section closes, its '}', where ExaBGP reports what
// is wrong with the section as a whole; a section left open at the end of
// the file has no '}' and is reported where it starts.
func sectionEnd(n *Node) Pos {
	if n.End.Line > 0 {
		return n.End
	}
	return n.Pos
}

// buildTree nests the statements of one file.
func buildTree(stmts []statement) ([]*Node, error) {
	root := &Node{}
	stack := []*Node{root}
	for _, s := range stmts {
		top := stack[len(stack)-1]
		switch s.end {
		case ';':
			if s.raw == "" {
				continue // a stray ';' is harmless
			}
			top.Children = append(top.Children, &Node{raw: s.raw, rawCol: s.col, Pos: s.first, End: s.endPos})
		case '{':
			p := s.endPos
			if len(s.words) > 0 {
				p = s.words[0].Pos
			}
			n := &Node{Words: s.words, Block: true, Pos: p}
			top.Children = append(top.Children, n)
			stack = append(stack, n)
		case '}':
			if len(s.words) > 0 {
				last := s.words[len(s.words)-1]
				end := last.Pos
				end.Col += len(last.Text)
				return nil, errAt(end, "missing ';' after \""+tokensText(s.words)+"\" (expected ';' before '}')")
			}
			if len(stack) == 1 {
				continue // ExaBGP ignores a surplus '}' (etc/exabgp/conf-extended-attributes.conf has one)
			}
			top.End = s.endPos
			stack = stack[:len(stack)-1]
		}
	}
	// Sections still open at the end of the file are closed there, as
	// ExaBGP does (etc/exabgp/conf-split.conf never closes its neighbor).
	return root.Children, nil
}
