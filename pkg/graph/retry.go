package graph

import (
	"context"
	"fmt"
	"time"

	"github.com/grafana/dskit/backoff"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Backoff between retries without a Retry-After. Graph's reporting APIs allow 5
// requests per 10 s per app and tenant, so waiting less than a second mostly
// spends budget; waiting more than 30 s makes a dashboard look dead.
var retryBackoff = backoff.Config{MinBackoff: time.Second, MaxBackoff: 30 * time.Second}

// fetchPage gets one page, retrying what may succeed later, at most MaxRetries
// times: throttling (after Retry-After), 5xx, timeouts (with half the $top),
// network failures and cut bodies. A 401 is retried once with a fresh token.
// req is updated when $top shrinks, so the caller sees the size that worked.
func (c *Client) fetchPage(ctx context.Context, req *pageRequest, t signin.LogType) (page, error) {
	bo := backoff.New(ctx, retryBackoff)
	refreshed := false
	for {
		if err := ctx.Err(); err != nil {
			return page{}, err
		}
		p, f := c.attempt(ctx, *req, t)
		if f == nil {
			return p, nil
		}
		if err := ctx.Err(); err != nil {
			return page{}, err
		}
		if f.reason == reasonUnauthorized && !refreshed {
			refreshed = true
			c.tokens.invalidate(f.challenge)
			c.cfg.Observer.Retry(f.reason)
			continue // a new token is the fix; no reason to wait
		}
		if f.reason == "" || f.reason == reasonUnauthorized {
			return page{}, f.err
		}
		if bo.NumRetries() >= c.cfg.MaxRetries {
			return page{}, fmt.Errorf("giving up after %d retries: %w", bo.NumRetries(), f.err)
		}
		if err := c.wait(ctx, bo, f); err != nil {
			return page{}, err
		}
		if f.reason == reasonTimeout {
			req.shrink()
		}
	}
}

// wait sleeps before the next attempt: Graph's Retry-After when given, else the
// backoff. It fails at once when the wait would outlast ctx's deadline, rather
// than sleeping only to be cancelled.
func (c *Client) wait(ctx context.Context, bo *backoff.Backoff, f *failure) error {
	d := bo.NextDelay()
	if f.retryAfter > 0 {
		d = f.retryAfter
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("not waiting %s for a retry past the request deadline: %w", d, f.err)
	}
	c.cfg.Observer.Retry(f.reason)
	return c.cfg.Sleep(ctx, d)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
