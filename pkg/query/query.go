// Package query is the engine: it turns a panel's query (the JSON contract of
// the README's "Query reference") into series, rows and log lines over the
// sign-ins a Reader provides.
package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Query is a validated panel query.
type Query struct {
	LogTypes      []signin.LogType // one, or all four for logType "all"
	Format        Format
	Metric        Metric
	GroupBy       []signin.Dimension
	Filters       []Filter
	TimeAggregate time.Duration // 0 = auto
	Limit         int
	Variable      *signin.Dimension // set for a template-variable query: the dimension listed
	// DropOther leaves groups beyond Limit out instead of folding them into
	// "other": an alert rule must not get an instance that is no real group.
	DropOther bool
	// TimeFrom and TimeTo narrow the panel's range (zero: not set). Grouped rows'
	// links use them to open exactly the row's window in Explore.
	TimeFrom, TimeTo time.Time
	// LegendFormat names each series, as Prometheus and Loki do: "{{app}} –
	// {{status}}" with the series' labels; empty for the labels themselves.
	LegendFormat string
	// Threshold, with format annotations, marks the time buckets where the
	// metric of a group exceeds it instead of each sign-in: "failures of an
	// app above 50 an hour". Nil: not set.
	Threshold *float64
	// IgnoredFilters are ad hoc filters the frontend could not apply (an
	// operator the contract lacks, such as "<"), as "key op value": the answer
	// names each in a notice rather than dropping it in silence.
	IgnoredFilters []string
}

// maxLegendFormat bounds legendFormat: a template, not a document.
const maxLegendFormat = 1024

// maxIgnoredFilters bounds the ad hoc filters a query reports as ignored.
const maxIgnoredFilters = 30

// Format is the shape of a query's answer.
type Format string

// Formats of the contract.
const (
	TimeSeries Format = "timeSeries"
	Table      Format = "table"
	Grouped    Format = "grouped"
	Logs       Format = "logs"
	// Annotations marks each matching sign-in on a graph (a Conditional
	// Access block, a lockout): the logs selection, answered as annotations.
	Annotations Format = "annotations"
)

// Limits of a query.
const (
	maxGroupBy = 3
	MaxLimit   = 10_000
)

// defaultLimits per format: enough series for a readable graph, rows for a
// table, lines for a first look in Explore.
var defaultLimits = map[Format]int{TimeSeries: 20, Table: 10, Grouped: 1000, Logs: 100, Annotations: 100}

// DefaultLimit is the limit a query of the format gets when it sets none.
func DefaultLimit(f Format) int { return defaultLimits[f] }

// rawQuery is the query JSON as Grafana sends it.
type rawQuery struct {
	QueryType     string      `json:"queryType"`
	Key           string      `json:"key"` // variable queries
	LogType       string      `json:"logType"`
	Format        string      `json:"format"`
	Metric        string      `json:"metric"`
	TimeAggregate string      `json:"timeAggregate"`
	GroupBy       []string    `json:"groupBy"`
	Filters       []rawFilter `json:"filters"`
	Limit         *float64    `json:"limit"`
	TimeFrom      string      `json:"timeFrom"`
	TimeTo        string      `json:"timeTo"`
	LegendFormat  string      `json:"legendFormat"`
	Threshold     *float64    `json:"threshold"`
	// IgnoredFilters: see Query.IgnoredFilters.
	IgnoredFilters []string `json:"ignoredFilters"`
}

var timeAggregates = map[string]time.Duration{"auto": 0, "": 0, "1h": time.Hour, "6h": 6 * time.Hour, "24h": 24 * time.Hour}

// Parse reads and validates a query's JSON within the default limits.
func Parse(data []byte) (Query, error) { return ParseWith(data, DefaultLimits()) }

// ParseWith reads and validates a query's JSON. Empty fields take the
// contract's defaults (interactive, timeSeries, count, auto, a limit per
// format). Errors name the field and the allowed values, quoting at most a
// short prefix of what was sent; a query past one of lim's bounds is refused
// before any work, naming the bound and the setting that raises it.
func ParseWith(data []byte, lim Limits) (Query, error) {
	lim = lim.withDefaults()
	var raw rawQuery
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &raw); err != nil {
			return Query{}, fmt.Errorf("%w: query JSON: %s", ErrInvalidQuery, clip.String(err.Error()))
		}
		if err := checkKeyCase(data); err != nil {
			return Query{}, err
		}
	}
	if err := lim.checkFilterBudget(raw.Filters); err != nil {
		return Query{}, err
	}
	q := Query{Format: TimeSeries, Metric: Count}
	regexes := &regexBudget{left: lim.MaxRegexSize, max: lim.MaxRegexSize}
	steps := []func(*Query, rawQuery) error{parseLogType, parseFormat, parseMetricField, parseTimeAggregate, parseGroupBy,
		func(q *Query, raw rawQuery) error { return parseFilters(q, raw, regexes) }, parseLimit, parseVariable, parseNarrowing}
	for _, step := range steps {
		if err := step(&q, raw); err != nil {
			return Query{}, err
		}
	}
	return q, nil
}

func parseLogType(q *Query, raw rawQuery) error {
	switch raw.LogType {
	case "":
		q.LogTypes = []signin.LogType{signin.Interactive}
	case "all":
		q.LogTypes = signin.LogTypes
	default:
		t, err := signin.ParseLogType(raw.LogType)
		if err != nil {
			return fmt.Errorf("%w: logType: %v (or all)", ErrInvalidQuery, err)
		}
		q.LogTypes = []signin.LogType{t}
	}
	return nil
}

func parseFormat(q *Query, raw rawQuery) error {
	switch f := Format(raw.Format); f {
	case "":
	case TimeSeries, Table, Grouped, Logs, Annotations:
		q.Format = f
	default:
		return fmt.Errorf("%w: unknown format %s; want one of timeSeries, table, grouped, logs, annotations", ErrInvalidQuery, clip.Quote(raw.Format))
	}
	if q.Format == Grouped && len(q.LogTypes) != 1 {
		return fmt.Errorf("%w: format grouped needs one logType: each log type has its own grouping keys", ErrInvalidQuery)
	}
	return nil
}

func parseMetricField(q *Query, raw rawQuery) error {
	if raw.Metric == "" {
		return nil
	}
	m, err := parseMetric(raw.Metric)
	q.Metric = m
	if err == nil && m.readsTimes() && q.Format != Table {
		what := "is a time"
		if !m.IsTime() {
			what = "compares its sign-ins' times"
		}
		return fmt.Errorf("%w: metric %s %s, answered by format table only", ErrInvalidQuery, m, what)
	}
	return err
}

func parseTimeAggregate(q *Query, raw rawQuery) error {
	agg, ok := timeAggregates[raw.TimeAggregate]
	if !ok {
		return fmt.Errorf("%w: unknown timeAggregate %s; want one of auto, 1h, 6h, 24h", ErrInvalidQuery, clip.Quote(raw.TimeAggregate))
	}
	q.TimeAggregate = agg
	return nil
}

func parseGroupBy(q *Query, raw rawQuery) error {
	if len(raw.GroupBy) > maxGroupBy {
		return fmt.Errorf("%w: groupBy has %d keys; at most %d", ErrInvalidQuery, len(raw.GroupBy), maxGroupBy)
	}
	seen := make(map[signin.Dimension]bool)
	for i, key := range raw.GroupBy {
		d, err := signin.ParseDimension(key)
		if err != nil {
			return fmt.Errorf("%w: groupBy[%d]: %v", ErrInvalidQuery, i, err)
		}
		if seen[d] {
			return fmt.Errorf("%w: groupBy[%d]: %s is listed twice", ErrInvalidQuery, i, clip.Quote(key))
		}
		seen[d] = true
		q.GroupBy = append(q.GroupBy, d)
	}
	return nil
}

func parseFilters(q *Query, raw rawQuery, regexes *regexBudget) error {
	for i, rf := range raw.Filters {
		f, err := parseFilter(i, rf, regexes)
		if err != nil {
			return err
		}
		q.Filters = append(q.Filters, f)
	}
	return nil
}

func parseLimit(q *Query, raw rawQuery) error {
	q.Limit = defaultLimits[q.Format]
	if raw.Limit == nil || *raw.Limit == 0 {
		return nil
	}
	n := *raw.Limit
	if n != float64(int(n)) || n < 1 || n > MaxLimit {
		return fmt.Errorf("%w: limit %v; want a whole number from 1 to %d", ErrInvalidQuery, n, MaxLimit)
	}
	q.Limit = int(n)
	return nil
}

// parseVariable reads a template-variable query: {"queryType":"variable","key":"app"}.
func parseVariable(q *Query, raw rawQuery) error {
	if raw.QueryType != "variable" {
		return nil
	}
	d, err := signin.ParseDimension(raw.Key)
	if err != nil {
		return fmt.Errorf("%w: key: %v", ErrInvalidQuery, err)
	}
	q.Variable = &d
	if raw.Limit == nil {
		q.Limit = MaxLimit
	}
	return nil
}

func parseNarrowing(q *Query, raw rawQuery) error {
	for _, f := range []struct {
		name string
		raw  string
		dst  *time.Time
	}{{"timeFrom", raw.TimeFrom, &q.TimeFrom}, {"timeTo", raw.TimeTo, &q.TimeTo}} {
		if f.raw == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, f.raw)
		if err != nil {
			return fmt.Errorf("%w: %s %s is not an RFC 3339 time", ErrInvalidQuery, f.name, clip.Quote(f.raw))
		}
		*f.dst = t
	}
	if len(raw.LegendFormat) > maxLegendFormat {
		return fmt.Errorf("%w: legendFormat is longer than %d bytes", ErrInvalidQuery, maxLegendFormat)
	}
	q.LegendFormat = raw.LegendFormat
	if err := parseThreshold(q, raw); err != nil {
		return err
	}
	if len(raw.IgnoredFilters) > maxIgnoredFilters {
		return fmt.Errorf("%w: ignoredFilters has %d entries; at most %d", ErrInvalidQuery, len(raw.IgnoredFilters), maxIgnoredFilters)
	}
	for _, f := range raw.IgnoredFilters {
		q.IgnoredFilters = append(q.IgnoredFilters, clip.Quote(f))
	}
	return nil
}

// parseThreshold reads threshold: a finite number, for annotations only. A
// threshold annotation names real groups: nothing is folded into "other".
func parseThreshold(q *Query, raw rawQuery) error {
	if raw.Threshold == nil {
		return nil
	}
	if q.Format != Annotations {
		return fmt.Errorf("%w: threshold applies to format annotations only", ErrInvalidQuery)
	}
	if math.IsNaN(*raw.Threshold) || math.IsInf(*raw.Threshold, 0) {
		return fmt.Errorf("%w: threshold must be a number", ErrInvalidQuery)
	}
	q.Threshold = raw.Threshold
	q.DropOther = true
	return nil
}

// Narrow returns the part of r inside the query's timeFrom and timeTo.
func (q Query) Narrow(r Range) Range {
	if !q.TimeFrom.IsZero() && q.TimeFrom.After(r.From) {
		r.From = q.TimeFrom
	}
	if !q.TimeTo.IsZero() && q.TimeTo.Before(r.To) {
		r.To = q.TimeTo
	}
	return r
}

// BucketSize returns the bucket width for a panel interval: the query's time
// aggregate, or for auto the interval snapped up to whole minutes (at least one),
// so buckets stay aligned to UTC minutes whatever interval Grafana picks.
func (q Query) BucketSize(interval time.Duration) time.Duration {
	if q.TimeAggregate > 0 {
		return q.TimeAggregate
	}
	minutes := (interval + time.Minute - 1) / time.Minute
	if minutes < 1 {
		minutes = 1
	}
	return minutes * time.Minute
}
