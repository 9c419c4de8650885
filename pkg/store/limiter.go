package store

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// limiter is the store's request budget for a source that does not pace its
// own requests (Config.SourcePaced unset): a pace.Bucket shared by every fetch
// of the store. Graph throttles sign-in log reads per app and tenant (5 per
// 10 s), and a dashboard opening twenty panels at once would otherwise earn
// 429s and Retry-After pauses for all of them. Waiters get tokens in arrival
// order.
type limiter struct {
	b    *pace.Bucket
	last *pace.Ticket // reserve's latest, for cancel
}

func newLimiter(n int, per time.Duration, now time.Time) *limiter {
	return &limiter{b: pace.NewAt(n, per, now)}
}

// reserve takes a token at now and returns how long to wait before using it:
// the clock-injected form of wait, for tests.
func (l *limiter) reserve(now time.Time) time.Duration {
	l.last = l.b.Reserve(now)
	return max(0, l.last.At().Sub(now))
}

// cancel returns the token of the latest reserve, which was not used.
func (l *limiter) cancel() {
	if l.last != nil {
		l.last.Cancel()
	}
}

// wait blocks until a token is available or ctx is done.
func (l *limiter) wait(ctx context.Context) error {
	_, err := l.b.Wait(ctx)
	return err
}
