package query

import (
	"context"
	"fmt"
	"time"
	"unsafe"

	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
)

// memoryGuard names the guard's type for the Engine's field, so engine.go
// needs no import of its own for it.
type memoryGuard = memguard.Guard

// WithMemoryGuard makes every query charge what it builds to g, the
// process-wide ceiling shared by all engines: each query is bounded by
// maxCells on its own, but a few heavy ones at once are not. A query that
// would pass the ceiling fails with an error wrapping memguard.ErrMemory. A
// nil guard (the default) sets no ceiling.
func WithMemoryGuard(g *memguard.Guard) Option {
	return func(e *Engine) { e.guard = g }
}

// What queries charge, in bytes. They are estimates of what a query holds, not
// allocator measurements: the point is that what grows with the query's input
// is charged where it grows.
const (
	cellBytes = int64(unsafe.Sizeof(cell{}))
	// groupBytes is a group besides its cells: the struct, its pointer in
	// aggregation.groups, and its entry in byValue or byKey.
	groupBytes = int64(unsafe.Sizeof(group{})) + 8 + 64
	// pointBytes is a point of a time series answer.
	pointBytes = int64(unsafe.Sizeof(float64(0)))
	timeBytes  = int64(unsafe.Sizeof(time.Time{}))
	// logLineBytes is a sign-in held for a logs answer: its ring reference
	// and then the materialised signin.Event with its strings.
	logLineBytes = 1 << 10
	// valueBytes is a distinct value of a values answer: its map entry and
	// string; valueBatch of them are charged at once.
	valueBytes = 64
	valueBatch = 1024
	// valuesStart is the reservation a values query waits for at its start.
	valuesStart = valueBatch * valueBytes
)

// seriesBytes is what a group with labels costs while aggregating over buckets.
func seriesBytes(buckets int, labels []string) int64 {
	n := int64(buckets)*cellBytes + groupBytes
	for _, l := range labels {
		n += int64(unsafe.Sizeof(l)) + int64(len(l))
	}
	return n
}

// reserve opens the aggregation's account. The memory itself is waited for
// by start, when the first block arrives: the store calls the scan back once
// the range is loaded, so a query waiting for Microsoft Graph holds nothing.
func (a *aggregation) reserve(ctx context.Context, g *memguard.Guard) {
	a.ctx, a.acct = ctx, g.Account()
	a.prepaid = max(seriesBytes(a.buckets, nil), min(a.worstCase(), g.Limit()/2))
}

// start waits for what the query may need at most (worstCase), or half the
// ceiling when that is more: heavy queries queue before they hold anything,
// so that a few of them finish instead of all growing at once and all
// failing at the ceiling. Past its reservation a query grows by Grow, which
// fails fast. It reports false, with a.err set, when the wait failed.
func (a *aggregation) start() bool {
	if a.started || a.err != nil {
		return a.err == nil
	}
	a.started = true
	if err := a.acct.Wait(a.ctx, a.prepaid); err != nil {
		a.prepaid, a.err = 0, fmt.Errorf("waiting for query memory: %w", err)
		return false
	}
	return true
}

// worstCase estimates what the aggregation holds at most: every group it may
// make (and "other"), with labels of a typical length, and the answer's
// points when it has several buckets.
func (a *aggregation) worstCase() int64 {
	groups := int64(a.maxGroups) + 1
	n := groups * (seriesBytes(a.buckets, nil) + int64(len(a.q.GroupBy))*typicalLabelBytes)
	if a.buckets > 1 {
		n += min(groups, int64(a.q.Limit)+1)*int64(a.buckets)*pointBytes + int64(a.buckets)*timeBytes
	}
	return n
}

// typicalLabelBytes is a group label's string header and bytes, for estimates.
const typicalLabelBytes = 16 + 48

// charge reserves n bytes for the aggregation, from what reserve prepaid
// first. It reports false once the guard refused, with the error kept in
// a.err: the scan callback cannot return it, so the aggregation stops adding
// and the query returns it.
func (a *aggregation) charge(n int64) bool {
	if a.err != nil {
		return false
	}
	if !a.start() {
		return false
	}
	paid := min(n, a.prepaid)
	a.prepaid -= paid
	if err := a.acct.Grow(n - paid); err != nil {
		a.err = fmt.Errorf("aggregating %d groups: %w", len(a.groups), err)
		return false
	}
	return true
}

// release gives back what the aggregation reserved, once its answer is
// built: the answer then belongs to the response, bounded by maxCells.
func (a *aggregation) release() { a.acct.Close() }
