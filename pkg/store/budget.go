package store

import (
	"context"
	"time"
)

// budgetKey is the context key of a request's budget deadline.
type budgetKey struct{}

// WithDeadline returns a context under which every Scan stops waiting for
// windows being fetched at deadline, and answers with what is loaded then.
//
// The plugin calls it once per QueryData request: the README promises that a
// panel waits queryTimeBudgetSeconds, and a request scans several queries and
// log types one after another, so a budget per Scan would make the panel wait
// that long for each of them. Unlike context.WithDeadline, passing the
// deadline does not cancel ctx: a query out of budget keeps its interest in
// the windows it waits for, so they finish loading for the next refresh.
//
// A context that already carries an earlier deadline keeps it.
func WithDeadline(ctx context.Context, deadline time.Time) context.Context {
	if d, ok := budgetDeadline(ctx); ok && d.Before(deadline) {
		return ctx
	}
	return context.WithValue(ctx, budgetKey{}, deadline)
}

// budgetDeadline returns the deadline set by WithDeadline, if any.
func budgetDeadline(ctx context.Context) (time.Time, bool) {
	d, ok := ctx.Value(budgetKey{}).(time.Time)
	return d, ok
}

// waitUntil is when a Scan starting at now stops waiting: Config.TimeBudget
// from now, or the request's deadline if that is earlier. Config.TimeBudget
// still bounds a scan made outside a request (tests, benchmarks).
func (s *Store) waitUntil(ctx context.Context, now time.Time) time.Time {
	until := now.Add(s.cfg.TimeBudget)
	if d, ok := budgetDeadline(ctx); ok && d.Before(until) {
		return d
	}
	return until
}

// Windows returns how many windows a Scan of [from, to) covers, the Total of
// its *PartialError: callers count the windows of the scans that answered
// whole without a slice of them.
func (s *Store) Windows(from, to time.Time) int {
	return countWindows(from, to, s.cfg.Window)
}

// countWindows is len(windowsCovering(from, to, size)), computed rather than
// listed. Ranges beyond time.Duration's 292 years saturate; no query gets there.
func countWindows(from, to time.Time, size time.Duration) int {
	if !from.Before(to) {
		return 0
	}
	span := to.Sub(from.UTC().Truncate(size)) // > 0: the first start is at or before from
	n := span / size
	if span%size != 0 {
		n++
	}
	return int(n)
}
