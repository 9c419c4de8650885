package query

import (
	"context"
)

// TableRows is one row per group with the metric over the whole range.
type TableRows struct {
	Columns []string // the groupBy dimensions
	Metric  string
	Rows    []TableRow
}

// TableRow is one group.
type TableRow struct {
	Labels []string
	Value  float64
}

// Table answers a table query: the top Limit groups by the metric over the range,
// largest first, and one "other" row for the rest.
func (e *Engine) Table(ctx context.Context, q Query, r Range) (Result, error) {
	return e.routed(ctx, q, r, e.table)
}

func (e *Engine) table(ctx context.Context, q Query, r Range, f feed) (Result, error) {
	span := r.To.Sub(r.From)
	a, partial, err := e.aggregate(ctx, q, r.From, r.To, r.From, span, 1, f)
	if err != nil {
		return Result{}, err
	}
	defer a.release()
	kept, other := a.ranked(q.Limit)
	if a.err != nil {
		return Result{}, a.err
	}
	t := &TableRows{Metric: string(q.Metric)}
	for _, d := range q.GroupBy {
		t.Columns = append(t.Columns, d.String())
	}
	for _, g := range kept {
		t.Rows = append(t.Rows, TableRow{Labels: g.labels, Value: a.valueOf(g)})
	}
	if len(q.GroupBy) == 0 && len(t.Rows) == 0 {
		t.Rows = append(t.Rows, TableRow{Labels: []string{}, Value: 0})
	}
	res := Result{Table: t, Partial: partial, Notices: a.notices}
	if other != nil {
		t.Rows = append(t.Rows, TableRow{Labels: other.labels, Value: a.valueOf(other)})
	}
	res.Notices = append(res.Notices, limitNotice(q, len(a.groups))...)
	res.Notices = append(res.Notices, a.overflowNotice()...)
	res.Notices = append(res.Notices, a.listNotice()...)
	return res, nil
}
