package reactor

import (
	"cmp"
	"slices"
	"time"
)

// Wheel is a hashed timer wheel (Varghese & Lauck): deadlines hash into
// slots of Tick width; a slot holds an intrusive doubly-linked list of the
// timers whose deadline falls in it, whatever the revolution. Set and Stop
// are O(1) by handle ([Timer] is embedded in its owner: no allocation).
// Advance walks the slots passed since the last call and fires the due
// timers in deadline order (ties in the order they were set).
//
// A Wheel is not safe for concurrent use: the reactor goroutine owns it.
type Wheel struct {
	tick  time.Duration
	base  time.Time // time of tick 0
	cur   int64     // first tick not yet walked
	slots []timerList
	n     int    // armed timers
	seq   uint64 // set order, for stable firing
	due   []*Timer
}

// Timer is one deadline in a [Wheel]. Embed it (or keep it by value) in the
// struct that owns it; Owner and Kind say what fired. It is 64 bytes: a
// session embeds one per timer kind (GitHub issue 7, memory per session).
type Timer struct {
	Owner any
	Kind  int

	at         time.Duration // deadline, from the wheel's base
	seq        uint64
	slot       int32 // slot index + 1; 0 when not armed
	prev, next *Timer
}

type timerList struct{ head *Timer }

// NewWheel returns a wheel of n slots, Tick wide, starting at start.
// Deadlines are rounded up to the next tick, so a timer never fires early.
func NewWheel(start time.Time, tick time.Duration, n int) *Wheel {
	if tick <= 0 {
		tick = 10 * time.Millisecond
	}
	if n < 1 {
		n = 512
	}
	return &Wheel{tick: tick, base: start, slots: make([]timerList, n)}
}

// Len reports how many timers are armed.
func (w *Wheel) Len() int { return w.n }

// Armed reports whether t is set.
func (t *Timer) Armed() bool { return t.slot != 0 }

// Deadline returns when t fires (zero when not armed).
func (w *Wheel) Deadline(t *Timer) time.Time {
	if !t.Armed() {
		return time.Time{}
	}
	return w.base.Add(t.at)
}

// tickOf returns the tick in which d (from base) is due (rounded up).
func (w *Wheel) tickOf(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + w.tick - 1) / w.tick)
}

// Set arms t to fire at at, replacing any previous deadline.
func (w *Wheel) Set(t *Timer, at time.Time) {
	if t.Armed() {
		w.unlink(t)
	}
	d := at.Sub(w.base)
	k := w.tickOf(d)
	if k < w.cur {
		k = w.cur // overdue: fire at the next walk
	}
	w.seq++
	t.at, t.seq = d, w.seq
	t.slot = int32(k%int64(len(w.slots))) + 1
	l := &w.slots[t.slot-1]
	t.prev, t.next = nil, l.head
	if l.head != nil {
		l.head.prev = t
	}
	l.head = t
	w.n++
}

// Stop disarms t; stopping a disarmed timer does nothing.
func (w *Wheel) Stop(t *Timer) {
	if t.Armed() {
		w.unlink(t)
	}
}

func (w *Wheel) unlink(t *Timer) {
	l := &w.slots[t.slot-1]
	if t.prev != nil {
		t.prev.next = t.next
	} else {
		l.head = t.next
	}
	if t.next != nil {
		t.next.prev = t.prev
	}
	t.prev, t.next, t.slot = nil, nil, 0
	w.n--
}

// Advance fires, in deadline order, every timer due at or before now. fire
// may Set or Stop any timer, including the one firing; a timer set during
// Advance to a time not after now fires in the next Advance call.
func (w *Wheel) Advance(now time.Time, fire func(*Timer)) {
	nowD := now.Sub(w.base)
	end := w.tickOf(nowD) // ticks <= end may hold due timers
	if end < w.cur {
		return
	}
	due := w.due[:0]
	walk := end - w.cur + 1
	if walk > int64(len(w.slots)) {
		walk = int64(len(w.slots))
	}
	for i := int64(0); i < walk; i++ {
		l := &w.slots[(w.cur+i)%int64(len(w.slots))]
		for t := l.head; t != nil; {
			next := t.next
			if t.at <= nowD {
				w.unlink(t)
				due = append(due, t)
			}
			t = next
		}
	}
	// The tick holding now may still receive deadlines later in it.
	w.cur = end
	slices.SortFunc(due, func(a, b *Timer) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return int(int64(a.seq - b.seq))
	})
	for i, t := range due {
		due[i] = nil
		fire(t)
	}
	w.due = due[:0]
}

// Next returns an upper bound of the earliest deadline: the end of the
// first non-empty slot, at most one revolution ahead. ok is false when no
// timer is armed.
func (w *Wheel) Next() (at time.Time, ok bool) {
	if w.n == 0 {
		return time.Time{}, false
	}
	n := int64(len(w.slots))
	for i := int64(0); i < n; i++ {
		l := &w.slots[(w.cur+i)%n]
		if l.head == nil {
			continue
		}
		first := l.head.at
		for t := l.head.next; t != nil; t = t.next {
			first = min(first, t.at)
		}
		bound := time.Duration(w.cur+i) * w.tick
		return w.base.Add(min(first, bound)), true
	}
	return w.base.Add(time.Duration(w.cur+n) * w.tick), true
}
