// Package budget carries a request's time budget: the moment its scans stop
// waiting for windows being fetched and answer with what is loaded. The
// plugin sets it once per request, the store honours it, and the query engine
// in between only passes contexts along — so neither the plugin nor the
// engine needs the store's package for it.
package budget

import (
	"context"
	"time"
)

type key struct{}

// WithDeadline returns a context under which every scan stops waiting for
// windows being fetched at deadline, and answers with what is loaded then.
//
// The plugin calls it once per QueryData request: the README promises that a
// panel waits queryTimeBudgetSeconds, and a request scans several queries and
// log types one after another, so a budget per scan would make the panel wait
// that long for each of them. Unlike context.WithDeadline, passing the
// deadline does not cancel ctx: a query out of budget keeps its interest in
// the windows it waits for, so they finish loading for the next refresh.
//
// A context that already carries an earlier deadline keeps it.
func WithDeadline(ctx context.Context, deadline time.Time) context.Context {
	if d, ok := Deadline(ctx); ok && d.Before(deadline) {
		return ctx
	}
	return context.WithValue(ctx, key{}, deadline)
}

// Deadline returns the deadline set by WithDeadline, if any.
func Deadline(ctx context.Context) (time.Time, bool) {
	d, ok := ctx.Value(key{}).(time.Time)
	return d, ok
}
