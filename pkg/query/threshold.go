package query

import (
	"context"
	"sort"
	"time"
)

// Mark is a time bucket where a group's metric exceeded a query's threshold.
type Mark struct {
	From, To time.Time
	Labels   map[string]string // the group's values; empty without groupBy
	Value    float64
}

// thresholdBuckets answers an annotations query with a threshold: the
// buckets of its time series where a group's metric exceeds it, oldest
// first. The groups are the time series' (the top limit by total).
func (e *Engine) thresholdBuckets(ctx context.Context, q Query, r Range, f feed) (Result, error) {
	res, err := e.timeSeries(ctx, q, r, f)
	if err != nil {
		return Result{}, err
	}
	size := q.BucketSize(r.Interval)
	marks := []Mark{}
	for _, s := range res.Series {
		for i, v := range s.Values {
			if v > *q.Threshold { // NaN (a rate of no sign-ins) never is
				marks = append(marks, Mark{From: s.Times[i], To: s.Times[i].Add(size), Labels: s.Labels, Value: v})
			}
		}
	}
	sort.SliceStable(marks, func(i, j int) bool { return marks[i].From.Before(marks[j].From) })
	res.Series, res.Marks = nil, marks
	return res, nil
}
