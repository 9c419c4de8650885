package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ListSignIns calls fn with each page of sign-ins of type t created in [from, to),
// newest first, following @odata.nextLink as Graph gives it. Empty pages are not
// passed on; fn's error stops the listing and is returned as is. Events carry
// LogType t. When a skip token expires mid-listing, the listing resumes by time
// from the last delivered sign-in, so fn sees every sign-in exactly once.
func (c *Client) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error {
	if t.GraphEventType() == "" {
		return fmt.Errorf("listing sign-ins: unknown log type %d", t)
	}
	if !from.Before(to) {
		return fmt.Errorf("listing sign-ins: empty window [%s, %s)", DateTime(from), DateTime(to))
	}
	l := &lister{c: c, t: t, from: from, to: to, fn: fn}
	req := pageRequest{url: c.signInsURL(WindowFilter(t, from, to), c.cfg.PageSize), top: c.cfg.PageSize}
	return redact(l.run(ctx, req), c.cfg.ClientSecret)
}

// Probe asks Graph for one sign-in ($top=1), to check credentials, permissions
// and licence for the health check. The error is classified as ListSignIns' are.
func (c *Client) Probe(ctx context.Context) error {
	req := pageRequest{url: c.signInsURL("", 1), top: 1}
	_, err := c.fetchPage(ctx, &req, signin.Interactive)
	return redact(err, c.cfg.ClientSecret)
}

// lister is the state of one ListSignIns call.
type lister struct {
	c    *Client
	t    signin.LogType
	from time.Time
	to   time.Time
	fn   func([]signin.Event) error

	// oldest is the createdDateTime of the oldest sign-in delivered; atOldest are
	// the ids delivered with exactly that time. A resumed listing asks for
	// createdDateTime le oldest and drops these, which it has already seen.
	delivered bool
	oldest    time.Time
	atOldest  map[string]struct{}
	stalled   int // resumes in a row that delivered nothing new
}

func (l *lister) run(ctx context.Context, req pageRequest) error {
	for {
		p, err := l.c.fetchPage(ctx, &req, l.t)
		if err != nil {
			if !req.nextLink || !isSkipTokenFailure(err) || l.stalled >= l.c.cfg.MaxRetries {
				return err
			}
			req = l.resume()
			continue
		}
		if err := l.deliver(p.events); err != nil {
			return err
		}
		if p.next == "" {
			return nil
		}
		if !l.c.sameOrigin(p.next) {
			return fmt.Errorf("refusing to follow @odata.nextLink to %s: not the configured Graph endpoint %s", hostOf(p.next), l.c.origin.Host)
		}
		req = pageRequest{url: p.next, top: topOf(p.next, req.top), nextLink: true}
	}
}

// resume restarts the listing from the oldest delivered sign-in, after Graph
// rejected a skip token (they expire when paging pauses too long).
func (l *lister) resume() pageRequest {
	l.stalled++
	l.c.cfg.Observer.Retry(reasonSkipToken)
	filter := WindowFilter(l.t, l.from, l.to)
	if l.delivered {
		filter = windowFilter(l.t, l.from, "le", l.oldest)
	}
	top := l.c.cfg.PageSize
	return pageRequest{url: l.c.signInsURL(filter, top), top: top}
}

// deliver drops sign-ins a resumed listing sees again, tracks the oldest
// delivered, and passes the rest to fn.
func (l *lister) deliver(events []signin.Event) error {
	kept := events[:0]
	for _, e := range events {
		if l.seen(e) {
			continue
		}
		l.mark(e)
		kept = append(kept, e)
	}
	if len(kept) == 0 {
		return nil
	}
	l.stalled = 0
	return l.fn(kept)
}

func (l *lister) seen(e signin.Event) bool {
	if !l.delivered || !e.Created.Equal(l.oldest) {
		return false
	}
	_, ok := l.atOldest[e.ID]
	return ok
}

func (l *lister) mark(e signin.Event) {
	switch {
	case !l.delivered || e.Created.Before(l.oldest):
		l.delivered, l.oldest = true, e.Created
		if l.atOldest == nil {
			l.atOldest = make(map[string]struct{})
		}
		clear(l.atOldest)
		l.atOldest[e.ID] = struct{}{}
	case e.Created.Equal(l.oldest):
		l.atOldest[e.ID] = struct{}{}
	}
}

// isSkipTokenFailure recognises Graph's 400 for an expired or invalid $skiptoken.
func isSkipTokenFailure(err error) bool {
	var ge *Error
	return errors.As(err, &ge) && ge.StatusCode == http.StatusBadRequest && isSkipTokenError(ge.Code, ge.Message)
}
