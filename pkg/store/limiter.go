package store

import (
	"context"
	"sync"
	"time"
)

// limiter is a token bucket shared by every fetch of a store: Graph throttles
// sign-in log reads per app and tenant (5 per 10 s), and a dashboard opening
// twenty panels at once would otherwise earn 429s and Retry-After pauses for
// all of them. Waiters reserve tokens in arrival order.
type limiter struct {
	mu     sync.Mutex
	every  time.Duration // one token per every
	burst  float64
	tokens float64
	last   time.Time
}

func newLimiter(n int, per time.Duration, now time.Time) *limiter {
	return &limiter{every: per / time.Duration(n), burst: float64(n), tokens: float64(n), last: now}
}

// reserve takes a token at now and returns how long to wait before using it.
// Tokens may go negative: that is the queue of reservations.
func (l *limiter) reserve(now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.After(l.last) {
		l.tokens = min(l.burst, l.tokens+float64(now.Sub(l.last))/float64(l.every))
		l.last = now
	}
	l.tokens--
	if l.tokens >= 0 {
		return 0
	}
	return time.Duration(-l.tokens * float64(l.every))
}

// cancel returns a reserved token that was not used.
func (l *limiter) cancel() {
	l.mu.Lock()
	l.tokens++
	l.mu.Unlock()
}

// wait blocks until a token is available or ctx is done.
func (l *limiter) wait(ctx context.Context) error {
	d := l.reserve(time.Now())
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		l.cancel()
		return ctx.Err()
	}
}
