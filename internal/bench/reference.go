package bench

import (
	"context"
	"time"
)

// referenceRow is one sign-in as the reference engine holds it: figure b's
// queries read its time, app and user only.
type referenceRow struct {
	Time time.Time
	App  string
	User string
}

// reference is a general-purpose engine answering figure b's two queries
// over the same rows, for the ratio BENCHMARKS.md quotes: DuckDB when the
// benchmark is built with the duckdb tag (reference_duckdb.go), nil otherwise.
// It returns the median time of each query over reps runs, results
// materialised, in the order of aggregations.
var reference func(ctx context.Context, rows func(func(referenceRow)) error, reps int) (name string, medians []time.Duration, err error)
