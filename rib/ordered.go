package rib

// ordered is a map from Key to *Route that iterates in insertion order,
// with Python dict semantics (ExaBGP's RIB is built on them): setting an
// existing key keeps its position; a deleted key set again goes last.
type ordered struct {
	idx  map[Key]int
	list []*Route // nil where a key was deleted
	live int
}

func (o *ordered) get(k Key) *Route {
	if i, ok := o.idx[k]; ok {
		return o.list[i]
	}
	return nil
}

func (o *ordered) set(r *Route) {
	if o.idx == nil {
		o.idx = map[Key]int{}
	}
	if i, ok := o.idx[r.Key]; ok {
		o.list[i] = r
		return
	}
	o.idx[r.Key] = len(o.list)
	o.list = append(o.list, r)
	o.live++
}

func (o *ordered) del(k Key) {
	i, ok := o.idx[k]
	if !ok {
		return
	}
	delete(o.idx, k)
	o.list[i] = nil
	o.live--
	if o.live == 0 {
		o.list = o.list[:0]
	} else if len(o.list) > 64 && o.live < len(o.list)/4 {
		o.compact()
	}
}

// compact drops the holes left by deletions.
func (o *ordered) compact() {
	j := 0
	for _, r := range o.list {
		if r != nil {
			o.list[j] = r
			o.idx[r.Key] = j
			j++
		}
	}
	clear(o.list[j:])
	o.list = o.list[:j]
}

func (o *ordered) len() int { return o.live }

// each calls f for every route in order.
func (o *ordered) each(f func(*Route)) {
	for _, r := range o.list {
		if r != nil {
			f(r)
		}
	}
}

// routes returns a snapshot of the routes in order.
func (o *ordered) routes() []*Route {
	s := make([]*Route, 0, o.live)
	o.each(func(r *Route) { s = append(s, r) })
	return s
}
