package reactor

import (
	"reflect"
	"time"

	"exago/config"
)

// Reload applies a reloaded configuration (SIGUSR1, ExaBGP
// Reactor.reload): unchanged sessions are left alone and get the new
// routes (Reconfigurer), removed neighbors stop (Cease 6/3), changed ones
// stop and start again, new ones start. Safe from any goroutine.
func (r *Reactor) Reload(cfg *config.Config) {
	r.Post(func(r *Reactor) { r.reload(r.clock.Now(), cfg, false) })
}

// Restart applies cfg and re-establishes every session (SIGALRM, the
// `restart` command). Safe from any goroutine.
func (r *Reactor) Restart(cfg *config.Config) {
	r.Post(func(r *Reactor) { r.reload(r.clock.Now(), cfg, true) })
}

func (r *Reactor) reload(now time.Time, cfg *config.Config, restart bool) {
	if r.stopping {
		return
	}
	if err := r.listen(cfg); err != nil {
		r.log.Error().Err(err).Msg("reload: listener")
	}
	plan := diffNeighbors(r.sessionNeighbors(), cfg.Neighbors, restart)
	r.setOrder(cfg)
	for _, name := range plan.remove {
		s := r.sessions[name]
		r.log.Debug().Msgf("removing peer: %s", name)
		r.leave(now, s)
	}
	for _, n := range plan.same {
		if rc, ok := r.sessions[n.Name].m.(Reconfigurer); ok {
			rc.Reconfigure(now, n)
		}
	}
	for _, n := range plan.changed {
		r.log.Debug().Msgf("peer definition change, establishing a new connection for %s", n.Name)
		r.leave(now, r.sessions[n.Name])
		r.startSession(now, n)
	}
	r.ranges = r.ranges[:0]
	for _, n := range plan.add {
		r.log.Debug().Msgf("new peer: %s", n.Name)
		r.startSession(now, n)
	}
	r.log.Info().Msg("loaded new configuration successfully")
}

// leave shuts a session down outside the name map: it sends its Cease and
// is dropped once closed.
func (r *Reactor) leave(now time.Time, s *session) {
	r.forget(s)
	s.dynamic = true
	r.dynamic[s] = struct{}{}
	s.shutdown(now)
}

func (r *Reactor) sessionNeighbors() map[string]*config.Neighbor {
	m := make(map[string]*config.Neighbor, len(r.sessions))
	for name, s := range r.sessions {
		m[name] = s.n
	}
	return m
}

// reloadPlan is what a reload does per neighbor name. Range neighbors
// always land in add (their per-connection peers are kept).
type reloadPlan struct {
	remove  []string
	same    []*config.Neighbor
	changed []*config.Neighbor
	add     []*config.Neighbor
}

func diffNeighbors(old map[string]*config.Neighbor, next []*config.Neighbor, restart bool) reloadPlan {
	var p reloadPlan
	seen := make(map[string]bool, len(next))
	for _, n := range next {
		seen[n.Name] = true
		o, ok := old[n.Name]
		switch {
		case !ok:
			p.add = append(p.add, n)
		case !restart && sameSession(o, n):
			p.same = append(p.same, n)
		default:
			p.changed = append(p.changed, n)
		}
	}
	for name := range old {
		if !seen[name] {
			p.remove = append(p.remove, name)
		}
	}
	return p
}

// sameSession reports whether two neighbor definitions differ only in
// their routes and in where things were written (config.Pos anywhere).
func sameSession(a, b *config.Neighbor) bool {
	x, y := *a, *b
	x.Routes, y.Routes = nil, nil
	return equalSkippingPos(reflect.ValueOf(x), reflect.ValueOf(y))
}

var posType = reflect.TypeOf(config.Pos{})

// equalSkippingPos is reflect.DeepEqual that treats every config.Pos as
// equal (pointers are compared by what they point to, without cycles:
// configuration values are trees).
func equalSkippingPos(x, y reflect.Value) bool {
	if x.Type() != y.Type() {
		return false
	}
	if x.Type() == posType {
		return true
	}
	switch x.Kind() {
	case reflect.Struct:
		for i := 0; i < x.NumField(); i++ {
			if !equalSkippingPos(x.Field(i), y.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice, reflect.Array:
		if x.Kind() == reflect.Slice && (x.IsNil() != y.IsNil() || x.Len() != y.Len()) {
			return false
		}
		for i := 0; i < x.Len(); i++ {
			if !equalSkippingPos(x.Index(i), y.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer, reflect.Interface:
		if x.IsNil() || y.IsNil() {
			return x.IsNil() == y.IsNil()
		}
		return equalSkippingPos(x.Elem(), y.Elem())
	}
	if x.CanInterface() && y.CanInterface() {
		return reflect.DeepEqual(x.Interface(), y.Interface())
	}
	return equalUnexported(x, y)
}

// equalUnexported compares values reached through unexported fields
// (netip.Addr internals, ...) without Interface().
func equalUnexported(x, y reflect.Value) bool {
	switch x.Kind() {
	case reflect.Bool:
		return x.Bool() == y.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return x.Int() == y.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return x.Uint() == y.Uint()
	case reflect.Float32, reflect.Float64:
		return x.Float() == y.Float()
	case reflect.String:
		return x.String() == y.String()
	case reflect.Map:
		if x.Len() != y.Len() {
			return false
		}
		for _, k := range x.MapKeys() {
			if v := y.MapIndex(k); !v.IsValid() || !equalSkippingPos(x.MapIndex(k), v) {
				return false
			}
		}
		return true
	}
	return x.IsZero() == y.IsZero()
}
