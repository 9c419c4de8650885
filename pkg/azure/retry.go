package azure

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/dskit/backoff"
)

// Retry reasons, as the clients' observers count them.
const (
	ReasonThrottled    = "throttled"
	ReasonServer       = "server"
	ReasonTimeout      = "timeout"
	ReasonNetwork      = "network"
	ReasonUnauthorized = "unauthorized"
)

// retryBackoff is the wait between retries without a Retry-After. The
// services' reporting APIs allow a few requests a second at most, so waiting
// less than a second mostly spends budget; waiting more than 30 s makes a
// dashboard look dead.
var retryBackoff = backoff.Config{MinBackoff: time.Second, MaxBackoff: 30 * time.Second}

// Failure is why one attempt failed, and whether another may succeed.
type Failure struct {
	Err        error         // returned when not retried, or out of retries
	Reason     string        // a Reason*, or the client's own; "" when retrying cannot help
	RetryAfter time.Duration // the service's Retry-After, 0 when absent
}

// Retrier counts the retries of one request and waits between them: the
// service's Retry-After when it gives one, else the backoff. A refused
// token is retried once, at once (a new token is the fix). Retries spent
// on a range before it was split are carried into its parts.
type Retrier struct {
	max       int
	observe   func(reason string)
	sleep     func(ctx context.Context, d time.Duration) error
	bo        *backoff.Backoff
	refreshed bool
}

// NewRetrier returns a retrier of at most maxRetries retries, spent of them
// already spent; observe hears each retry's reason, sleep waits (nil: Sleep).
func NewRetrier(ctx context.Context, maxRetries, spent int, observe func(string), sleep func(context.Context, time.Duration) error) *Retrier {
	if sleep == nil {
		sleep = Sleep
	}
	r := &Retrier{max: maxRetries, observe: observe, sleep: sleep, bo: backoff.New(ctx, retryBackoff)}
	for range spent {
		r.bo.NextDelay() // the parts back off from where their range left off
	}
	return r
}

// Retries is how many retries were spent.
func (r *Retrier) Retries() int { return r.bo.NumRetries() }

// Next decides after a failed attempt: nil to try again (having waited), or
// the error to return. It fails at once when the wait would outlast ctx's
// deadline, rather than sleeping only to be cancelled.
func (r *Retrier) Next(ctx context.Context, f *Failure) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.Reason == ReasonUnauthorized && !r.refreshed {
		r.refreshed = true
		r.observe(f.Reason)
		return nil
	}
	if f.Reason == "" || f.Reason == ReasonUnauthorized {
		return f.Err
	}
	if r.bo.NumRetries() >= r.max {
		return fmt.Errorf("giving up after %d retries: %w", r.bo.NumRetries(), f.Err)
	}
	d := r.bo.NextDelay()
	if f.RetryAfter > 0 {
		d = f.RetryAfter
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("not waiting %s for a retry past the request deadline: %w", d, f.Err)
	}
	r.observe(f.Reason)
	return r.sleep(ctx, d)
}

// Sleep waits d or until ctx ends.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// RetryAfter reads a Retry-After header as seconds or an HTTP date; 0 when
// absent, past or unreadable.
func RetryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(s)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// RetryDefaults fills a client's retry settings left at zero: the timeout of
// one attempt, the retries (negative: none) and how it sleeps between them.
func RetryDefaults(timeout *time.Duration, defaultTimeout time.Duration, retries *int, defaultRetries int, sleep *func(context.Context, time.Duration) error) {
	if *timeout == 0 {
		*timeout = defaultTimeout
	}
	if *retries == 0 {
		*retries = defaultRetries
	}
	*retries = max(*retries, 0)
	if *sleep == nil {
		*sleep = Sleep
	}
}
