package bench

import (
	"fmt"
	"io"
	"strings"
)

// bar is a one-line terminal progress bar; a nil writer draws nothing.
type bar struct {
	w     io.Writer
	what  string
	total int
	last  int
}

func newBar(w io.Writer, what string, total int) *bar {
	b := &bar{w: w, what: what, total: total, last: -1}
	b.set(0)
	return b
}

func (b *bar) set(n int) {
	if b.w == nil || n == b.last || b.total <= 0 {
		return
	}
	b.last = n
	const width = 30
	k := n * width / b.total
	if k > width {
		k = width
	}
	fmt.Fprintf(b.w, "\r  [%s%s] %d/%d %s ", strings.Repeat("#", k), strings.Repeat(".", width-k), n, b.total, b.what)
}

func (b *bar) done() {
	if b.w != nil {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
