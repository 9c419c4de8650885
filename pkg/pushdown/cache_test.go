package pushdown

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func parse(t *testing.T, raw map[string]any) query.Query {
	t.Helper()
	js, _ := json.Marshal(raw)
	q, err := query.Parse(js)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// TestRefreshAsksOnlyTheOpenDay: a range of several days reaching now, from
// a midnight (Grafana's now-3d/d), asks each settled day once; the refresh
// asks only for the part not settled.
// A distinct count asks for the whole range each time.
func TestRefreshAsksOnlyTheOpenDay(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	now := time.Now().UTC()
	rng := query.Range{From: now.Truncate(24 * time.Hour).Add(-3 * 24 * time.Hour), To: now, Interval: time.Hour}
	counted := &countingWorkspace{next: ws.client}
	r := &Runner{Workspace: counted, Cache: NewL1(32 << 20), Settle: time.Hour}
	q := parse(t, map[string]any{"logType": "interactive", "metric": "failureRate", "groupBy": []string{"app"}, "timeAggregate": "1h"})
	if _, err := ws.engine.Counted(context.Background(), q, rng, r); err != nil {
		t.Fatal(err)
	}
	first := counted.asked.Load()
	if first < 3 {
		t.Fatalf("%d queries for a first answer over 4 days; want the settled days one by one and the rest", first)
	}
	counted.spans = nil
	if _, err := ws.engine.Counted(context.Background(), q, rng, r); err != nil {
		t.Fatal(err)
	}
	if got := counted.asked.Load() - first; got != 1 || counted.spans[0] > 25*time.Hour {
		t.Fatalf("the refresh asked %d queries spanning %v; want one, for the part not settled", got, counted.spans)
	}
	distinct := parse(t, map[string]any{"logType": "interactive", "metric": "distinctUsers", "timeAggregate": "1h"})
	for range 2 {
		counted.spans = nil
		if _, err := ws.engine.Counted(context.Background(), distinct, rng, r); err != nil {
			t.Fatal(err)
		}
		if len(counted.spans) != 1 || counted.spans[0] != rng.To.Sub(rng.From) {
			t.Fatalf("distinct count asked %v; want the whole range once", counted.spans)
		}
	}
}

// TestCachedDaysAreExact: over settled days, answers from the cache (a
// second time) equal the engine's, including one day's value damaged.
func TestCachedDaysAreExact(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	rng := query.Range{From: from.Add(-2*24*time.Hour + 30*time.Minute), To: to, Interval: time.Hour}
	cache := NewL1(32 << 20)
	counted := &countingWorkspace{next: ws.client}
	r := &Runner{Workspace: counted, Cache: cache, Settle: time.Hour}
	for _, raw := range []map[string]any{
		{"logType": "interactive", "format": "table", "metric": "failures", "groupBy": []string{"app", "status"}, "limit": 3},
		{"logType": "nonInteractive", "metric": "successRate", "groupBy": []string{"clientApp"}, "timeAggregate": "6h"},
		{"logType": "interactive", "metric": "count", "timeAggregate": "auto"},
	} {
		q := parse(t, raw)
		want, err := ws.engine.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatal(err)
		}
		for pass := range 3 {
			if pass == 2 { // a damaged value reads as a miss
				p := plan(t, q, rng)
				cache.Set(dayKey(p.Shape(), from), []byte(`{"shape":"x","columns":["SignIns"],"rows":[[1]]}`))
			}
			before := counted.asked.Load()
			got, err := ws.engine.Counted(context.Background(), q, rng, r)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d != "" {
				t.Fatalf("%v pass %d: %s", raw, pass, d)
			}
			if asked := counted.asked.Load() - before; pass == 1 && asked != 1 || pass == 2 && asked != 2 { // the leading part day, and the damaged day
				t.Fatalf("%v pass %d asked %d queries", raw, pass, asked)
			}
		}
	}
}

// TestFailureDoesNotPoisonTheCache: a failed or malformed answer caches
// nothing; the next answer asks again and is exact.
func TestFailureDoesNotPoisonTheCache(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	rng := query.Range{From: from, To: to, Interval: time.Hour}
	q := parse(t, map[string]any{"logType": "interactive", "format": "table", "metric": "count", "groupBy": []string{"status"}})
	cache := NewL1(32 << 20)
	counted := &countingWorkspace{next: ws.client, fail: loganalytics.ErrUnavailable}
	r := &Runner{Workspace: counted, Cache: cache, Settle: time.Hour}
	if _, err := ws.engine.Counted(context.Background(), q, rng, r); !errors.Is(err, loganalytics.ErrUnavailable) {
		t.Fatalf("err %v", err)
	}
	r.Workspace = badAnswer{}
	if _, err := ws.engine.Counted(context.Background(), q, rng, r); !errors.Is(err, loganalytics.ErrBadAnswer) {
		t.Fatalf("err %v", err)
	}
	p := plan(t, q, rng)
	if _, ok := cache.Get(dayKey(p.Shape(), from)); ok {
		t.Fatal("a failed answer was cached")
	}
	counted.fail, r.Workspace = nil, counted
	want, _ := ws.engine.Run(context.Background(), q, rng)
	got, err := ws.engine.Counted(context.Background(), q, rng, r)
	if err != nil || diff(want, got) != "" {
		t.Fatalf("after the failures: %v %s", err, diff(want, got))
	}
}

// badAnswer answers a table without the columns asked for.
type badAnswer struct{}

func (badAnswer) Aggregate(context.Context, signin.LogType, string, time.Time, time.Time) (loganalytics.Answer, error) {
	return loganalytics.Answer{Columns: []string{"Nope"}, Rows: [][]any{{"x"}}}, nil
}

// TestRowLimitFallsBackToTheStore: an answer the workspace cuts at its row
// limit is never a partial answer: the push-down refuses it naming the
// limit, and a routed engine answers the query from the store instead,
// saying why.
func TestRowLimitFallsBackToTheStore(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{MaxRows: 5})
	from, to := testclock.Workday(t)
	rng := query.Range{From: from, To: to}
	runner := &Runner{Workspace: ws.client}
	for _, raw := range []map[string]any{
		{"logType": "interactive", "format": "table", "metric": "distinctUsers", "groupBy": []string{"app"}},
		{"logType": "interactive", "format": "table", "metric": "count", "filters": []map[string]any{{"key": "user", "op": "=~", "value": "[a-m].*"}}},
	} {
		q := parse(t, raw)
		_, err := ws.engine.Counted(context.Background(), q, rng, runner)
		if !errors.Is(err, loganalytics.ErrRowLimit) || !errors.Is(err, ErrNotPushable) || !strings.Contains(err.Error(), "500,000 rows") {
			t.Fatalf("%v: err %v; want ErrNotPushable and ErrRowLimit naming the limit", raw, err)
		}
		want, err := ws.engine.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatal(err)
		}
		routed := query.New(ws.store, query.WithRouting(query.Routing{Counter: runner, Where: "the workspace", Explain: true}))
		got, err := routed.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatalf("%v: routed: %v", raw, err)
		}
		if d := diff(want, got); d != "" || !strings.Contains(strings.Join(got.Notices, "\n"), "not in the workspace: ") {
			t.Fatalf("%v: %s; notices %q; want the store's answer and why", raw, d, got.Notices)
		}
	}
}

// slowWorkspace holds each query a moment, so that queries asked together
// are seen in flight together.
type slowWorkspace struct{ next Workspace }

func (s slowWorkspace) Aggregate(ctx context.Context, t signin.LogType, kql string, from, to time.Time) (loganalytics.Answer, error) {
	time.Sleep(30 * time.Millisecond)
	return s.next.Aggregate(ctx, t, kql, from, to)
}

// TestFirstLoadAsksSettledDaysTogether: a first load asks its settled days
// several at a time, never more than dayConcurrency, and answers as the
// engine does.
func TestFirstLoadAsksSettledDaysTogether(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	_, to := testclock.Workday(t)
	rng := query.Range{From: to.Add(-10*24*time.Hour + 30*time.Minute), To: to, Interval: time.Hour}
	counted := &countingWorkspace{next: slowWorkspace{next: ws.client}}
	r := &Runner{Workspace: counted, Cache: NewL1(32 << 20), Settle: time.Hour}
	q := parse(t, map[string]any{"logType": "nonInteractive", "format": "table", "metric": "failures", "groupBy": []string{"app"}})
	got, err := ws.engine.Counted(context.Background(), q, rng, r)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ws.engine.Run(context.Background(), q, rng)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := tableRows(got), tableRows(want); g != w {
		t.Fatalf("pushed-down answer\n%s\nwant the engine's\n%s", g, w)
	}
	if n, most := counted.asked.Load(), counted.most.Load(); n != 10 || most < 2 || most > dayConcurrency {
		t.Fatalf("%d queries, at most %d in flight; want 9 settled days and the part-day before them, up to %d at once", n, most, dayConcurrency)
	}
}

func tableRows(r query.Result) string {
	if r.Table == nil {
		return "no table"
	}
	var b strings.Builder
	for _, row := range r.Table.Rows {
		b.WriteString(strings.Join(row.Labels, "|"))
		b.WriteString("=")
		b.WriteString(strconv.FormatFloat(row.Value, 'g', -1, 64))
		b.WriteString("\n")
	}
	return b.String()
}
