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
	if err := checkListing(t, from, to); err != nil {
		return fmt.Errorf("listing sign-ins: %w", err)
	}
	return c.list(ctx, &lister{c: c, t: t, from: from, to: to, fn: fn})
}

// checkListing refuses a log type Graph has no event type for and an empty range.
func checkListing(t signin.LogType, from, to time.Time) error {
	if t.GraphEventType() == "" {
		return fmt.Errorf("unknown log type %d", t)
	}
	if !from.Before(to) {
		return fmt.Errorf("empty window [%s, %s)", DateTime(from), DateTime(to))
	}
	return nil
}

// list runs a listing from its first page.
func (c *Client) list(ctx context.Context, l *lister) error {
	req := pageRequest{url: c.signInsURL(l.filter(l.from, "lt", l.to), c.cfg.PageSize), top: c.cfg.PageSize}
	return redact(l.run(ctx, req), c.cfg.ClientSecret)
}

// RiskStates are the states Identity Protection leaves a sign-in in besides
// none: it moves sign-ins between them after the fact (remediated by a
// password reset or an MFA prompt, dismissed or confirmed by an admin, found
// risky offline), and Graph then serves the new version.
// atRisk is last: the store bounds what one revalidation takes, and the
// states a sign-in leaves atRisk for are what the revalidation is for.
var RiskStates = []string{"remediated", "dismissed", "confirmedSafe", "confirmedCompromised", "atRisk"}

// ListChanged calls fn with the current version of the sign-ins of type t
// created in [from, to) that may have changed since they were listed (the
// store's revalidation). Graph has no change tracking for sign-ins; what changes
// after the fact is their risk, so these are the sign-ins in any risk state
// but none: one listing per state, as riskState's $filter takes eq only and
// Graph's sign-in filters no "or". Usually one short page each. Managed
// identity sign-ins carry no risk: nothing is listed for them.
func (c *Client) ListChanged(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error {
	if t == signin.ManagedIdentity {
		return nil
	}
	if err := checkListing(t, from, to); err != nil {
		return fmt.Errorf("listing changed sign-ins: %w", err)
	}
	for _, state := range RiskStates {
		l := &lister{c: c, t: t, from: from, to: to, fn: fn, also: Eq("riskState", state)}
		if err := c.list(ctx, l); err != nil {
			return fmt.Errorf("listing %s sign-ins in risk state %s: %w", t, state, err)
		}
	}
	return nil
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
	also string // a further $filter term, and-ed; "" for none

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
	filter := l.filter(l.from, "lt", l.to)
	if l.delivered {
		filter = l.filter(l.from, "le", l.oldest)
	}
	top := l.c.cfg.PageSize
	return pageRequest{url: l.c.signInsURL(filter, top), top: top}
}

// filter is the listing's $filter over createdDateTime from from to upper
// (op "lt", or "le" when resuming), with its further term.
func (l *lister) filter(from time.Time, op string, upper time.Time) string {
	f := windowFilter(l.t, from, op, upper)
	if l.also != "" {
		f = And(f, l.also)
	}
	return f
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
