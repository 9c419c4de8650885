package graphsim

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// timespan is a request's timespan: it bounds TimeGenerated to [start, end).
// The zero value bounds nothing.
type timespan struct {
	start, end time.Time
	set        bool
}

func (t timespan) contains(ingested time.Time) bool {
	return !t.set || !ingested.Before(t.start) && ingested.Before(t.end)
}

// parseTimespan reads the forms of ISO 8601 the service accepts: start/end,
// start/duration, duration/end, and a duration alone (ending now). A
// duration counts weeks, days, hours, minutes and seconds (P1D, PT6H30M);
// years and months, whose length varies, are refused.
func parseTimespan(s string, now time.Time) (timespan, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return timespan{}, nil
	}
	a, b, pair := strings.Cut(s, "/")
	if !pair {
		d, err := parseISODuration(a)
		return timespan{start: now.Add(-d), end: now, set: true}, err
	}
	var t timespan
	var err error
	switch {
	case isDuration(a):
		var d time.Duration
		if d, err = parseISODuration(a); err == nil {
			t.end, err = time.Parse(time.RFC3339Nano, b)
			t.start = t.end.Add(-d)
		}
	case isDuration(b):
		var d time.Duration
		if t.start, err = time.Parse(time.RFC3339Nano, a); err == nil {
			d, err = parseISODuration(b)
			t.end = t.start.Add(d)
		}
	default:
		if t.start, err = time.Parse(time.RFC3339Nano, a); err == nil {
			t.end, err = time.Parse(time.RFC3339Nano, b)
		}
	}
	t.start, t.end, t.set = t.start.UTC(), t.end.UTC(), true
	if err == nil && t.end.Before(t.start) {
		err = fmt.Errorf("it ends before it starts")
	}
	return t, err
}

func isDuration(s string) bool { return strings.HasPrefix(s, "P") }

var isoDuration = regexp.MustCompile(`^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// parseISODuration reads PnWnDTnHnMnS, each part optional.
func parseISODuration(s string) (time.Duration, error) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return 0, fmt.Errorf("%q is not a duration of weeks, days, hours, minutes and seconds", s)
	}
	units := []time.Duration{7 * 24 * time.Hour, 24 * time.Hour, time.Hour, time.Minute, time.Second}
	var d time.Duration
	for i, part := range m[1:] {
		if part == "" {
			continue
		}
		n, err := strconv.ParseFloat(part, 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q: %w", s, err)
		}
		d += time.Duration(n * float64(units[i]))
	}
	return d, nil
}
