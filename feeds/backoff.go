package feeds

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Backoff is the retry schedule of a failing feed: after the n-th
// consecutive failure the feed rests for a delay drawn uniformly from
// [d/2, d], where d = Base·2^(n-1) capped at Max ("equal jitter": it grows
// like the exponential, and feeds that failed together do not retry in
// lockstep). The jitter comes from a seeded generator so that a schedule
// can be replayed.
type Backoff struct {
	// Base is the ceiling of the first delay (default 1 minute).
	Base time.Duration
	// Max caps the ceiling (default 6 hours).
	Max time.Duration

	mu  sync.Mutex
	rng *rand.Rand
}

// NewBackoff returns a schedule with the given base and cap (0 takes the
// default) whose jitter is drawn from seed.
func NewBackoff(base, max time.Duration, seed uint64) *Backoff {
	return &Backoff{Base: base, Max: max, rng: rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc908))}
}

// Ceiling returns d for the n-th consecutive failure: Base·2^(n-1), capped
// at Max; 0 for n < 1.
func (b *Backoff) Ceiling(n int) time.Duration {
	base, max := b.Base, b.Max
	if base <= 0 {
		base = time.Minute
	}
	if max <= 0 {
		max = 6 * time.Hour
	}
	if base > max {
		base = max
	}
	if n < 1 {
		return 0
	}
	d := base
	// Doubling stops at the cap, so no shift can overflow.
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	return min(d, max)
}

// Delay returns how long to wait after the n-th consecutive failure: a
// value in [Ceiling(n)/2, Ceiling(n)].
func (b *Backoff) Delay(n int) time.Duration {
	d := b.Ceiling(n)
	if d <= 0 {
		return 0
	}
	half := d / 2
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.rng == nil {
		b.rng = rand.New(rand.NewPCG(1, 2))
	}
	return half + time.Duration(b.rng.Int64N(int64(d-half)+1))
}
