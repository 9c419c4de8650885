package pushdown

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Workspace runs a push-down query; *loganalytics.Client is one.
type Workspace interface {
	Aggregate(ctx context.Context, t signin.LogType, kql string, from, to time.Time) (loganalytics.Answer, error)
}

var _ Workspace = (*loganalytics.Client)(nil)

// Runner answers queries in a workspace, caching the closed days of
// mergeable metrics.
type Runner struct {
	Workspace Workspace
	// Cache keeps closed days' answers; nil caches nothing.
	Cache Cache
	// Settle is how long after a day ends its sign-ins may still arrive in
	// the workspace: a day is cached once it has settled.
	Settle time.Duration
	// Now is the clock; nil for time.Now.
	Now func() time.Time
	// Seen, when set, hears of each table asked whether the workspace has
	// it: missing is its *TableNotFoundError, nil when it answered. A
	// missing table is a log type with no sign-ins, as the store takes it
	// (a category the diagnostic settings do not route); the caller says so
	// in a notice, as it does for the store.
	Seen func(t signin.LogType, missing *loganalytics.TableNotFoundError)
}

// Answer answers q over r in the workspace: each of its log types' tables
// is asked apart (one KQL count each), and their rows are read into one
// answer (Result). The counts of closed UTC days add up, so for every
// metric but the distinct counts the range is asked day by day and settled
// days come from the cache, keyed by each table's query: a refresh asks only
// for the days not yet settled, of each table. A distinct count is not the
// sum of its days': it is asked for the whole range every time. lim are the
// engine's limits.
func (r *Runner) Answer(ctx context.Context, q query.Query, rng query.Range, lim query.Limits) (query.Result, error) {
	plans, err := Translate(q, rng)
	if err != nil {
		return query.Result{}, err
	}
	if p := plans[0]; lim.MaxCells > 0 && p.Buckets > lim.MaxCells/2 { // the engine's bound, before asking anything
		return query.Result{}, fmt.Errorf("%w: %d buckets of %s over the range; at most half the datasource setting maxCells (%d); choose a larger timeAggregate or a shorter range",
			query.ErrInvalidQuery, p.Buckets, p.Size, lim.MaxCells)
	}
	answers := make([][]loganalytics.Answer, len(plans))
	for i, p := range plans {
		if answers[i], err = r.answers(ctx, p); err != nil {
			return query.Result{}, p.rowLimit(fmt.Errorf("%s: %w", tables[p.LogType], err))
		}
	}
	return Result(plans, answers, lim)
}

// answers are one table's answers to its plan: none for a table the
// filters exclude or the workspace does not have, else asked.
func (r *Runner) answers(ctx context.Context, p *Plan) ([]loganalytics.Answer, error) {
	if p.Skip {
		return nil, nil
	}
	out, err := r.asked(ctx, p)
	var missing *loganalytics.TableNotFoundError
	switch {
	case errors.As(err, &missing):
		r.seen(p.LogType, missing)
		return nil, nil
	case err == nil:
		r.seen(p.LogType, nil)
	}
	return out, err
}

// asked are the answers of a table asked: the whole range in one for a
// distinct count (or without a cache), else by day.
func (r *Runner) asked(ctx context.Context, p *Plan) ([]loganalytics.Answer, error) {
	if p.query.Metric.IsDistinct() || r.Cache == nil {
		a, err := r.ask(ctx, p, p.From, p.To)
		if err != nil {
			return nil, err
		}
		return []loganalytics.Answer{a}, nil
	}
	return r.byDay(ctx, p)
}

func (r *Runner) seen(t signin.LogType, missing *loganalytics.TableNotFoundError) {
	if r.Seen != nil {
		r.Seen(t, missing)
	}
}

// rowLimit makes an answer cut at the workspace's row limit not pushable
// when a regular-expression filter's column is in the grouping: the store
// answers that query as it did before regular expressions were pushed down,
// rather than the panel failing for a filter it could show.
func (p *Plan) rowLimit(err error) error {
	if p.regexLocal && errors.Is(err, loganalytics.ErrRowLimit) {
		return fmt.Errorf("%w: a regular-expression filter is applied to the answer's rows, grouped by its column, and they are more than the workspace returns: %w", ErrNotPushable, err)
	}
	return err
}

func (r *Runner) ask(ctx context.Context, p *Plan, from, to time.Time) (loganalytics.Answer, error) {
	a, err := r.Workspace.Aggregate(ctx, p.LogType, p.kqlFor(from, to), from, to)
	if err != nil {
		return loganalytics.Answer{}, fmt.Errorf("asking the workspace: %w", err)
	}
	return a, nil
}

// dayConcurrency bounds the settled days of one table asked at once on a
// first load: Log Analytics runs about five queries of a user at a time and
// queues the rest, and other panels ask too.
const dayConcurrency = 4

// byDay answers the plan's range in UTC-day parts: settled whole days from
// the cache (or asked, checked and cached, several at once), the part-day
// before the first of them and the part not settled each in one query.
// Only an answer that reads back under the plan is cached, so a failed or
// malformed answer never poisons the cache.
func (r *Runner) byDay(ctx context.Context, p *Plan) ([]loganalytics.Answer, error) {
	days := settledDays(p.From, p.To, r.now().Add(-r.Settle))
	if len(days) == 0 {
		a, err := r.ask(ctx, p, p.From, p.To)
		if err != nil {
			return nil, err
		}
		return []loganalytics.Answer{a}, nil
	}
	answers := make([]loganalytics.Answer, len(days), len(days)+2)
	shape := p.Shape()
	g, dctx := errgroup.WithContext(ctx)
	g.SetLimit(dayConcurrency)
	for i, day := range days {
		g.Go(func() (err error) {
			answers[i], err = r.day(dctx, p, shape, day)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, part := range [][2]time.Time{{p.From, days[0]}, {days[len(days)-1].Add(24 * time.Hour), p.To}} {
		if !part[0].Before(part[1]) {
			continue
		}
		a, err := r.ask(ctx, p, part[0], part[1])
		if err != nil {
			return nil, err
		}
		answers = append(answers, a)
	}
	return answers, nil
}

// settledDays are the UTC days wholly inside [from, to) that ended before
// settled, oldest first.
func settledDays(from, to, settled time.Time) []time.Time {
	var days []time.Time
	for day := ceilDay(from); ; day = day.Add(24 * time.Hour) {
		end := day.Add(24 * time.Hour)
		if end.After(to) || end.After(settled) {
			return days
		}
		days = append(days, day)
	}
}

// day is a settled day's answer: cached, or asked and cached.
func (r *Runner) day(ctx context.Context, p *Plan, shape string, day time.Time) (loganalytics.Answer, error) {
	key := dayKey(shape, day)
	if b, ok := r.Cache.Get(key); ok {
		if a, ok := decodeDay(shape, b); ok && p.readAnswer(&counts{groups: map[string]*group{}}, a) == nil {
			return a, nil
		}
	}
	a, err := r.ask(ctx, p, day, day.Add(24*time.Hour))
	if err != nil {
		return loganalytics.Answer{}, err
	}
	if err := p.readAnswer(&counts{groups: map[string]*group{}}, a); err != nil {
		return loganalytics.Answer{}, err
	}
	r.Cache.Set(key, encodeDay(shape, a))
	return a, nil
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// ceilDay is the first UTC midnight at or after t.
func ceilDay(t time.Time) time.Time {
	d := t.UTC().Truncate(24 * time.Hour)
	if d.Before(t) {
		d = d.Add(24 * time.Hour)
	}
	return d
}
