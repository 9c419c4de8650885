package query

import (
	"context"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Reader gives the engine the sign-ins of one log type created in [from, to), as
// the store's columnar blocks with the index range inside [from, to).
// *store.Store implements it.
type Reader interface {
	Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *store.Block, lo, hi int)) error
}

// maxBuckets bounds the points of one series: a year of 10-minute buckets.
const maxBuckets = 60_000

// Engine answers queries over a Reader.
type Engine struct {
	r Reader
}

// New returns an engine reading from r.
func New(r Reader) *Engine { return &Engine{r: r} }

// Series is one time series: a point per bucket, buckets UTC-aligned and
// zero-filled so graphs and alert rules see every bucket of the range.
type Series struct {
	Name   string            // the metric
	Labels map[string]string // group values; empty without groupBy
	Times  []time.Time       // bucket starts
	Values []float64
}

// TimeSeries runs q over [from, to) with the panel's interval.
func (e *Engine) TimeSeries(ctx context.Context, q Query, from, to time.Time, interval time.Duration) ([]Series, error) {
	size := q.BucketSize(interval)
	first := from.UTC().Truncate(size)
	n := int((to.Sub(first) + size - 1) / size)
	if n > maxBuckets {
		return nil, fmt.Errorf("%w: %d buckets of %s over the range; at most %d; choose a larger timeAggregate", ErrInvalidQuery, n, size, maxBuckets)
	}
	tallies := make([]tally, n)
	firstNano, sizeNano := first.UnixNano(), int64(size)
	err := e.r.Scan(ctx, q.LogType, from, to, func(b *store.Block, lo, hi int) {
		outcomes := profileOutcomes(b)
		for i := lo; i < hi; i++ {
			tallies[(b.Times[i]-firstNano)/sizeNano].add(outcomes[b.Profile[i]])
		}
	})
	if err != nil {
		return nil, err
	}
	s := Series{Name: string(q.Metric), Labels: map[string]string{}, Times: make([]time.Time, n), Values: make([]float64, n)}
	for i := range tallies {
		s.Times[i] = first.Add(time.Duration(i) * size)
		s.Values[i] = q.Metric.value(tallies[i])
	}
	return []Series{s}, nil
}

// profileOutcomes classifies each profile of a block once, so the per-sign-in
// loop is an index and an increment.
func profileOutcomes(b *store.Block) []signin.Outcome {
	out := make([]signin.Outcome, len(b.Profiles))
	for i := range b.Profiles {
		out[i] = b.Profiles[i].Outcome()
	}
	return out
}
