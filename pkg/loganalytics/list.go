package loganalytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ListSignIns calls fn with the sign-ins of type t created in [from, to),
// newest first, in pages of at most pageEvents. Each sign-in comes once, in
// its latest version. A result the service cut at its row limit is never
// delivered: the range is split in halves and each asked for again, the newer
// first, down to minSplit. Empty pages are not passed on; fn's error stops the
// listing and is returned as is. A log type whose table the workspace lacks
// fails with a *TableNotFoundError (errors.Is ErrTableNotFound): callers
// treat it as a log type with no sign-ins, with a notice.
func (c *Client) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error {
	if err := checkListing(t, from, to); err != nil {
		return fmt.Errorf("listing sign-ins: %w", err)
	}
	from, to = from.UTC(), to.UTC()
	l := &lister{c: c, t: t, from: from, to: to, fn: fn}
	// The query's datetime literals are whole seconds: the range is widened to
	// them and the sign-ins outside [from, to) are dropped on delivery.
	parts, err := c.sized(ctx, t, from.Truncate(time.Second), ceilSecond(to))
	if err != nil {
		return c.redact(err)
	}
	for _, p := range parts {
		if err := l.fetch(ctx, p.from, p.to, 0); err != nil {
			return c.redact(err)
		}
	}
	return nil
}

// ListChanged calls fn with the latest version of the sign-ins of type t
// created in [from, to) that changed after their window was read (the
// store's revalidation): those with a row ingested more than RevisedAfter
// (at most IngestionAllowance) after they happened — an update the service re-emitted (a risk remediated,
// say), or a row later than the listing of its window allowed for. The
// workspace's TimeGenerated says which rows came late, so this reads those
// alone, whatever changed in them. A table read by TimeGenerated (it has no
// CreatedDateTime) cannot tell: nothing is listed for it.
func (c *Client) ListChanged(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error {
	if err := checkListing(t, from, to); err != nil {
		return fmt.Errorf("listing changed sign-ins: %w", err)
	}
	if c.byGenerated[t].Load() {
		return nil
	}
	from, to = from.UTC(), to.UTC()
	late := c.cfg.IngestionAllowance
	if r := c.cfg.RevisedAfter; r > 0 && r < late {
		late = r
	}
	l := &lister{c: c, t: t, from: from, to: to, fn: fn, late: late}
	return c.redact(l.fetch(ctx, from.Truncate(time.Second), ceilSecond(to), 0))
}

// checkListing refuses a log type with no table and an empty range.
func checkListing(t signin.LogType, from, to time.Time) error {
	if _, ok := tableOf(t); !ok {
		return fmt.Errorf("unknown log type %d", t)
	}
	if !from.Before(to) {
		return fmt.Errorf("empty window [%s, %s)", kqlTime(from), kqlTime(to))
	}
	return nil
}

func ceilSecond(t time.Time) time.Time {
	f := t.Truncate(time.Second)
	if f.Equal(t) {
		return t
	}
	return f.Add(time.Second)
}

// lister is the state of one ListSignIns call.
type lister struct {
	c        *Client
	t        signin.LogType
	from, to time.Time
	fn       func([]signin.Event) error
	late     time.Duration // ListChanged's: only sign-ins with a row this late; 0 for all
}

// fetch lists [from, to), splitting it when the service cuts or times out.
// spent is the retries already spent on the range this one was halved from.
func (l *lister) fetch(ctx context.Context, from, to time.Time, spent int) error {
	r := l.c.newRetrier(ctx, spent)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		d, partial, f := l.c.querySignIns(ctx, l.t, from, to, l.late)
		switch {
		case f == nil && partial == nil:
			return l.deliver(d.events)
		case f == nil:
			mid, ok := splitPoint(from, to)
			if !ok {
				return fmt.Errorf("%w: more %s sign-ins were created in [%s, %s) than one Log Analytics result holds (the service's limit of 500,000 rows or about 64 MB), and a range that short is not split further: %s",
					ErrRowLimit, l.t, kqlTime(from), kqlTime(to), partial)
			}
			l.c.cfg.Observer.Retry(reasonSplit)
			return l.halves(ctx, from, mid, to, 0)
		case f.noCreated && l.late > 0:
			return nil // no CreatedDateTime to tell late rows by (ListChanged)
		case f.noCreated:
			continue // querySignIns switched the table to TimeGenerated
		}
		if err := r.Next(ctx, &f.Failure); err != nil {
			return err
		}
		if f.Reason == azure.ReasonTimeout {
			if mid, ok := splitPoint(from, to); ok {
				return l.halves(ctx, from, mid, to, r.Retries())
			}
		}
	}
}

// halves lists [mid, to) then [from, mid): newest first, as Graph lists.
func (l *lister) halves(ctx context.Context, from, mid, to time.Time, spent int) error {
	if err := l.fetch(ctx, mid, to, spent); err != nil {
		return err
	}
	return l.fetch(ctx, from, mid, spent)
}

// splitPoint picks where to halve [from, to): on an hour near the middle
// while the range is longer than an hour (ranges are runs of hour windows),
// else on a minute, else a second. No split for minSplit or less.
func splitPoint(from, to time.Time) (time.Time, bool) {
	d := to.Sub(from)
	if d <= minSplit {
		return time.Time{}, false
	}
	mid := from.Add(d / 2)
	units := []time.Duration{time.Minute, time.Second}
	if d > time.Hour {
		units = append([]time.Duration{time.Hour}, units...)
	}
	for _, u := range units {
		if m := mid.Truncate(u); m.After(from) && m.Before(to) {
			return m, true
		}
	}
	return time.Time{}, false
}

// deliver sorts the sign-ins newest first and hands those in [from, to) to fn
// in pages.
func (l *lister) deliver(events []signin.Event) error {
	kept := events[:0]
	for _, e := range events {
		if !e.Created.Before(l.from) && e.Created.Before(l.to) {
			kept = append(kept, e)
		}
	}
	sort.Slice(kept, func(i, j int) bool {
		if !kept[i].Created.Equal(kept[j].Created) {
			return kept[i].Created.After(kept[j].Created)
		}
		return kept[i].ID > kept[j].ID
	})
	for len(kept) > 0 {
		n := min(len(kept), pageEvents)
		if err := l.fn(kept[:n:n]); err != nil {
			return err
		}
		kept = kept[n:]
	}
	return nil
}

// partialError is the top-level error of a 200 that the service cut short.
type partialError struct {
	code, message string
}

func (p *partialError) String() string {
	if p.message == "" {
		return p.code
	}
	return p.code + ": " + p.message
}

// querySignIns sends one sign-in query for [from, to) and decodes its answer.
// A cut answer comes back as partial, its rows dropped. A late above zero
// asks only for the sign-ins with a row that late (ListChanged), over a
// timespan that reaches to now: an update comes any time after.
func (c *Client) querySignIns(ctx context.Context, t signin.LogType, from, to time.Time, late time.Duration) (decoded, *partialError, *failure) {
	byGenerated := c.byGenerated[t].Load()
	q, err := signInQuery(t, from, to, byGenerated, late)
	if err != nil {
		return decoded{}, nil, fail(err)
	}
	span := c.timespan(from, to)
	if now := c.cfg.Now(); late > 0 && now.After(to) {
		span = c.timespan(from, now)
	}
	rows := newSignInRows(t)
	res, err := c.query(withAnswerCap(ctx, listAnswerBytes), q, span, rows)
	c.sizes.learnRowBytes(t, rows.out.rows, rows.bytes)
	if rows.err != nil {
		return decoded{}, nil, fail(rows.err) // the answer is wrong, not cut: asking again brings the same
	}
	var big *answerTooLarge
	if errors.As(err, &big) {
		return decoded{}, &partialError{code: "AnswerTooLarge", message: big.Error()}, nil // halved, as a cut result is
	}
	if err != nil {
		f := c.classify(ctx, err, t)
		if f.noCreated && !byGenerated {
			c.byGenerated[t].Store(true)
			return decoded{}, nil, f
		}
		f.noCreated = false
		return decoded{}, nil, f
	}
	if p := partialOf(res.Error); p != nil {
		return decoded{}, p, nil
	}
	if err := hasTable(res); err != nil {
		return decoded{}, nil, fail(err)
	}
	if err := rows.named(); err != nil {
		return decoded{}, nil, fail(err)
	}
	c.sizes.learnRate(t, int64(rows.out.rows), to.Sub(from))
	c.cfg.Observer.Decoded(azure.Decoded{Events: len(rows.out.events), Rows: rows.out.rows})
	return rows.out, nil, nil
}

// partialOf reads a 200's top-level error. Any error there (PartialError is
// the documented one) means the rows are not the whole result.
func partialOf(ei *azlogs.ErrorInfo) *partialError {
	if ei == nil {
		return nil
	}
	p := &partialError{code: ei.Code}
	var se serviceError
	if json.Unmarshal([]byte(ei.Error()), &se) == nil {
		msgs := []string{}
		se.walk(func(x *serviceError) {
			if x.Message != "" {
				msgs = append(msgs, x.Message)
			}
		})
		if len(msgs) > 0 {
			p.message = clip.String(msgs[len(msgs)-1])
		}
	}
	if p.code == "" {
		p.code = "error"
	}
	return p
}

// isTableNotFound reports whether err says a log type's table is missing.
func isTableNotFound(err error) bool { return errors.Is(err, ErrTableNotFound) }
