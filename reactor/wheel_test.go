package reactor

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestWheelFiresInOrder(t *testing.T) {
	c := newFakeClock()
	w := NewWheel(c.Now(), 10*time.Millisecond, 8)
	timers := make([]Timer, 50)
	deadlines := make([]time.Time, len(timers))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range timers {
		timers[i].Kind = i
		deadlines[i] = c.Now().Add(time.Duration(r.IntN(3000)) * time.Millisecond)
		w.Set(&timers[i], deadlines[i])
		if got := w.Deadline(&timers[i]); !got.Equal(deadlines[i]) {
			t.Fatalf("timer %d deadline %v, set %v", i, got, deadlines[i])
		}
	}
	var fired []time.Time
	for step := 0; step < 500; step++ {
		now := c.Advance(7 * time.Millisecond)
		w.Advance(now, func(tm *Timer) {
			if tm.Armed() || deadlines[tm.Kind].After(now) {
				t.Fatalf("timer %d fired early or armed: deadline %v now %v", tm.Kind, deadlines[tm.Kind], now)
			}
			fired = append(fired, deadlines[tm.Kind])
		})
	}
	if len(fired) != len(timers) || w.Len() != 0 {
		t.Fatalf("fired %d of %d, %d left", len(fired), len(timers), w.Len())
	}
	for i := 1; i < len(fired); i++ {
		if fired[i].Before(fired[i-1]) {
			t.Fatalf("out of order at %d", i)
		}
	}
}

func TestWheelStopAndReset(t *testing.T) {
	c := newFakeClock()
	w := NewWheel(c.Now(), 10*time.Millisecond, 16)
	var a, b, d Timer
	w.Set(&a, c.Now().Add(time.Second))
	w.Set(&b, c.Now().Add(time.Second))
	w.Set(&d, c.Now().Add(2*time.Second))
	w.Stop(&b)
	w.Stop(&b) // idempotent
	w.Set(&d, c.Now().Add(500*time.Millisecond))
	var got []*Timer
	w.Advance(c.Advance(600*time.Millisecond), func(tm *Timer) { got = append(got, tm) })
	if len(got) != 1 || got[0] != &d {
		t.Fatalf("want d only, got %v", got)
	}
	w.Advance(c.Advance(time.Hour), func(tm *Timer) { got = append(got, tm) })
	if len(got) != 2 || got[1] != &a || w.Len() != 0 {
		t.Fatalf("want a after d, got %d timers, %d left", len(got), w.Len())
	}
}

func TestWheelEqualDeadlinesKeepSetOrder(t *testing.T) {
	c := newFakeClock()
	w := NewWheel(c.Now(), time.Millisecond, 4)
	ts := make([]Timer, 10)
	at := c.Now().Add(5 * time.Millisecond)
	for i := range ts {
		ts[i].Kind = i
		w.Set(&ts[i], at)
	}
	i := 0
	w.Advance(c.Advance(time.Second), func(tm *Timer) {
		if tm.Kind != i {
			t.Fatalf("fired %d, want %d", tm.Kind, i)
		}
		i++
	})
}

func TestWheelRearmFromFire(t *testing.T) {
	c := newFakeClock()
	w := NewWheel(c.Now(), 10*time.Millisecond, 32)
	var k Timer
	w.Set(&k, c.Now().Add(3*time.Second))
	n := 0
	for i := 0; i < 100; i++ {
		now := c.Advance(time.Second)
		w.Advance(now, func(tm *Timer) {
			n++
			w.Set(tm, now.Add(3*time.Second))
		})
	}
	if n != 33 {
		t.Fatalf("keepalive fired %d times in 100s, want 33", n)
	}
}

func TestWheelNext(t *testing.T) {
	c := newFakeClock()
	w := NewWheel(c.Now(), 10*time.Millisecond, 64)
	if _, ok := w.Next(); ok {
		t.Fatal("empty wheel has a deadline")
	}
	var a, b Timer
	w.Set(&a, c.Now().Add(5*time.Second)) // beyond one revolution (640ms)
	w.Set(&b, c.Now().Add(105*time.Millisecond))
	at, ok := w.Next()
	if !ok || at.After(c.Now().Add(110*time.Millisecond)) {
		t.Fatalf("Next = %v, want <= b", at.Sub(c.Now()))
	}
	w.Stop(&b)
	at, _ = w.Next()
	if at.After(c.Now().Add(5 * time.Second)) {
		t.Fatalf("Next beyond a: %v", at.Sub(c.Now()))
	}
}

func BenchmarkWheelSetStop(b *testing.B) {
	c := newFakeClock()
	w := NewWheel(c.Now(), 10*time.Millisecond, 512)
	ts := make([]Timer, 1024)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		t := &ts[i&1023]
		w.Set(t, c.Now().Add(time.Duration(i%9000)*time.Millisecond))
		if i&1 == 0 {
			w.Stop(t)
		}
	}
}
