package pushdown

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// TestExactAcrossLogTypes: every metric in both formats, over every log
// type ("all"), a list of them (logType "all" with a logType filter, as the
// dashboards ask), and each workload table alone, grouped by dimensions the
// workload tables lack (read empty) or read elsewhere (app from
// ServicePrincipalName), with filters that exclude whole tables, answers in
// the workspace exactly what the store and the engine answer.
func TestExactAcrossLogTypes(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	r := query.Range{From: from, To: to, Interval: time.Hour}
	metrics := []string{"count", "successes", "failures", "interrupts", "failureRate", "successRate", "distinctUsers", "distinctApps", "distinctIPs", "distinctResources"}
	types := []struct {
		logType string
		filter  map[string]any // the log-type list, nil for none
	}{
		{"all", nil},
		{"all", map[string]any{"key": "logType", "op": "in", "value": "interactive,servicePrincipal"}},
		{"all", map[string]any{"key": "logType", "op": "in", "value": []string{"servicePrincipal", "managedIdentity"}}},
		{"all", map[string]any{"key": "logType", "op": "!=", "value": "nonInteractive"}},
		{"servicePrincipal", nil},
		{"managedIdentity", nil},
	}
	groupBys := [][]string{nil, {"logType", "app"}, {"status", "clientApp"}, {"user"}, {"logType", "servicePrincipal", "resource"}, {"legacyAuth", "userType", "errorCode"}}
	filters := [][]map[string]any{
		nil,
		{{"key": "user", "op": "!=", "value": ""}},                                                   // excludes the workload tables
		{{"key": "app", "op": "=~", "value": "Microsoft.*|.*-sp-.*|.*"}},                             // a regex on app: the workload tables' ServicePrincipalName
		{{"key": "clientApp", "op": "in", "value": []string{"Browser", "(empty)"}}},                  // the workload tables' empty value is kept
		{{"key": "status", "op": "=", "value": "failure"}, {"key": "app", "op": "!=", "value": "x"}}, // a derived and a plain filter
	}
	requireEveryTable(t, ws, r)
	n := 0
	for ti, lt := range types {
		for _, format := range []string{"timeSeries", "table"} {
			for _, metric := range metrics {
				for gi, groupBy := range groupBys {
					for fi, f := range filters {
						// Every metric grouped by log type and app, and
						// ungrouped with a derived and a plain filter; every
						// grouping with every filter for two metrics over
						// three of the log-type sets.
						sweep := (metric == "count" || metric == "distinctUsers") && (ti == 0 || ti == 2 || ti == 4)
						if !sweep && !(gi == 1 && fi == 0) && !(gi == 0 && fi == 4) {
							continue
						}
						fs := slices.Clone(f)
						if lt.filter != nil {
							fs = append(fs, lt.filter)
						}
						raw := map[string]any{"logType": lt.logType, "format": format, "metric": metric, "groupBy": groupBy, "filters": fs, "timeAggregate": "6h", "limit": 4}
						compare(t, ws, raw, r)
						n++
					}
				}
			}
		}
	}
	t.Logf("%d queries across log types answered alike", n)
}

// requireEveryTable fails unless every table has sign-ins on the test's
// day: equality with the engine over an empty table would prove nothing.
func requireEveryTable(t *testing.T, ws *simWorkspace, r query.Range) {
	t.Helper()
	q := parse(t, map[string]any{"logType": "all", "format": "table", "metric": "count", "groupBy": []string{"logType"}})
	got, err := ws.engine.Counted(context.Background(), q, r, &Runner{Workspace: ws.client})
	if err != nil {
		t.Fatal(err)
	}
	if rows := got.Table.Rows; len(rows) != 4 || slices.ContainsFunc(rows, func(row query.TableRow) bool { return row.Value == 0 }) {
		t.Fatalf("sign-ins by log type %v; want every table's", rows)
	}
}

// TestDistinctAcrossTables: a user who signed in interactively and
// non-interactively counts once over both tables — the tables' rows are
// merged before the keys are counted — and the test's tenant has such
// users, so the equality with the engine is not trivial.
func TestDistinctAcrossTables(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	r := query.Range{From: from, To: to, Interval: time.Hour}
	value := func(raw map[string]any) float64 {
		q := parse(t, raw)
		got, err := ws.engine.Counted(context.Background(), q, r, &Runner{Workspace: ws.client})
		if err != nil {
			t.Fatal(err)
		}
		want, err := ws.engine.Run(context.Background(), q, r)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(want, got); d != "" {
			js, _ := json.Marshal(raw)
			t.Fatalf("%s: %s", js, d)
		}
		return got.Table.Rows[0].Value
	}
	one := func(lt string) float64 {
		return value(map[string]any{"logType": lt, "format": "table", "metric": "distinctUsers"})
	}
	both := value(map[string]any{"logType": "all", "format": "table", "metric": "distinctUsers",
		"filters": []map[string]any{{"key": "logType", "op": "in", "value": "interactive,nonInteractive"}}})
	all := value(map[string]any{"logType": "all", "format": "table", "metric": "distinctUsers"})
	i, ni := one("interactive"), one("nonInteractive")
	if !(both < i+ni && both >= max(i, ni) && all == both) {
		t.Fatalf("distinct users: interactive %v, nonInteractive %v, both %v, all %v; want both below the sum (users in both tables), all = both (no users in the workload tables)", i, ni, both, all)
	}
}

// TestSkippedTables: a table the filters exclude whatever its rows hold is
// not asked — a logType filter, or "user != ”" on the workload tables, which
// have no user column.
func TestSkippedTables(t *testing.T) {
	r := query.Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	for want, raw := range map[string]map[string]any{
		"interactive,servicePrincipal": {"logType": "all", "filters": []map[string]any{{"key": "logType", "op": "in", "value": "interactive,servicePrincipal"}}},
		"interactive,nonInteractive":   {"logType": "all", "filters": []map[string]any{{"key": "user", "op": "!=", "value": ""}}},
		// The user tables have these columns: their rows decide, in the answer.
		"interactive,nonInteractive,servicePrincipal,managedIdentity": {"logType": "all", "groupBy": []string{"clientApp"},
			"filters": []map[string]any{{"key": "userType", "op": "in", "value": "(empty)"}, {"key": "clientApp", "op": "=~", "value": `\(empty\)`}}},
		// Nothing is asked: the answer is the engine's empty one.
		"": {"logType": "all", "filters": []map[string]any{{"key": "logType", "op": "=", "value": "managedIdentity"}, {"key": "clientApp", "op": "=", "value": "Browser"}}},
	} {
		ps, err := Translate(parse(t, raw), r)
		if err != nil {
			t.Fatal(err)
		}
		var asked []string
		for _, p := range ps {
			if !p.Skip {
				asked = append(asked, p.LogType.String())
			}
		}
		if got := strings.Join(asked, ","); got != want {
			t.Errorf("%v asks %s; want %s", raw, got, want)
		}
	}
}

// TestWorkloadKQL pins a workload table's query: the app is read from
// ServicePrincipalName, and columns the table lacks are never named.
func TestWorkloadKQL(t *testing.T) {
	q := parse(t, map[string]any{"logType": "servicePrincipal", "format": "table", "metric": "distinctApps", "groupBy": []string{"user", "clientApp", "resource"},
		"filters": []map[string]any{{"key": "app", "op": "!=", "value": "Teams"}, {"key": "userType", "op": "=", "value": ""}}})
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	p := plan(t, q, query.Range{From: from, To: from.Add(24 * time.Hour)})
	want := `AADServicePrincipalSignInLogs
| where CreatedDateTime >= datetime(2026-03-01T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T00:00:00Z)
| summarize arg_max(TimeGenerated, *) by Id
| where ServicePrincipalName != "Teams"
| summarize SignIns = count() by AppId, ResourceDisplayName, ServicePrincipalName`
	if got := p.KQL(p.From, p.To); got != want {
		t.Fatalf("KQL\n%s\nwant\n%s", got, want)
	}
}

// TestTableColumns: the columns the push-down asks of each table are the
// simulated workspace's (which follows Microsoft's table reference), and a
// column it takes as missing is missing there: grouping a table by each
// column the push-down knows is answered where the table has it, refused
// where not.
func TestTableColumns(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	known := map[string]bool{}
	for _, c := range dimensionColumns {
		if c.name != "" {
			known[c.name] = true
		}
	}
	for _, cs := range metricColumns {
		for _, c := range cs {
			known[c] = true
		}
	}
	for lt, table := range tables {
		for name := range known {
			has := !isWorkload(lt) || workloadColumns[name]
			kql := (&Plan{LogType: lt, Columns: []string{name}}).KQL(from, to)
			_, err := ws.client.Aggregate(context.Background(), lt, kql, from, to)
			switch {
			case has && err != nil:
				t.Errorf("%s: %s: %v", table, name, err)
			case !has && !(errors.Is(err, loganalytics.ErrBadRequest) && strings.Contains(err.Error(), name)):
				t.Errorf("%s has %s, which the push-down takes as missing (err %v)", table, name, err)
			}
		}
	}
}

// TestCachedDaysPerTable: a query over several log types caches each
// table's settled days under its own query; asked again, it asks each table
// only for the part day before the first midnight, and the answer is the
// engine's. A query over another set of the same tables reads their days
// from the cache too.
func TestCachedDaysPerTable(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	rng := query.Range{From: from.Add(-2*24*time.Hour + 30*time.Minute), To: to, Interval: time.Hour}
	counted := &countingWorkspace{next: ws.client}
	r := &Runner{Workspace: counted, Cache: NewL1(32 << 20), Settle: time.Hour}
	raws := []map[string]any{
		{"logType": "all", "format": "table", "metric": "failures", "groupBy": []string{"logType", "app"}, "limit": 5,
			"filters": []map[string]any{{"key": "logType", "op": "in", "value": "interactive,servicePrincipal,managedIdentity"}}},
		{"logType": "all", "format": "table", "metric": "failures", "groupBy": []string{"logType", "app"}, "limit": 5,
			"filters": []map[string]any{{"key": "logType", "op": "in", "value": "servicePrincipal,managedIdentity"}}},
	}
	for i, raw := range raws {
		q := parse(t, raw)
		want, err := ws.engine.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatal(err)
		}
		for pass := range 2 {
			before := counted.asked.Load()
			got, err := ws.engine.Counted(context.Background(), q, rng, r)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d != "" {
				t.Fatalf("%v pass %d: %s", raw, pass, d)
			}
			// Three tables asked: each for its leading part day, and on the
			// first pass of the first query for its two whole days too.
			wantAsked := int64(3)
			if i == 1 {
				wantAsked = 2
			} else if pass == 0 {
				wantAsked = 3 * 3
			}
			if asked := counted.asked.Load() - before; asked != wantAsked {
				t.Fatalf("%v pass %d asked %d queries; want %d", raw, pass, asked, wantAsked)
			}
		}
	}
}

// missingAsEmpty lists as the client does, but a table the workspace does
// not have is a log type with no sign-ins: what the plugin's source does
// for the store.
type missingAsEmpty struct{ *loganalytics.Client }

func (m missingAsEmpty) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if err := m.Client.ListSignIns(ctx, t, from, to, fn); !errors.Is(err, loganalytics.ErrTableNotFound) {
		return err
	}
	return nil
}

// TestMissingTable: a workspace without the managed-identity table (its
// category not routed) answers a query over every log type as the store
// does — that log type has no sign-ins — and Runner.Seen hears which table
// is missing and which answered, for the plugin's notice.
func TestMissingTable(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{Tables: graphsim.WorkspaceTables[:3]})
	st := store.New(missingAsEmpty{ws.client}, store.Config{L1Bytes: 64 << 20, TimeBudget: 5 * time.Minute})
	t.Cleanup(func() { st.Close() })
	engine := query.New(st)
	from, to := testclock.Workday(t)
	r := query.Range{From: from.Add(-24*time.Hour + 30*time.Minute), To: to, Interval: time.Hour}
	seen := map[signin.LogType]string{}
	runner := &Runner{Workspace: ws.client, Cache: NewL1(32 << 20), Settle: time.Hour, Seen: func(lt signin.LogType, m *loganalytics.TableNotFoundError) {
		seen[lt] = "answered"
		if m != nil {
			seen[lt] = m.Table
		}
	}}
	for _, raw := range []map[string]any{
		{"logType": "all", "format": "table", "metric": "count", "groupBy": []string{"logType", "app"}, "limit": 10},
		{"logType": "all", "format": "timeSeries", "metric": "distinctApps", "groupBy": []string{"logType"}, "timeAggregate": "6h"},
		{"logType": "managedIdentity", "format": "table", "metric": "failures"},
	} {
		q := parse(t, raw)
		want, err := engine.Run(context.Background(), q, r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := engine.Counted(context.Background(), q, r, runner)
		if err != nil {
			t.Fatalf("%v: %v", raw, err)
		}
		if d := diff(want, got); d != "" {
			t.Fatalf("%v: %s", raw, d)
		}
	}
	want := map[signin.LogType]string{signin.Interactive: "answered", signin.NonInteractive: "answered", signin.ServicePrincipal: "answered",
		signin.ManagedIdentity: "AADManagedIdentitySignInLogs"}
	if !maps.Equal(seen, want) {
		t.Fatalf("seen %v; want %v", seen, want)
	}
}

// TestNothingAsked: filters that exclude every table ask nothing, and the
// answer is the engine's over the sign-ins it filters out: no groups, or
// one zero row or series without groupBy.
func TestNothingAsked(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	r := query.Range{From: from, To: to, Interval: time.Hour}
	none := []map[string]any{{"key": "logType", "op": "=", "value": "managedIdentity"}, {"key": "clientApp", "op": "=", "value": "Browser"}}
	for _, format := range []string{"timeSeries", "table"} {
		for _, groupBy := range [][]string{nil, {"app"}} {
			compare(t, ws, map[string]any{"logType": "all", "format": format, "metric": "failureRate", "groupBy": groupBy, "filters": none, "timeAggregate": "6h"}, r)
		}
	}
}
