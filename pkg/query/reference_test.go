package query

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// tenantEvents decodes a synthetic day of every log type through the Graph
// client's decoder, so the engine sees exactly what it sees in production.
func tenantEvents(t testing.TB, from, to time.Time) sliceReader {
	t.Helper()
	tenant, err := synth.New(3, "small")
	if err != nil {
		t.Fatal(err)
	}
	var all sliceReader
	for _, lt := range signin.LogTypes {
		page, err := json.Marshal(map[string]any{"value": tenant.Range(lt, from, to)})
		if err != nil {
			t.Fatal(err)
		}
		events, _, err := graph.DecodePage(page)
		if err != nil {
			t.Fatal(err)
		}
		for i := range events {
			events[i].LogType = lt
		}
		all = append(all, events...)
	}
	return all
}

// reference computes a grouped metric the slow, obvious way: per (labels,
// bucket), a list of sign-ins.
func reference(events []signin.Event, q Query, r Range, size time.Duration) map[string]map[int64]float64 {
	cells := make(map[string]map[int64][]*signin.Event)
	var first time.Time
	if size > 0 {
		first = r.From.Truncate(size)
	}
	for i := range events {
		e := &events[i]
		if e.Created.Before(r.From) || !e.Created.Before(r.To) || !hasType(q.LogTypes, e.LogType) || !matchAll(q.Filters, e) {
			continue
		}
		var bucket int64 // one bucket for tables (size 0)
		if size > 0 {
			bucket = first.Add(e.Created.Sub(first) / size * size).Unix()
		}
		for _, key := range referenceKeys(q.GroupBy, e) {
			if cells[key] == nil {
				cells[key] = make(map[int64][]*signin.Event)
			}
			cells[key][bucket] = append(cells[key][bucket], e)
		}
	}
	out := make(map[string]map[int64]float64)
	for key, buckets := range cells {
		out[key] = make(map[int64]float64)
		for b, es := range buckets {
			out[key][b] = referenceMetric(q.Metric, es)
		}
	}
	return out
}

// referenceKeys are the groups a sign-in counts in: one per combination of
// its values, a list-valued dimension's split on signin.ListSep by hand.
func referenceKeys(dims []signin.Dimension, e *signin.Event) []string {
	keys := []string{""}
	for i, d := range dims {
		values := []string{d.Value(e)}
		if d.IsList() && values[0] != "" {
			values = strings.Split(values[0], "\x1f")
		}
		var next []string
		for _, k := range keys {
			for _, v := range values {
				part := d.String() + "=" + labelOf(v)
				if i > 0 {
					part = "," + part
				}
				next = append(next, k+part)
			}
		}
		keys = next
	}
	return keys
}

func referenceMetric(m Metric, es []*signin.Event) float64 {
	var n, failures float64
	distinct := make(map[string]bool)
	for _, e := range es {
		n++
		code := e.ErrorCode
		switch m {
		case Successes, SuccessRate:
			if code == 0 {
				failures++
			}
		case Failures, FailureRate:
			if signin.OutcomeOf(code) == signin.Failure {
				failures++
			}
		case Interrupts:
			if signin.OutcomeOf(code) == signin.Interrupted {
				failures++
			}
		case DistinctUsers, DistinctApps, DistinctIPs, DistinctResources, DistinctCountries:
			if k := m.distinctKey(e); k != "" {
				distinct[k] = true
			}
		}
	}
	switch m {
	case Count:
		return n
	case FailureRate, SuccessRate:
		return 100 * failures / n
	case DistinctUsers, DistinctApps, DistinctIPs, DistinctResources, DistinctCountries:
		return float64(len(distinct))
	}
	return failures
}

func hasType(ts []signin.LogType, t signin.LogType) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// TestEngineMatchesReference runs a sample of metrics, groupings and filters over
// a synthetic day and compares every point with the reference.
func TestEngineMatchesReference(t *testing.T) {
	week := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC) // Monday: the week has every injected incident
	events := tenantEvents(t, week, week.Add(7*24*time.Hour))
	e := events.engine()
	r := Range{From: week.Add(90 * time.Minute), To: week.Add(7*24*time.Hour - time.Hour), Interval: 10 * time.Minute}
	queries := []string{
		`{"logType":"all","metric":"count","groupBy":["logType"]}`,
		`{"logType":"interactive","metric":"failures","groupBy":["app"],"timeAggregate":"1h"}`,
		`{"logType":"interactive","metric":"distinctUsers","groupBy":["app"],"timeAggregate":"6h"}`,
		`{"logType":"nonInteractive","metric":"distinctIPs","groupBy":["user","status"]}`,
		`{"logType":"all","metric":"failureRate","groupBy":["browser","os"],"timeAggregate":"1h"}`,
		`{"logType":"servicePrincipal","metric":"distinctResources","groupBy":["servicePrincipal"],"timeAggregate":"24h"}`,
		`{"logType":"managedIdentity","metric":"count","groupBy":["msiType","resource"],"timeAggregate":"1h"}`,
		`{"logType":"all","metric":"interrupts","filters":[{"key":"status","op":"!=","value":"success"}],"groupBy":["errorCode"]}`,
		`{"logType":"interactive","metric":"successes","filters":[{"key":"app","op":"=~","value":"Microsoft.*|Azure.*"}],"groupBy":["clientApp"]}`,
		`{"logType":"interactive","metric":"distinctApps","filters":[{"key":"country","op":"in","value":"US,DE,GB"},{"key":"user","op":"startsWith","value":"a"}],"groupBy":["country"]}`,
		`{"logType":"all","metric":"count","filters":[{"key":"legacyAuth","op":"=","value":"true"}],"groupBy":["clientApp","status"]}`,
		`{"logType":"interactive","metric":"count","filters":[{"key":"os","op":"!~","value":"Windows|macOS"}],"groupBy":["os","deviceCompliant","riskLevel"]}`,
		`{"logType":"servicePrincipal","metric":"failures","groupBy":["credentialType","errorCode"],"timeAggregate":"1h"}`,
		// List-valued dimensions: a sign-in counts in each of its values' groups.
		`{"logType":"interactive","metric":"count","groupBy":["authMethod"],"timeAggregate":"1h"}`,
		`{"logType":"all","metric":"distinctUsers","groupBy":["authMethod","status"]}`,
		`{"logType":"interactive","metric":"failureRate","groupBy":["riskEventType","authMethod"]}`,
		`{"logType":"interactive","metric":"successRate","groupBy":["authMethod"],"timeAggregate":"24h"}`,
		`{"logType":"interactive","metric":"count","filters":[{"key":"authMethod","op":"!=","value":"Password"}],"groupBy":["authMethod"]}`,
		`{"logType":"interactive","metric":"distinctUsers","filters":[{"key":"authMethod","op":"=~","value":"Mobile.*"}],"groupBy":["riskState","riskLevelAggregated"]}`,
		`{"logType":"servicePrincipal","metric":"count","groupBy":["credentialKeyId","servicePrincipal"],"timeAggregate":"24h"}`,
		`{"logType":"all","metric":"count","groupBy":["incomingTokenType","authProtocol","globalSecureAccess"]}`,
		`{"logType":"all","metric":"distinctUsers","groupBy":["tokenIssuerName","mfaMethod","riskDetail"]}`,
		`{"logType":"servicePrincipal","metric":"failures","groupBy":["credentialThumbprint"]}`,
		`{"logType":"all","metric":"distinctCountries","groupBy":["user"],"timeAggregate":"6h"}`,
	}
	for _, raw := range queries {
		for _, format := range []Format{TimeSeries, Table} {
			var m map[string]any
			_ = json.Unmarshal([]byte(raw), &m)
			m["format"], m["limit"] = string(format), MaxLimit
			js, _ := json.Marshal(m)
			q, err := Parse(js)
			if err != nil {
				t.Fatalf("%s: %v", js, err)
			}
			checkAgainstReference(t, e, events, q, r, string(js))
		}
	}
}

func checkAgainstReference(t *testing.T, e *Engine, events sliceReader, q Query, r Range, name string) {
	t.Helper()
	size := q.BucketSize(r.Interval)
	if q.Format == Table {
		size = 0
	}
	want := reference(events, q, r, size)
	res, err := e.Run(context.Background(), q, r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got := make(map[string]map[int64]float64)
	if q.Format == Table {
		for _, row := range res.Table.Rows {
			got[tableKey(q, row.Labels)] = map[int64]float64{0: row.Value}
		}
	} else {
		for _, s := range res.Series {
			key := seriesKey(q, s.Labels)
			got[key] = make(map[int64]float64)
			for i, ts := range s.Times {
				if s.Values[i] != 0 || want[key][ts.Unix()] != 0 {
					got[key][ts.Unix()] = s.Values[i]
				}
			}
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s: the reference is empty; the case proves nothing", name)
	}
	for key, buckets := range want {
		for b, v := range buckets {
			if g := got[key][b]; !close(g, v) {
				t.Fatalf("%s: group %q bucket %s: got %v; want %v", name, key, time.Unix(b, 0).UTC(), g, v)
			}
		}
	}
	if q.Format == TimeSeries {
		for key, buckets := range got {
			for b, v := range buckets {
				if _, ok := want[key][b]; !ok && v != 0 {
					t.Fatalf("%s: unexpected value %v for group %q at %s", name, v, key, time.Unix(b, 0).UTC())
				}
			}
		}
	}
}

func close(a, b float64) bool { d := a - b; return d < 1e-9 && d > -1e-9 }

func seriesKey(q Query, labels map[string]string) string {
	var parts []string
	for _, d := range q.GroupBy {
		parts = append(parts, d.String()+"="+labels[d.String()])
	}
	return strings.Join(parts, ",")
}

func tableKey(q Query, labels []string) string {
	var parts []string
	for i, d := range q.GroupBy {
		parts = append(parts, d.String()+"="+labels[i])
	}
	return strings.Join(parts, ",")
}

// TestLimitFoldsIntoOther checks that the kept groups are the top ones and that
// "other" holds exactly the rest, also for a distinct count.
func TestLimitFoldsIntoOther(t *testing.T) {
	day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, day, day.Add(24*time.Hour))
	r := Range{From: day, To: day.Add(24 * time.Hour), Interval: time.Hour}
	all, err := Parse([]byte(`{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["app"],"limit":10000}`))
	if err != nil {
		t.Fatal(err)
	}
	full, err := events.engine().Run(context.Background(), all, r)
	if err != nil {
		t.Fatal(err)
	}
	top3 := all
	top3.Limit = 3
	cut, err := events.engine().Run(context.Background(), top3, r)
	if err != nil {
		t.Fatal(err)
	}
	rows := full.Table.Rows
	if len(rows) < 5 || len(cut.Table.Rows) != 4 || len(cut.Notices) != 1 {
		t.Fatalf("unexpected rows %d / %d, notices %v", len(rows), len(cut.Table.Rows), cut.Notices)
	}
	if !sort.SliceIsSorted(rows, func(i, j int) bool { return rows[i].Value > rows[j].Value }) {
		t.Fatal("rows are not sorted by the metric")
	}
	for i := 0; i < 3; i++ {
		if fmt.Sprint(cut.Table.Rows[i]) != fmt.Sprint(rows[i]) {
			t.Fatalf("unexpected top row %d; got %v; want %v", i, cut.Table.Rows[i], rows[i])
		}
	}
	// The distinct users of "other": every user of the folded apps, counted once.
	folded := make(map[string]bool)
	for _, row := range rows[3:] {
		folded[row.Labels[0]] = true
	}
	users := make(map[string]bool)
	for i := range events {
		if folded[events[i].AppDisplayName] && events[i].UserID != "" {
			users[events[i].UserID] = true
		}
	}
	other := cut.Table.Rows[3]
	if other.Labels[0] != OtherLabel || other.Value != float64(len(users)) {
		t.Fatalf("unexpected other row %v; want %d users", other, len(users))
	}
}

// TestNoEmptyGroupsFromPartialWindows: a range that starts and ends inside hour
// windows must not report groups whose sign-ins all fall outside it.
func TestNoEmptyGroupsFromPartialWindows(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	r := sliceReader{
		{ID: "a", Created: day.Add(10 * time.Minute), AppDisplayName: "Zoom", ErrorCode: 50126},
		{ID: "b", Created: day.Add(40 * time.Minute), AppDisplayName: "Teams", ErrorCode: 50126},
	}
	for _, format := range []string{"table", "timeSeries"} {
		q, _ := Parse([]byte(`{"format":"` + format + `","metric":"failures","groupBy":["app"],"timeAggregate":"1h"}`))
		res, err := r.engine().Run(context.Background(), q, Range{From: day.Add(30 * time.Minute), To: day.Add(50 * time.Minute), Interval: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		groups := len(res.Series)
		if res.Table != nil {
			groups = len(res.Table.Rows)
		}
		if groups != 1 {
			t.Fatalf("%s: unexpected groups %d; want only Teams", format, groups)
		}
	}
}

// TestGroupsAreBounded: past MaxGroups, further groups are summed up as
// "other" with a notice, and the totals still add up.
func TestGroupsAreBounded(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var r sliceReader
	for i := 0; i < 2500; i++ {
		r = append(r, signin.Event{ID: fmt.Sprint(i), Created: day.Add(time.Duration(i) * time.Second), IPAddress: fmt.Sprintf("10.0.%d.%d", i/250, i%250)})
	}
	q, _ := Parse([]byte(`{"format":"table","metric":"count","groupBy":["ipAddress"],"limit":10000}`))
	a := newAggregation(q, day, time.Hour, 1, Limits{MaxGroups: 1000}.withDefaults())
	if err := r.engine().scan(context.Background(), q, day, day.Add(time.Hour), a.add); err != nil {
		t.Fatal(err)
	}
	kept, other := a.ranked(q.Limit)
	if len(kept) != 1000 || other == nil || other.whole().total != 1500 || len(a.overflowNotice()) != 1 {
		t.Fatalf("unexpected bound: %d kept, other %+v", len(kept), other)
	}
}

// matchAll reports whether e passes every filter, one sign-in at a time. A
// list-valued dimension passes a positive operator when any of its values
// does, a negative one (!=, !~) when every value does.
func matchAll(filters []Filter, e *signin.Event) bool {
	for i := range filters {
		f := &filters[i]
		values := []string{f.Dim.Value(e)}
		if f.Dim.IsList() && values[0] != "" {
			values = strings.Split(values[0], "\x1f")
		}
		any, every := false, true
		for _, v := range values {
			m := f.matchValue(v)
			any, every = any || m, every && m
		}
		negative := f.Op == OpNotEq || f.Op == OpNotMatch
		if (negative && !every) || (!negative && !any) {
			return false
		}
	}
	return true
}
