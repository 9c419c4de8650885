package query

import (
	"context"
	"fmt"
	"time"
)

// maxBuckets bounds the points of one series: a year of 10-minute buckets.
const maxBuckets = 60_000

// Series is one time series: a point per bucket, buckets UTC-aligned and
// zero-filled so graphs and alert rules see every bucket of the range.
type Series struct {
	Name   string            // the metric
	Labels map[string]string // groupBy values; empty without groupBy
	Times  []time.Time       // bucket starts
	Values []float64
}

// Result is an answer with the notices the panel should show.
type Result struct {
	Series  []Series
	Table   *TableRows
	Grouped *GroupedTable
	Logs    *LogLines
	Marks   []Mark // threshold annotations; non-nil when asked for
	Values  []ValueCount
	Notices []string
	// Partial is set when only part of the range was loaded in the time budget:
	// the answer covers Loaded of Total windows and must not pass as complete.
	Partial *Partial
}

// TimeSeries answers a timeSeries query: one series per group, the top Limit
// groups by the metric over the range, the rest folded into "other".
func (e *Engine) TimeSeries(ctx context.Context, q Query, r Range) (Result, error) {
	return e.routed(ctx, q, r, e.timeSeries)
}

func (e *Engine) timeSeries(ctx context.Context, q Query, r Range, f feed) (Result, error) {
	size := q.BucketSize(r.Interval)
	first := r.From.UTC().Truncate(size)
	n := int((r.To.Sub(first) + size - 1) / size)
	if n > maxBuckets || n > e.limits.MaxCells/2 {
		return Result{}, fmt.Errorf("%w: %d buckets of %s over the range; at most %d (and half the datasource setting maxCells, %d); choose a larger timeAggregate or a shorter range",
			ErrInvalidQuery, n, size, maxBuckets, e.limits.MaxCells)
	}
	a, partial, err := e.aggregate(ctx, q, r.From, r.To, first, size, n, f)
	if err != nil {
		return Result{}, err
	}
	defer a.release()
	// The answer's points are bounded too: it is copied into frames and
	// encoded for Grafana after the aggregation is released, and no panel
	// shows more than a small part of maxCells points.
	shown := q
	shown.Limit = min(q.Limit, max(1, e.limits.MaxCells/answerShare/n))
	kept, other := a.ranked(shown.Limit)
	// The answer's points are built while the aggregation is still held.
	if !a.charge(int64(len(kept)+1)*int64(n)*pointBytes + int64(n)*timeBytes) {
		return Result{}, a.err
	}
	if len(q.GroupBy) == 0 && len(kept) == 0 {
		kept = []*group{{cells: make([]cell, n)}} // no sign-ins: still one zero series
	}
	res := Result{Partial: partial, Notices: a.notices}
	for _, g := range kept {
		res.Series = append(res.Series, a.series(g))
	}
	if other != nil {
		res.Series = append(res.Series, a.series(other))
	}
	res.Notices = append(res.Notices, limitNotice(shown, len(a.groups))...)
	if shown.Limit < q.Limit && len(a.groups) > shown.Limit {
		res.Notices = append(res.Notices, fmt.Sprintf("a time series answer holds at most %d points (maxCells / %d): %d series of %d buckets are shown", e.limits.MaxCells/answerShare, answerShare, shown.Limit, n))
	}
	res.Notices = append(res.Notices, a.overflowNotice()...)
	res.Notices = append(res.Notices, a.listNotice()...)
	return res, nil
}

// answerShare is the part of maxCells a time series answer may hold in points.
const answerShare = 8

// overflowNotice says that groups past the bound were summed up.
func (a *aggregation) overflowNotice() []string {
	if a.overflow < 0 {
		return nil
	}
	return []string{fmt.Sprintf("more than %d groups: the groups found after the first %d are summed up as %q; group by fewer or coarser dimensions, filter, or raise the datasource's maxGroups (a time series keeps at most maxCells = %d groups × buckets)", a.maxGroups, a.maxGroups, OtherLabel, a.maxCells)}
}

// limitNotice says what the limit did to the groups, if anything.
func limitNotice(q Query, groups int) []string {
	switch {
	case q.Limit <= 0 || groups <= q.Limit:
		return nil
	case q.DropOther:
		return []string{fmt.Sprintf("%d groups; only the top %d by %s are evaluated", groups, q.Limit, q.Metric)}
	}
	return []string{fmt.Sprintf("%d groups; the top %d by %s are shown, the others are summed up as %q", groups, q.Limit, q.Metric, OtherLabel)}
}

// series is group g's series. Every series of an answer shares one slice of
// bucket times: it is read-only, and a time series of maxCells points would
// otherwise hold 24 bytes a point more.
func (a *aggregation) series(g *group) Series {
	if a.times == nil {
		a.times = make([]time.Time, a.buckets)
		for k := range a.times {
			a.times[k] = time.Unix(0, a.first+int64(k)*a.size).UTC()
		}
	}
	s := Series{Name: string(a.q.Metric), Labels: make(map[string]string, len(g.labels)), Times: a.times, Values: make([]float64, a.buckets)}
	for i, d := range a.q.GroupBy {
		s.Labels[d.String()] = g.labels[i]
	}
	for k := range g.cells {
		s.Values[k] = a.q.Metric.value(&g.cells[k])
	}
	return s
}
