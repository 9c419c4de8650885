package pushdown

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

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
	// the workspace, or change (a re-emitted update): a day is cached once it
	// has settled.
	Settle time.Duration
	// Now is the clock; nil for time.Now.
	Now func() time.Time
	// Seen, when set, hears of each table asked whether the workspace has
	// it: missing is its *TableNotFoundError, nil when it answered. A
	// missing table is a log type with no sign-ins, as the store takes it
	// (a category the diagnostic settings do not route); the caller says so
	// in a notice, as it does for the store.
	Seen func(t signin.LogType, missing *loganalytics.TableNotFoundError)

	// asking holds the settled days being asked, so that panels loading
	// together ask each day once and hold one copy of its answer.
	asking singleflight.Group
}

var _ query.Counter = (*Runner)(nil)

// Plan plans q over r in the workspace (query.Counter): one KQL count per
// log type's table, read into the engine's aggregation as counted rows. It
// fails with ErrNotPushable naming what cannot be expressed exactly.
func (r *Runner) Plan(q query.Query, rng query.Range) (query.Counting, error) {
	plans, err := Translate(q, rng)
	if err != nil {
		return nil, err
	}
	return &counting{runner: r, plans: plans}, nil
}

// counting is a planned push-down: the plans of the query's tables.
type counting struct {
	runner *Runner
	plans  []*Plan
}

// Count asks each table for its counts and hands their rows to add, one
// answer at a time, so that no more than the answers in flight are held
// beside the engine's aggregation. The counts of closed UTC days add up, so
// for every metric but the distinct counts the range is asked day by day and
// settled days come from the cache, keyed by each table's query: a refresh
// asks only for the days not yet settled, of each table. A distinct count is
// not the sum of its days': it is asked for the whole range every time. An
// answer over one of the workspace's limits sends the query to the store.
func (c *counting) Count(ctx context.Context, add query.CountFunc) ([]string, error) {
	var mu sync.Mutex // add takes one row at a time; days arrive at once
	for _, p := range c.plans {
		err := c.runner.answers(ctx, p, func(a loganalytics.Answer) error {
			mu.Lock()
			defer mu.Unlock()
			return p.rows(a, add)
		})
		if err != nil {
			return nil, overLimit(fmt.Errorf("%s: %w", tables[p.LogType], err))
		}
	}
	return []string{c.notice()}, nil
}

// overLimit sends a query whose answer is over one of the workspace's limits
// (its rows, its size, the text of the query) to the store, which answers
// any query within the datasource's own bounds.
func overLimit(err error) error {
	if errors.Is(err, loganalytics.ErrRowLimit) || errors.Is(err, loganalytics.ErrTooLarge) {
		return fmt.Errorf("%w: %w", ErrNotPushable, err)
	}
	return err
}

// notice says where the answer was computed, and over which tables: none
// when the filters exclude them all.
func (c *counting) notice() string {
	var asked []string
	for _, p := range c.plans {
		if !p.Skip {
			asked = append(asked, p.LogType.String())
		}
	}
	types := strings.Join(asked, ", ") + " sign-ins"
	if len(asked) == 0 {
		types = "no table asked, the filters exclude every log type's sign-ins"
	}
	p := c.plans[0]
	return fmt.Sprintf("Computed in the Log Analytics workspace: %s created %s to %s", types, p.From.Format(time.RFC3339), p.To.Format(time.RFC3339))
}

// answers hands take one table's answers to its plan: none for a table the
// filters exclude or the workspace does not have, else asked.
func (r *Runner) answers(ctx context.Context, p *Plan, take func(loganalytics.Answer) error) error {
	if p.Skip {
		return nil
	}
	err := r.asked(ctx, p, take)
	var missing *loganalytics.TableNotFoundError
	switch {
	case errors.As(err, &missing):
		r.seen(p.LogType, missing)
		return nil
	case err == nil:
		r.seen(p.LogType, nil)
	}
	return err
}

// asked hands take the answers of a table asked: the whole range in one for
// a distinct count (or without a cache), else by day.
func (r *Runner) asked(ctx context.Context, p *Plan, take func(loganalytics.Answer) error) error {
	if p.query.Metric.IsDistinct() || r.Cache == nil {
		a, err := r.ask(ctx, p, p.From, p.To)
		if err != nil {
			return err
		}
		return take(a)
	}
	return r.byDay(ctx, p, take)
}

func (r *Runner) seen(t signin.LogType, missing *loganalytics.TableNotFoundError) {
	if r.Seen != nil {
		r.Seen(t, missing)
	}
}

func (r *Runner) ask(ctx context.Context, p *Plan, from, to time.Time) (loganalytics.Answer, error) {
	a, err := r.Workspace.Aggregate(ctx, p.LogType, p.KQL(from, to), from, to)
	if err != nil {
		return loganalytics.Answer{}, fmt.Errorf("asking the workspace: %w", err)
	}
	return a, nil
}

// dayConcurrency bounds the settled days of one table asked at once on a
// first load: Log Analytics runs about five queries of a user at a time and
// queues the rest, and other panels ask too.
const dayConcurrency = 4

// byDay hands take the plan's range in UTC-day parts: settled whole days
// from the cache (or asked, checked and cached, several at once), the
// part-day before the first of them and the part not settled each in one
// query. Only an answer that reads back under the plan is cached, so a
// failed or malformed answer never poisons the cache. Each answer is taken
// as it arrives and then dropped: a long range holds the days in flight, not
// all of them.
func (r *Runner) byDay(ctx context.Context, p *Plan, take func(loganalytics.Answer) error) error {
	days := settledDays(p.From, p.To, r.now().Add(-r.Settle))
	parts := [][2]time.Time{{p.From, p.To}}
	if len(days) > 0 {
		parts = [][2]time.Time{{p.From, days[0]}, {days[len(days)-1].Add(24 * time.Hour), p.To}}
	}
	shape := p.Shape()
	g, dctx := errgroup.WithContext(ctx)
	g.SetLimit(dayConcurrency)
	for _, day := range days {
		g.Go(func() error {
			a, err := r.day(dctx, p, shape, day)
			if err != nil {
				return err
			}
			return take(a)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, part := range parts {
		if !part[0].Before(part[1]) {
			continue
		}
		a, err := r.ask(ctx, p, part[0], part[1])
		if err != nil {
			return err
		}
		if err := take(a); err != nil {
			return err
		}
	}
	return nil
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

// day is a settled day's answer: cached, or asked (once for every query
// that wants it at the same time) and cached. A query that is cancelled
// stops waiting; the asking goes on for the others.
func (r *Runner) day(ctx context.Context, p *Plan, shape string, day time.Time) (loganalytics.Answer, error) {
	key := dayKey(shape, day)
	if b, ok := r.Cache.Get(key); ok {
		if a, ok := decodeDay(shape, b); ok && p.rows(a, nil) == nil {
			return a, nil
		}
	}
	ch := r.asking.DoChan(key, func() (any, error) {
		return r.askDay(context.WithoutCancel(ctx), p, shape, key, day)
	})
	select {
	case <-ctx.Done():
		return loganalytics.Answer{}, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return loganalytics.Answer{}, res.Err
		}
		return res.Val.(loganalytics.Answer), nil
	}
}

// askDay asks the workspace for a settled day and caches the answer once it
// reads back under the plan.
func (r *Runner) askDay(ctx context.Context, p *Plan, shape, key string, day time.Time) (loganalytics.Answer, error) {
	a, err := r.ask(ctx, p, day, day.Add(24*time.Hour))
	if err != nil {
		return loganalytics.Answer{}, err
	}
	if err := p.rows(a, nil); err != nil {
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
