package store

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/budget"
)

// waitUntil is when a Scan starting at now stops waiting: Config.TimeBudget
// from now, or the request's deadline (package budget) if that is earlier. Config.TimeBudget
// still bounds a scan made outside a request (tests, benchmarks).
func (s *Store) waitUntil(ctx context.Context, now time.Time) time.Time {
	until := now.Add(s.cfg.TimeBudget)
	if d, ok := budget.Deadline(ctx); ok && d.Before(until) {
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
