package query

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestGroupedMatchesPortalKeys groups a synthetic day by exactly the portal's
// keys, the slow way, and compares count, first and last of every row.
func TestGroupedMatchesPortalKeys(t *testing.T) {
	day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, day, day.Add(24*time.Hour))
	r := Range{From: day.Add(30 * time.Minute), To: day.Add(24 * time.Hour)}
	keyOf := map[string]func(e *signin.Event) string{
		"nonInteractive": func(e *signin.Event) string {
			return strings.Join([]string{e.AppID, e.UserID, e.IPAddress, e.Outcome().String(), e.ResourceID}, "|")
		},
		"servicePrincipal": func(e *signin.Event) string {
			return strings.Join([]string{e.ServicePrincipalID, e.Outcome().String(), e.IPAddress, e.ResourceID}, "|")
		},
		"managedIdentity": func(e *signin.Event) string {
			return strings.Join([]string{e.ServicePrincipalID, e.Outcome().String(), e.ResourceID}, "|")
		},
	}
	for lt, key := range keyOf {
		for _, agg := range []string{"1h", "6h", "24h"} {
			q, err := Parse([]byte(fmt.Sprintf(`{"logType":%q,"format":"grouped","timeAggregate":%q,"limit":10000}`, lt, agg)))
			if err != nil {
				t.Fatal(err)
			}
			type row struct {
				n           int64
				first, last time.Time
			}
			want := make(map[string]*row)
			for i := range events {
				e := &events[i]
				if e.LogType != q.LogTypes[0] || e.Created.Before(r.From) || !e.Created.Before(r.To) {
					continue
				}
				k := e.Created.Truncate(q.TimeAggregate).Format(time.RFC3339) + "|" + key(e)
				w := want[k]
				if w == nil {
					w = &row{first: e.Created, last: e.Created}
					want[k] = w
				}
				w.n++
				if e.Created.Before(w.first) {
					w.first = e.Created
				}
				if e.Created.After(w.last) {
					w.last = e.Created
				}
			}
			res, err := events.engine().Run(context.Background(), q, r)
			if err != nil {
				t.Fatal(err)
			}
			g := res.Grouped
			if len(g.Rows) != len(want) || len(want) == 0 {
				t.Fatalf("%s/%s: unexpected rows; got %d; want %d", lt, agg, len(g.Rows), len(want))
			}
			for _, gr := range g.Rows {
				k := gr.WindowStart.Format(time.RFC3339) + "|" + strings.Join(gr.KeyValues, "|")
				w := want[k]
				if w == nil || w.n != gr.Count || !w.first.Equal(gr.First) || !w.last.Equal(gr.Last) {
					t.Fatalf("%s/%s: unexpected row %q: %+v; want %+v", lt, agg, k, gr, w)
				}
			}
			for i := 1; i < len(g.Rows); i++ {
				if g.Rows[i].Last.After(g.Rows[i-1].Last) {
					t.Fatalf("%s/%s: rows are not latest first at %d", lt, agg, i)
				}
			}
		}
	}
}

func TestGroupedInteractiveIsOneRowPerSignIn(t *testing.T) {
	day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, day, day.Add(24*time.Hour))
	q, _ := Parse([]byte(`{"logType":"interactive","format":"grouped","limit":10000}`))
	res, err := events.engine().Run(context.Background(), q, Range{From: day, To: day.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	var want int
	for i := range events {
		if events[i].LogType == signin.Interactive {
			want++
		}
	}
	if len(res.Grouped.Rows) != want {
		t.Fatalf("unexpected rows; got %d; want %d", len(res.Grouped.Rows), want)
	}
	for _, r := range res.Grouped.Rows {
		if r.Count != 1 {
			t.Fatalf("unexpected count %d in an interactive row", r.Count)
		}
	}
}

func TestLogsNewestFirstAndLimited(t *testing.T) {
	day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, day, day.Add(24*time.Hour))
	q, _ := Parse([]byte(`{"logType":"all","format":"logs","limit":50,"filters":[{"key":"status","op":"=","value":"failure"}]}`))
	r := Range{From: day, To: day.Add(24 * time.Hour)}
	res, err := events.engine().Run(context.Background(), q, r)
	if err != nil {
		t.Fatal(err)
	}
	var failures []signin.Event
	for _, e := range events {
		if e.Outcome() == signin.Failure {
			failures = append(failures, e)
		}
	}
	sortNewestFirst(failures)
	if res.Logs.Matched != len(failures) || len(res.Logs.Events) != 50 || len(res.Notices) != 1 {
		t.Fatalf("unexpected logs: matched %d of %d, %d lines, notices %v", res.Logs.Matched, len(failures), len(res.Logs.Events), res.Notices)
	}
	for i, e := range res.Logs.Events {
		if e.ID != failures[i].ID || !e.Created.Equal(failures[i].Created) || e.AppDisplayName != failures[i].AppDisplayName {
			t.Fatalf("unexpected line %d; got %s %s; want %s %s", i, e.ID, e.Created, failures[i].ID, failures[i].Created)
		}
	}
}

func sortNewestFirst(es []signin.Event) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && newer(es[j], es[j-1]); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func newer(a, b signin.Event) bool {
	if !a.Created.Equal(b.Created) {
		return a.Created.After(b.Created)
	}
	return a.ID > b.ID
}

func TestValues(t *testing.T) {
	day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, day, day.Add(24*time.Hour))
	q, _ := Parse([]byte(`{"logType":"all","format":"table","limit":1000}`))
	res, err := events.engine().Values(context.Background(), q, Range{From: day, To: day.Add(24 * time.Hour)}, signin.DimApp, "")
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[string]int64)
	for _, e := range events {
		if e.AppDisplayName != "" {
			want[e.AppDisplayName]++
		}
	}
	if len(res.Values) != len(want) {
		t.Fatalf("unexpected values; got %d; want %d", len(res.Values), len(want))
	}
	for i, v := range res.Values {
		if want[v.Value] != v.Count || (i > 0 && v.Count > res.Values[i-1].Count) {
			t.Fatalf("unexpected value %d: %+v; want count %d, most frequent first", i, v, want[v.Value])
		}
	}
}
