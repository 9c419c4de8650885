// Package query is the engine: it turns a panel's query (the JSON contract of
// DESIGN.md §4) into series and rows over the sign-ins a Reader provides.
package query

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Query is a validated panel query.
type Query struct {
	LogType       signin.LogType
	Format        Format
	Metric        Metric
	TimeAggregate time.Duration // 0 = auto: the panel interval snapped to whole minutes
}

// Format is the shape of a query's answer.
type Format string

// Formats of the contract. The foundation answers timeSeries; the others come with the engine issue.
const (
	TimeSeries Format = "timeSeries"
	Table      Format = "table"
	Grouped    Format = "grouped"
	Logs       Format = "logs"
)

// rawQuery is the query JSON as Grafana sends it.
type rawQuery struct {
	LogType       string          `json:"logType"`
	Format        string          `json:"format"`
	Metric        string          `json:"metric"`
	TimeAggregate string          `json:"timeAggregate"`
	GroupBy       []string        `json:"groupBy"`
	Filters       json.RawMessage `json:"filters"`
}

var timeAggregates = map[string]time.Duration{"auto": 0, "": 0, "1h": time.Hour, "6h": 6 * time.Hour, "24h": 24 * time.Hour}

// Parse reads and validates a query's JSON. Empty fields take the contract's
// defaults (interactive, timeSeries, count, auto). Errors name the field and the
// allowed values.
func Parse(data []byte) (Query, error) {
	var raw rawQuery
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &raw); err != nil {
			return Query{}, fmt.Errorf("%w: query JSON: %v", ErrInvalidQuery, err)
		}
	}
	q := Query{LogType: signin.Interactive, Format: TimeSeries, Metric: Count}
	if raw.LogType != "" {
		t, err := signin.ParseLogType(raw.LogType)
		if err != nil {
			return Query{}, fmt.Errorf("%w: %v", ErrInvalidQuery, err)
		}
		q.LogType = t
	}
	if raw.Format != "" && Format(raw.Format) != TimeSeries {
		return Query{}, fmt.Errorf("%w: format %q is not supported yet; use %q", ErrUnsupported, raw.Format, TimeSeries)
	}
	if raw.Metric != "" {
		m, err := parseMetric(raw.Metric)
		if err != nil {
			return Query{}, err
		}
		q.Metric = m
	}
	agg, ok := timeAggregates[raw.TimeAggregate]
	if !ok {
		return Query{}, fmt.Errorf("%w: unknown timeAggregate %q; want one of auto, 1h, 6h, 24h", ErrInvalidQuery, raw.TimeAggregate)
	}
	q.TimeAggregate = agg
	if len(raw.GroupBy) > 0 || hasFilters(raw.Filters) {
		return Query{}, fmt.Errorf("%w: groupBy and filters are not supported yet", ErrUnsupported)
	}
	return q, nil
}

func hasFilters(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s != "" && s != "null" && s != "[]"
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
