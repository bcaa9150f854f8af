package feeds

import (
	"testing"
	"time"
)

func TestBackoffCeiling(t *testing.T) {
	t.Parallel()
	b := NewBackoff(time.Minute, time.Hour, 1)
	tests := []struct {
		n    int
		want time.Duration
	}{
		{0, 0}, {-3, 0},
		{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {4, 8 * time.Minute},
		{5, 16 * time.Minute}, {6, 32 * time.Minute}, {7, time.Hour}, {8, time.Hour},
		{1 << 20, time.Hour}, // no overflow however long the feed stays down
	}
	for _, tt := range tests {
		if got := b.Ceiling(tt.n); got != tt.want {
			t.Errorf("Ceiling(%d) = %s, want %s", tt.n, got, tt.want)
		}
	}
	var zero Backoff
	if got := zero.Ceiling(1); got != time.Minute {
		t.Errorf("default Ceiling(1) = %s, want 1m", got)
	}
	if got := zero.Ceiling(100); got != 6*time.Hour {
		t.Errorf("default Ceiling(100) = %s, want 6h", got)
	}
}

func TestBackoffDelayJitterSeeded(t *testing.T) {
	t.Parallel()
	a, b := NewBackoff(time.Minute, time.Hour, 42), NewBackoff(time.Minute, time.Hour, 42)
	c := NewBackoff(time.Minute, time.Hour, 43)
	differs := false
	var prevCeil time.Duration
	for n := 1; n <= 12; n++ {
		da, db, dc := a.Delay(n), b.Delay(n), c.Delay(n)
		ceil := a.Ceiling(n)
		if da != db {
			t.Fatalf("Delay(%d): same seed gave %s and %s", n, da, db)
		}
		if da < ceil/2 || da > ceil {
			t.Errorf("Delay(%d) = %s, outside [%s, %s]", n, da, ceil/2, ceil)
		}
		if ceil < prevCeil {
			t.Errorf("Ceiling(%d) = %s < Ceiling(%d) = %s", n, ceil, n-1, prevCeil)
		}
		prevCeil = ceil
		differs = differs || da != dc
	}
	if !differs {
		t.Error("seeds 42 and 43 gave the same jitter for 12 steps")
	}
}

func FuzzBackoffDelay(f *testing.F) {
	f.Add(int64(time.Minute), int64(time.Hour), 3, uint64(1))
	f.Add(int64(0), int64(0), 1000000, uint64(9))
	f.Add(int64(time.Hour), int64(time.Minute), 2, uint64(5))
	f.Add(int64(-5), int64(1), -1, uint64(0))
	f.Fuzz(func(t *testing.T, base, max int64, n int, seed uint64) {
		b := NewBackoff(time.Duration(base), time.Duration(max), seed)
		c := b.Ceiling(n)
		d := b.Delay(n)
		if n < 1 {
			if c != 0 || d != 0 {
				t.Fatalf("n=%d: ceiling %s delay %s, want 0", n, c, d)
			}
			return
		}
		if c <= 0 {
			t.Fatalf("Ceiling(%d) = %s, want positive", n, c)
		}
		if d < c/2 || d > c {
			t.Fatalf("Delay(%d) = %s outside [%s, %s]", n, d, c/2, c)
		}
		if n < 1<<30 && c > b.Ceiling(n+1) {
			t.Fatalf("Ceiling(%d) = %s > Ceiling(%d) = %s", n, c, n+1, b.Ceiling(n+1))
		}
	})
}
