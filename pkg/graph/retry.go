package graph

import (
	"context"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fetchPage gets one page, retrying what may succeed later, at most MaxRetries
// times (pkg/azure's Retrier): throttling (after Retry-After), 5xx, timeouts
// (with half the $top), network failures and cut bodies. A 401 is retried
// once with a fresh token. req is updated when $top shrinks, so the caller
// sees the size that worked.
func (c *Client) fetchPage(ctx context.Context, req *pageRequest, t signin.LogType) (page, error) {
	r := azure.NewRetrier(ctx, c.cfg.MaxRetries, 0, c.cfg.Observer.Retry, c.cfg.Sleep)
	for {
		if err := ctx.Err(); err != nil {
			return page{}, err
		}
		p, f := c.attempt(ctx, *req, t)
		if f == nil {
			return p, nil
		}
		if f.Reason == azure.ReasonUnauthorized {
			c.tokens.invalidate(f.challenge) // a new token is the fix
		}
		if err := r.Next(ctx, &f.Failure); err != nil {
			return page{}, err
		}
		if f.Reason == azure.ReasonTimeout {
			req.shrink()
		}
	}
}
