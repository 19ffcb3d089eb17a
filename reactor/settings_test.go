package reactor

import (
	"testing"
	"time"
)

func TestDelayed(t *testing.T) {
	base := time.Unix(1_800_000_000, 0) // 1800000000 % 300 == 0
	for _, c := range []struct {
		off  time.Duration
		d    int
		want time.Duration
	}{
		{0, 5, 5 * time.Minute}, // exactly on a multiple: a full period, as ExaBGP
		{10 * time.Second, 5, 5*time.Minute - 10*time.Second},
		{299 * time.Second, 5, time.Second},
		{30 * time.Second, 1, 30 * time.Second},
	} {
		now := base.Add(c.off)
		if got := delayed(now, c.d).Sub(now); got != c.want {
			t.Errorf("delay %d at +%v: wait %v, want %v", c.d, c.off, got, c.want)
		}
	}
}
