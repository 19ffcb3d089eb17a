package rib

import "exago/wire"

// Key identifies one route of the Adj-RIB: its family and its packed NLRI
// with a 4-byte path identifier in front (0 without add-path), so that two
// paths of one prefix are two routes. Keys compare like ExaBGP's NLRI
// index, so sorting by Key sorts NLRIs by their packed form.
type Key struct {
	Family wire.Family
	NLRI   string
}

// KeyOf returns the key of n.
func KeyOf(n wire.NLRI) Key {
	var buf [64]byte
	return Key{Family: n.Family(), NLRI: string(n.AppendNLRI(buf[:0], true))}
}
