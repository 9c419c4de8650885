package query

import (
	"context"
	"sort"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// ValueCount is a dimension value and how many sign-ins have it.
type ValueCount struct {
	Value string
	Count int64
}

// Values lists the distinct non-empty values of dim among the sign-ins matching
// q's log types and filters, most frequent first (ties alphabetical), keeping
// those that start with prefix (case-insensitive), at most q.Limit of them. It
// feeds template variables and the editor's suggestions.
func (e *Engine) Values(ctx context.Context, q Query, r Range, dim signin.Dimension, prefix string) (Result, error) {
	counts := make(map[string]int64)
	prefix = strings.ToLower(prefix)
	partial, err := splitPartial(e.scanMatching(ctx, q, r.From, r.To, func(b *store.Block, lo, hi int, pass []bool) {
		perProfile := make([]int64, len(b.Profiles))
		for i := lo; i < hi; i++ {
			perProfile[b.Profile[i]]++
		}
		for p, n := range perProfile {
			if n == 0 || !pass[p] {
				continue
			}
			v := dim.Value(&b.Profiles[p])
			if v != "" && strings.HasPrefix(strings.ToLower(v), prefix) {
				counts[v] += n
			}
		}
	}))
	if err != nil {
		return Result{}, err
	}
	values := make([]ValueCount, 0, len(counts))
	for v, n := range counts {
		values = append(values, ValueCount{v, n})
	}
	sort.Slice(values, func(i, j int) bool {
		if values[i].Count != values[j].Count {
			return values[i].Count > values[j].Count
		}
		return values[i].Value < values[j].Value
	})
	if len(values) > q.Limit {
		values = values[:q.Limit]
	}
	return Result{Values: values, Partial: partial}, nil
}

// Run answers any query by its format (or as a variable query).
func (e *Engine) Run(ctx context.Context, q Query, r Range) (Result, error) {
	if q.Variable != nil {
		return e.Values(ctx, q, r, *q.Variable, "")
	}
	switch q.Format {
	case Table:
		return e.Table(ctx, q, r)
	case Grouped:
		return e.Grouped(ctx, q, r)
	case Logs:
		return e.Logs(ctx, q, r)
	}
	return e.TimeSeries(ctx, q, r)
}
