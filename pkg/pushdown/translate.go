package pushdown

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ErrNotPushable says a query cannot be answered exactly in the workspace;
// the message names what (a dimension, an operator, a format). Callers fall
// back to the store, or show the error when the store cannot answer either.
var ErrNotPushable = fmt.Errorf("%w: not answerable in the Log Analytics workspace", query.ErrNotCounted)

// maxBuckets bounds a pushed-down series, as the engine bounds its own.
const maxBuckets = 60_000

// countColumn names the count in the answer.
const countColumn = "SignIns"

// bucketColumn names the bucket start in a time series' answer.
const bucketColumn = "Bucket"

// Plan is a translated query in one table: what writing its KQL for a part
// of the range and reading the answers back need.
type Plan struct {
	LogType signin.LogType
	From    time.Time // the sign-ins counted: created in [From, To)
	To      time.Time
	// Columns are the raw columns the answer is grouped by (before Bucket
	// and the count), sorted: what the groups, the filters applied here and
	// the metric read.
	Columns []string
	// Size is the bucket width of a time series, 0 for a table (one bucket
	// of the whole range); First is the first bucket's start, Buckets their
	// number.
	Size    time.Duration
	First   time.Time
	Buckets int
	// local are the filters on derived dimensions, applied to the answer's
	// rows by the decoder's rules; where are the KQL conditions of the others.
	local []query.Filter
	where []string
	query query.Query
	// Skip says the filters exclude every row of the table: it is not
	// asked, and adds nothing to the answer.
	Skip bool
}

// Translate plans q over r: one plan per log type it reads, each counted in
// its own table and read back into one answer (Runner.Answer), or fails
// with ErrNotPushable naming what cannot be expressed exactly. A plan whose
// table the filters exclude whatever its rows hold (a logType filter, or a
// filter on a column the table lacks) is Skip: it is not asked.
func Translate(q query.Query, r query.Range) ([]*Plan, error) {
	q.Filters = slices.DeleteFunc(slices.Clone(q.Filters), matchesEverything)
	if err := pushable(q); err != nil {
		return nil, err
	}
	plans := make([]*Plan, 0, len(q.LogTypes))
	for _, t := range q.LogTypes {
		p, err := translateTable(q, r, t)
		if err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// translateTable plans q over r in the table of t.
func translateTable(q query.Query, r query.Range, t signin.LogType) (*Plan, error) {
	p := &Plan{LogType: t, From: r.From.UTC(), To: r.To.UTC(), query: q, First: r.From.UTC(), Buckets: 1}
	if q.Format == query.TimeSeries {
		p.Size = q.BucketSize(r.Interval)
		p.First = p.From.Truncate(p.Size)
		p.Buckets = int((p.To.Sub(p.First) + p.Size - 1) / p.Size)
		if p.Buckets > maxBuckets {
			return nil, fmt.Errorf("%w: %d buckets of %s; at most %d", query.ErrInvalidQuery, p.Buckets, p.Size, maxBuckets)
		}
	}
	cols := map[string]bool{}
	add := func(name string) {
		if c, ok := tableColumn(t, name); ok {
			cols[c] = true
		}
	}
	for _, d := range q.GroupBy {
		add(dimensionColumns[d].name)
	}
	for _, c := range metricColumns[q.Metric] {
		add(c)
	}
	for _, f := range q.Filters {
		dc := dimensionColumns[f.Dim]
		name, ok := tableColumn(t, dc.name)
		if !ok {
			// Every row of the table has the same value here (the log type,
			// or the empty value of a column the table lacks): the engine's
			// rule on it keeps the whole table or none of it.
			p.Skip = p.Skip || !f.Match(f.Dim.Value(blankEvent(t)))
			continue
		}
		if dc.plain && f.Op != query.OpMatch && f.Op != query.OpNotMatch {
			p.where = append(p.where, condition(name, f))
			continue
		}
		// A derived dimension, or a regular expression: the engine's own
		// Filter.Match decides on the answer's rows, grouped by the column.
		// RE2 is not written in KQL: Kusto's "matches regex" anchors,
		// escapes and treats the empty value differently, and no test of
		// ours could show the two agree on every expression.
		cols[name] = true
		p.local = append(p.local, f)
	}
	for c := range cols {
		p.Columns = append(p.Columns, c)
	}
	slices.Sort(p.Columns)
	return p, nil
}

// blankEvent is a sign-in of t as the decoder reads a row with none of the
// columns the push-down asks: what every row of t holds in a column t lacks.
func blankEvent(t signin.LogType) *signin.Event {
	e, _ := loganalytics.DecodeRow([]string{"CreatedDateTime"}, []any{"2000-01-01T00:00:00Z"}, t) // a readable time cannot fail
	return &e
}

// pushable checks that every part of q has an exact KQL form.
func pushable(q query.Query) error {
	switch {
	case q.Variable != nil:
		return fmt.Errorf("%w: template-variable queries are answered by the store", ErrNotPushable)
	case q.Format != query.TimeSeries && q.Format != query.Table:
		return fmt.Errorf("%w: format %s (only timeSeries and table are pushed down)", ErrNotPushable, q.Format)
	case len(q.LogTypes) == 0:
		return fmt.Errorf("%w: no log type", ErrNotPushable)
	case slices.ContainsFunc(q.LogTypes, func(t signin.LogType) bool { return tables[t] == "" }):
		return fmt.Errorf("%w: logType %v has no table here", ErrNotPushable, q.LogTypes)
	case q.Metric != query.Count && metricColumns[q.Metric] == nil:
		// firstSignIn, lastSignIn; distinctCountries, whose country is read from a
		// dynamic column (LocationDetails) that KQL cannot group by as is.
		return fmt.Errorf("%w: metric %s", ErrNotPushable, q.Metric)
	}
	for _, d := range q.GroupBy {
		if _, ok := dimensionColumns[d]; !ok {
			return fmt.Errorf("%w: dimension %s", ErrNotPushable, d)
		}
	}
	for _, f := range q.Filters {
		if _, ok := dimensionColumns[f.Dim]; !ok {
			return fmt.Errorf("%w: a filter on dimension %s", ErrNotPushable, f.Dim)
		}
		switch f.Op {
		case query.OpEq, query.OpNotEq, query.OpStartsWith, query.OpIn, query.OpMatch, query.OpNotMatch:
		default: // an operator added to the engine is not pushed down until written here
			return fmt.Errorf("%w: filter operator %s (on %s)", ErrNotPushable, f.Op, f.Dim)
		}
		if !utf8.ValidString(f.Value) {
			// The query travels as JSON, which carries text: bytes that are
			// not UTF-8 would arrive as U+FFFD, and the workspace compare
			// with another value than the engine.
			return fmt.Errorf("%w: a filter on %s whose value is not UTF-8 text", ErrNotPushable, f.Dim)
		}
	}
	return nil
}

// matchesEverything is Grafana's All value of a regex variable, which the
// engine drops as no filter at all (query.Filter.matchesEverything): so
// does the push-down, whatever its dimension.
func matchesEverything(f query.Filter) bool {
	return f.Op == query.OpMatch && (f.Value == ".*" || f.Value == "^.*$")
}

// condition is a filter on a plain column as KQL: case-sensitive, as the
// engine compares ("in", not "in~"). An "in" list is the engine's own items,
// sorted, so one filter always writes one query shape (a cache key).
func condition(col string, f query.Filter) string {
	if f.Op == query.OpIn {
		items := f.Items()
		quoted := make([]string, len(items))
		for i, v := range items {
			quoted[i] = Quote(v)
		}
		return col + " in (" + strings.Join(quoted, ", ") + ")"
	}
	op := map[query.Op]string{query.OpEq: "==", query.OpNotEq: "!=", query.OpStartsWith: "startswith_cs"}[f.Op]
	return col + " " + op + " " + Quote(f.Value)
}

// KQL is the query over the sign-ins created in [from, to): what the
// workspace is asked, and what `make test-kql` holds against Microsoft's
// parser.
func (p *Plan) KQL(from, to time.Time) string {
	return p.write(fmt.Sprintf("CreatedDateTime >= datetime(%s) and CreatedDateTime < datetime(%s)", kqlTime(from), kqlTime(to)))
}

// Shape is the query without its range: what a cached day's answer
// depends on besides the day.
func (p *Plan) Shape() string { return p.write("CreatedDateTime in range") }

// write assembles the query: the rows created in the range, the latest
// version of each (as the store lists them), the plain filters, and one
// count by the raw columns and the bucket.
func (p *Plan) write(created string) string {
	var b strings.Builder
	b.WriteString(tables[p.LogType])
	b.WriteString("\n| where " + created)
	b.WriteString("\n| summarize arg_max(TimeGenerated, *) by Id")
	if len(p.where) > 0 {
		b.WriteString("\n| where " + strings.Join(p.where, " and "))
	}
	by := slices.Clone(p.Columns)
	if p.Size > 0 {
		by = append(by, fmt.Sprintf("%s = bin(CreatedDateTime, %ds)", bucketColumn, p.Size/time.Second))
	}
	b.WriteString("\n| summarize " + countColumn + " = count()")
	if len(by) > 0 {
		b.WriteString(" by " + strings.Join(by, ", "))
	}
	return b.String()
}

// kqlTime writes a datetime literal's value to the nanosecond, UTC.
func kqlTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
