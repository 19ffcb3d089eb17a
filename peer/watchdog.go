package peer

import (
	"exago/config"
	"exago/rib"
)

// watchdog is one named group of routes (ExaBGP's rib/outgoing.py
// _watchdog): `announce watchdog NAME` announces its withdrawn routes,
// `withdraw watchdog NAME` withdraws its announced ones.
type watchdog struct {
	up   map[rib.Key]*config.Route
	down map[rib.Key]*config.Route
}

func (p *Peer) watchdog(name string) *watchdog {
	if p.dogs == nil {
		p.dogs = map[string]*watchdog{}
	}
	w := p.dogs[name]
	if w == nil {
		w = &watchdog{up: map[rib.Key]*config.Route{}, down: map[rib.Key]*config.Route{}}
		p.dogs[name] = w
	}
	return w
}

// addWatchdog files r under its watchdog and reports whether it is to be
// announced now (routes with the `withdraw` flag wait for `announce
// watchdog`).
func (p *Peer) addWatchdog(r *config.Route) bool {
	w, k := p.watchdog(r.Watchdog), rib.KeyOf(r.NLRI)
	if r.Withdrawn {
		delete(w.up, k)
		w.down[k] = r
		return false
	}
	delete(w.down, k)
	w.up[k] = r
	return true
}

// AnnounceWatchdog announces the withdrawn routes of watchdog name.
func (p *Peer) AnnounceWatchdog(name string) {
	w := p.dogs[name]
	if w == nil {
		return
	}
	for k, r := range w.down {
		if nh, err := p.nextHop(r); err == nil {
			p.out.Announce(r.NLRI, nh, &r.Attrs, false)
		}
		delete(w.down, k)
		w.up[k] = r
	}
	p.kick()
}

// WithdrawWatchdog withdraws the announced routes of watchdog name.
func (p *Peer) WithdrawWatchdog(name string) {
	w := p.dogs[name]
	if w == nil {
		return
	}
	for k, r := range w.up {
		nh, _ := p.nextHop(r)
		p.out.Remove(r.NLRI, nh, &r.Attrs)
		delete(w.up, k)
		w.down[k] = r
	}
	p.kick()
}
