package graph

import (
	"context"
	"fmt"
	"net/http/httptrace"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// arrivalMargin is how long after a request is written the client assumes
// Graph's throttle counts it. Graph counts a request when it arrives; the
// pacer only knows when it left. Charging it this much later keeps the pacer's
// bucket behind Graph's rather than ahead (a request early by a millisecond
// gets a 429). It costs the margin once when a burst starts after an idle
// period, nothing while requests queue: the bucket is then empty on both sides.
const arrivalMargin = 200 * time.Millisecond

// takeToken waits for the pacer's next token, if there is a pacer. A nil
// ticket means no pacing.
func (c *Client) takeToken(ctx context.Context) (*pace.Ticket, error) {
	if c.cfg.Pacer == nil {
		return nil, nil
	}
	t, err := c.cfg.Pacer.Wait(ctx)
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("waiting for the request budget shared with the other panels: %w", err)
	}
	return t, err
}

// traceSent dates the ticket by when its request was written (plus
// arrivalMargin): the first request on a new connection leaves after its TCP
// and TLS handshakes, long after its token was taken.
func traceSent(ctx context.Context, t *pace.Ticket) context.Context {
	if t == nil {
		return ctx
	}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { t.Sent(time.Now().Add(arrivalMargin)) },
	})
}

// pushBack tells the pacer Graph refused a request with 429: no request of
// this client (or of anything sharing its pacer) leaves before Retry-After.
func (c *Client) pushBack(f *failure) {
	if c.cfg.Pacer != nil && f.Reason == azure.ReasonThrottled {
		c.cfg.Pacer.PushBack(f.RetryAfter)
	}
}
