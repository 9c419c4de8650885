package kql

import "time"

// datetimeLayouts are the literal forms the subset reads: RFC 3339 with any
// fraction and zone, and the same without a zone or time, taken as UTC as
// Kusto does.
var datetimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"}

// parseDatetime parses the content of a datetime(...) literal, in UTC.
func parseDatetime(s string) (time.Time, bool) {
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
