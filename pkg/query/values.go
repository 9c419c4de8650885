package query

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ValueCount is a dimension value and how many sign-ins have it.
type ValueCount struct {
	Value string
	Count int64
}

// Values lists the distinct values of dim (EmptyLabel for sign-ins without
// one) among the sign-ins matching q's log types and filters, most frequent first (ties alphabetical), keeping
// those that start with prefix (case-insensitive), at most q.Limit of them. It
// feeds template variables and the editor's suggestions.
func (e *Engine) Values(ctx context.Context, q Query, r Range, dim signin.Dimension, prefix string) (Result, error) {
	acct := e.guard.Account()
	defer acct.Close()
	if err := acct.Wait(ctx, valuesStart); err != nil {
		return Result{}, fmt.Errorf("waiting for query memory: %w", err)
	}
	// Sign-ins are counted per profile during the scan and per value after it:
	// a dimension's value is read once per profile, not once per sign-in.
	perProfile := make(map[*block.Profiles][]int64)
	var memErr error // the scan callback cannot return it: once set, blocks are skipped
	partial, err := splitPartial(e.scanMatching(ctx, q, r.From, r.To, func(b *block.Block, lo, hi int, pass []bool) {
		if memErr != nil {
			return
		}
		n := perProfile[b.Profiles]
		if grow := b.Profiles.Len() - len(n); grow > 0 {
			if memErr = acct.Grow(int64(grow) * 8); memErr != nil {
				return
			}
			n = append(n, make([]int64, grow)...)
			perProfile[b.Profiles] = n
		}
		for i := lo; i < hi; i++ {
			if p := b.Profile.At(i); pass[p] {
				n[p]++
			}
		}
	}))
	if memErr != nil {
		err = fmt.Errorf("counting values: %w", memErr)
	}
	if err != nil {
		return Result{}, err
	}
	counts := make(map[string]int64)
	prefix = strings.ToLower(prefix)
	for t, n := range perProfile {
		// The dimension's column (kept with the table across queries): a
		// profile's value by code, without materialising the profile.
		col := t.Column(dimensionColumn(dim), dim.Value)
		byCode := make([]int64, len(col.Values))
		for p, c := range n {
			byCode[col.Codes[p]] += c
		}
		for code, c := range byCode {
			if c == 0 {
				continue
			}
			for _, v := range valuesOf(dim, col.Values[code]) { // a list's each value
				v = labelOf(v)
				if !strings.HasPrefix(strings.ToLower(v), prefix) {
					continue
				}
				if err := chargeValue(acct, counts, v); err != nil {
					return Result{}, err
				}
				counts[v] += c
			}
		}
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

// chargeValue charges the memory guard for a batch of distinct values each
// time a new value starts one (a lock per value would cost more than the
// value); the first batch is the query's start reservation.
func chargeValue(acct *memguard.Account, counts map[string]int64, v string) error {
	if _, seen := counts[v]; seen || len(counts) == 0 || len(counts)%valueBatch != 0 {
		return nil
	}
	if err := acct.Grow(valueBatch * valueBytes); err != nil {
		return fmt.Errorf("listing %d values: %w", len(counts), err)
	}
	return nil
}

// Run answers any query by its format (or as a variable query), counted
// when the engine's routing says so (WithRouting), else from the store.
func (e *Engine) Run(ctx context.Context, q Query, r Range) (Result, error) {
	return e.routed(ctx, q, r, e.answer)
}

// answer answers q over r by its format; f feeds the aggregating formats.
// The others read the store's sign-ins one by one: no counter has them.
func (e *Engine) answer(ctx context.Context, q Query, r Range, f feed) (Result, error) {
	if q.Variable != nil {
		return e.Values(ctx, q, r, *q.Variable, "")
	}
	switch q.Format {
	case Table:
		return e.table(ctx, q, r, f)
	case Grouped:
		return e.Grouped(ctx, q, r)
	case Annotations:
		if q.Threshold != nil {
			return e.thresholdBuckets(ctx, q, r, f)
		}
		return e.Logs(ctx, q, r)
	case Logs:
		return e.Logs(ctx, q, r)
	}
	return e.timeSeries(ctx, q, r, f)
}

// valuesOf splits a column value as signin.Dimension.Values splits a
// sign-in's: a list-valued dimension's each value, else the value itself.
func valuesOf(dim signin.Dimension, v string) []string {
	if !dim.IsList() || v == "" {
		return []string{v}
	}
	return signin.SplitList(v)
}
