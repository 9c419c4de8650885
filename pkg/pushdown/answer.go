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

// cell is one group's sign-ins in one bucket (or the whole range).
type cell struct {
	total    int64
	outcomes [3]int64 // by signin.Outcome
	distinct map[string]struct{}
}

func (c *cell) merge(o *cell) {
	c.total += o.total
	for i := range c.outcomes {
		c.outcomes[i] += o.outcomes[i]
	}
	for k := range o.distinct {
		c.addKey(k)
	}
}

func (c *cell) addKey(k string) {
	if c.distinct == nil {
		c.distinct = map[string]struct{}{}
	}
	c.distinct[k] = struct{}{}
}

// group is one combination of groupBy labels.
type group struct {
	labels []string
	cells  []cell
	whole  cell // every bucket merged: what ranks the group
}

// counts are an answer read into groups (the answer's rows mapped to their
// labels and buckets, the local filters applied).
type counts struct {
	groups map[string]*group
	order  []*group
}

// read maps the answers' rows to groups and buckets in out: the answers of
// the range's parts, and of the query's tables, add up.
func (p *Plan) read(out *counts, answers []loganalytics.Answer) error {
	for _, a := range answers {
		if err := p.readAnswer(out, a); err != nil {
			return err
		}
	}
	return nil
}

func (p *Plan) readAnswer(out *counts, a loganalytics.Answer) error {
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
		if err := p.readRow(out, ix, row); err != nil {
			return err
		}
	}
	return nil
}

func (p *Plan) readRow(out *counts, ix map[string]int, row []any) error {
	if len(row) != len(ix) {
		return fmt.Errorf("%w: a row of %d cells for %d columns", ErrBadAnswer, len(row), len(ix))
	}
	n, ok := row[ix[countColumn]].(float64)
	if !ok || n < 0 || n != math.Trunc(n) {
		return fmt.Errorf("%w: count %v", ErrBadAnswer, row[ix[countColumn]])
	}
	k, err := p.bucketOf(row, ix)
	if err != nil {
		return err
	}
	e, err := p.event(row, ix)
	if err != nil {
		return err
	}
	for i := range p.local {
		if !matches(&p.local[i], p.local[i].Dim.Value(&e)) {
			return nil
		}
	}
	g := out.group(p, &e)
	p.add(&g.cells[k], &e, int64(n))
	p.add(&g.whole, &e, int64(n))
	return nil
}

// bucketOf is the bucket index of a row: 0 for a table.
func (p *Plan) bucketOf(row []any, ix map[string]int) (int, error) {
	if p.Size == 0 {
		return 0, nil
	}
	s, _ := row[ix[bucketColumn]].(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, fmt.Errorf("%w: bucket %q", ErrBadAnswer, s)
	}
	d := t.Sub(p.First)
	if d < 0 || d%p.Size != 0 || int(d/p.Size) >= p.Buckets {
		return 0, fmt.Errorf("%w: bucket %s is not one of the range's", ErrBadAnswer, s)
	}
	return int(d / p.Size), nil
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

// group returns the group of e's labels, made on first use.
func (c *counts) group(p *Plan, e *signin.Event) *group {
	labels := make([]string, len(p.query.GroupBy))
	for i, d := range p.query.GroupBy {
		labels[i] = labelOf(d.Value(e))
	}
	id := joinLabels(labels)
	g := c.groups[id]
	if g == nil {
		g = &group{labels: labels, cells: make([]cell, p.Buckets)}
		c.groups[id] = g
		c.order = append(c.order, g)
	}
	return g
}

// add counts n sign-ins like e into c.
func (p *Plan) add(c *cell, e *signin.Event, n int64) {
	c.total += n
	c.outcomes[e.Outcome()] += n
	if p.query.Metric.IsDistinct() && n > 0 {
		if k := distinctKey(p.query.Metric, e); k != "" {
			c.addKey(k)
		}
	}
}

// distinctKey is what a distinct metric counts, as the engine's
// Metric.distinctKey: the id where there is one, else the name; "" is not
// counted.
func distinctKey(m query.Metric, e *signin.Event) string {
	switch m {
	case query.DistinctUsers:
		return firstNonEmpty(e.UserID, e.UserPrincipalName)
	case query.DistinctApps:
		return firstNonEmpty(e.AppID, e.AppDisplayName)
	case query.DistinctIPs:
		return e.IPAddress
	case query.DistinctResources:
		return firstNonEmpty(e.ResourceID, e.ResourceDisplayName)
	}
	return ""
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// matches applies a filter the KQL does not (one on a derived dimension,
// or a regular expression) by the engine's own rule, so the two cannot
// differ.
func matches(f *query.Filter, v string) bool { return f.Match(v) }

// labelOf is a value as a group's label, as the engine labels it.
func labelOf(v string) string {
	if v == "" {
		return query.EmptyLabel
	}
	return v
}

func joinLabels(labels []string) string {
	n := 0
	for _, l := range labels {
		n += len(l) + 1
	}
	b := make([]byte, 0, n)
	for _, l := range labels {
		b = append(b, l...)
		b = append(b, 0)
	}
	return string(b)
}
