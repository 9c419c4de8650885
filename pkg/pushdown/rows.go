package pushdown

import (
	"fmt"
	"math"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ErrBadAnswer says the workspace's answer is not the shape the plan asked for.
var ErrBadAnswer = fmt.Errorf("push-down answer: %w", loganalytics.ErrBadAnswer)

// rows reads an answer of the plan's KQL as counted rows and hands each to
// add: n sign-ins like the row's decoded columns in the row's bucket. The
// filters the KQL could not write (derived dimensions, regular expressions)
// are applied here by the engine's own Filter.Match; everything else — the
// groups, the metric, the bounds — is the engine's. A nil add only checks
// the answer, as a settled day is checked before it is cached.
func (p *Plan) rows(a loganalytics.Answer, add query.CountFunc) error {
	ix := make(map[string]int, len(a.Columns))
	for i, c := range a.Columns {
		ix[c] = i
	}
	need := append([]string{countColumn}, p.Columns...)
	if p.Size > 0 {
		need = append(need, bucketColumn)
	}
	for _, c := range need {
		if _, ok := ix[c]; !ok {
			return fmt.Errorf("%w: no column %s", ErrBadAnswer, c)
		}
	}
	for _, row := range a.Rows {
		if err := p.row(ix, row, add); err != nil {
			return err
		}
	}
	return nil
}

func (p *Plan) row(ix map[string]int, row []any, add query.CountFunc) error {
	if len(row) != len(ix) {
		return fmt.Errorf("%w: a row of %d cells for %d columns", ErrBadAnswer, len(row), len(ix))
	}
	n, ok := row[ix[countColumn]].(float64)
	if !ok || n < 0 || n != math.Trunc(n) || n > math.MaxInt64/2 {
		return fmt.Errorf("%w: count %v", ErrBadAnswer, row[ix[countColumn]])
	}
	bucket, err := p.bucketOf(row, ix)
	if err != nil {
		return err
	}
	e, err := p.event(row, ix)
	if err != nil {
		return err
	}
	for i := range p.local {
		if !p.local[i].Match(p.local[i].Dim.Value(&e)) {
			return nil
		}
	}
	if add == nil {
		return nil
	}
	return add(&e, bucket, int64(n))
}

// bucketOf is the start of a row's bucket: the range's start for a table.
func (p *Plan) bucketOf(row []any, ix map[string]int) (time.Time, error) {
	if p.Size == 0 {
		return p.First, nil
	}
	s, _ := row[ix[bucketColumn]].(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w: bucket %q", ErrBadAnswer, s)
	}
	d := t.Sub(p.First)
	if d < 0 || d%p.Size != 0 || int(d/p.Size) >= p.Buckets {
		return time.Time{}, fmt.Errorf("%w: bucket %s is not one of the range's", ErrBadAnswer, s)
	}
	return t, nil
}

// event decodes a row's raw columns as the store's decoder does, so every
// derived dimension reads exactly as it would from the store.
func (p *Plan) event(row []any, ix map[string]int) (signin.Event, error) {
	cols := append([]string{"CreatedDateTime"}, p.Columns...)
	vals := make([]any, 0, len(cols))
	vals = append(vals, p.From.Format(time.RFC3339Nano)) // the time is the bucket's, not read from the event
	for _, c := range p.Columns {
		vals = append(vals, row[ix[c]])
	}
	e, err := loganalytics.DecodeRow(cols, vals, p.LogType)
	if err != nil {
		return signin.Event{}, fmt.Errorf("%w: %w", ErrBadAnswer, err)
	}
	return e, nil
}
