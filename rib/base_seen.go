package rib

// seenView is one family of an Adj-RIB-Out cache (ExaBGP's _seen[family],
// a Python dict): a shared, read-only [Base] table with this peer's changes
// on top. Replacing a base key keeps its place (over), deleting it hides it
// (over holds nil), and a key set again after its deletion, or never in the
// base, goes last (tail). Without a base it is just tail.
type seenView struct {
	base   *ordered       // shared with other peers: never written
	over   map[Key]*Route // base keys replaced (non-nil) or deleted (nil)
	hidden int            // base keys deleted
	tail   ordered        // keys after the base ones, this peer's own
}

func (v *seenView) get(k Key) *Route {
	if r := v.tail.get(k); r != nil {
		return r
	}
	if v.base == nil {
		return nil
	}
	if r, ok := v.over[k]; ok {
		return r
	}
	return v.base.get(k)
}

// inBase reports whether k is a base key not deleted.
func (v *seenView) inBase(k Key) bool {
	if v.base == nil || v.base.get(k) == nil {
		return false
	}
	r, ok := v.over[k]
	return !ok || r != nil
}

func (v *seenView) set(r *Route) {
	if v.tail.get(r.Key) == nil && v.inBase(r.Key) {
		if v.over == nil {
			v.over = map[Key]*Route{}
		}
		v.over[r.Key] = r
		return
	}
	v.tail.set(r)
}

func (v *seenView) del(k Key) {
	if v.tail.get(k) != nil {
		v.tail.del(k)
		return
	}
	if v.inBase(k) {
		if v.over == nil {
			v.over = map[Key]*Route{}
		}
		v.over[k] = nil
		v.hidden++
	}
}

func (v *seenView) len() int {
	n := v.tail.len()
	if v.base != nil {
		n += v.base.len() - v.hidden
	}
	return n
}

// each calls f for every route in order: the base keys still there (with
// this peer's replacements), then the tail.
func (v *seenView) each(f func(*Route)) {
	if v.base != nil {
		for _, r := range v.base.list {
			if r == nil {
				continue
			}
			if x, ok := v.over[r.Key]; ok {
				r = x
			}
			if r != nil {
				f(r)
			}
		}
	}
	v.tail.each(f)
}

// routes returns a snapshot of the routes in order.
func (v *seenView) routes() []*Route {
	s := make([]*Route, 0, v.len())
	v.each(func(r *Route) { s = append(s, r) })
	return s
}
