package reactor

import "net/netip"

// addrIndex finds the configured sessions of a remote address in O(1),
// so accepting N connections costs O(N), not O(N²) (a scan of every
// session per accepted connection). Several neighbors may share a peer
// address (with different local addresses): each key holds a short list.
// Range neighbors are not indexed; they stay a scan of r.ranges.
type addrIndex[S comparable] map[netip.Addr][]S

func indexKey(p netip.Prefix) netip.Addr { return p.Addr().Unmap() }

func (x addrIndex[S]) add(p netip.Prefix, s S) {
	k := indexKey(p)
	x[k] = append(x[k], s)
}

func (x addrIndex[S]) del(p netip.Prefix, s S) {
	k := indexKey(p)
	l := x[k]
	for i, v := range l {
		if v == s {
			l = append(l[:i], l[i+1:]...)
			break
		}
	}
	if len(l) == 0 {
		delete(x, k)
		return
	}
	x[k] = l
}

// at returns the sessions whose peer address is a.
func (x addrIndex[S]) at(a netip.Addr) []S { return x[a.Unmap()] }
