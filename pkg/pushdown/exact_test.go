package pushdown

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// TestExactAgainstEngine: on one simulated tenant, every metric in both
// aggregating formats, with several groupBy combinations, filters (hostile
// values among them) and limits that fold groups into "other", answers in
// the workspace exactly what the store and the engine answer. Over several
// log types and the workload tables: TestExactAcrossLogTypes.
func TestExactAgainstEngine(t *testing.T) {
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	from, to := testclock.Workday(t)
	r := query.Range{From: from, To: to, Interval: time.Hour}
	metrics := []string{"count", "successes", "failures", "interrupts", "failureRate", "successRate", "distinctUsers", "distinctApps", "distinctIPs", "distinctResources"}
	groupBys := [][]string{nil, {"app"}, {"status", "clientApp"}, {"legacyAuth", "userType", "errorCode"}}
	hostile := []string{`a"b`, `back\slash\`, "new\nline", `" or 1==1 | take 10 //`, `') | project Id; SigninLogs | where "`, "where summarize by", "\t\r\x00é"}
	filters := []any{
		nil,
		[]map[string]any{{"key": "status", "op": "=", "value": "failure"}},
		[]map[string]any{{"key": "app", "op": "!=", "value": "Microsoft Teams"}, {"key": "legacyAuth", "op": "=", "value": "false"}},
		[]map[string]any{{"key": "user", "op": "startsWith", "value": "a"}, {"key": "browser", "op": "=~", "value": ".*"}}, // Grafana's All: no filter
	}
	// "in" lists (an item holding a comma, Grafana's "{a,b}" form, "(empty)")
	// and regular expressions (anchored RE2, "(empty)" selecting the empty
	// value, !~) on plain and derived dimensions.
	filters = append(filters,
		[]map[string]any{{"key": "app", "op": "in", "value": []string{"Microsoft Teams", "Office 365 Exchange Online", "a, b", "(empty)"}}},
		[]map[string]any{{"key": "app", "op": "in", "value": "{Microsoft Teams,Microsoft Teams Web Client}"}, {"key": "status", "op": "in", "value": []string{"failure", "interrupted"}}},
		[]map[string]any{{"key": "errorCode", "op": "in", "value": "50126,50074,0"}, {"key": "userType", "op": "in", "value": []string{"member"}}},
		[]map[string]any{{"key": "app", "op": "=~", "value": "Microsoft.*|Office 365 .*Online"}, {"key": "user", "op": "!~", "value": "[a-f].*"}},
		[]map[string]any{{"key": "resource", "op": "=~", "value": `\(empty\)|Microsoft Graph`}, {"key": "status", "op": "!~", "value": "succ.*"}},
		[]map[string]any{{"key": "clientApp", "op": "!~", "value": "Browser"}, {"key": "legacyAuth", "op": "=~", "value": "f.*"}},
	)
	for _, h := range hostile {
		filters = append(filters, []map[string]any{{"key": "user", "op": "!=", "value": h}}, []map[string]any{{"key": "app", "op": "=", "value": h}},
			[]map[string]any{{"key": "ipAddress", "op": "startsWith", "value": h}})
	}
	n := 0
	for _, lt := range []string{"nonInteractive"} { // the other user table, once per metric and format
		for _, format := range []string{"timeSeries", "table"} {
			for _, metric := range metrics {
				compare(t, ws, map[string]any{"logType": lt, "format": format, "metric": metric, "groupBy": []string{"status", "app"}, "limit": 4, "timeAggregate": "6h"}, r)
				n++
			}
		}
	}
	for _, format := range []string{"timeSeries", "table"} {
		for _, metric := range metrics {
			for gi, groupBy := range groupBys {
				for fi, f := range filters {
					if fi > 9 && (gi != 1 || metric != "count" && metric != "distinctUsers") {
						continue // the hostile values once per format and two metrics
					}
					for _, limit := range []int{0, 3} {
						raw := map[string]any{"logType": "interactive", "format": format, "metric": metric, "groupBy": groupBy, "filters": f, "timeAggregate": "1h"}
						if limit > 0 {
							raw["limit"] = limit
						}
						compare(t, ws, raw, r)
						n++
					}
				}
			}
		}
	}
	t.Logf("%d queries answered alike", n)
}

// compare answers one query both ways and fails on any difference.
func compare(t *testing.T, ws *simWorkspace, raw map[string]any, r query.Range) {
	t.Helper()
	js, _ := json.Marshal(raw)
	q, err := query.Parse(js)
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	want, err := ws.engine.Run(context.Background(), q, r)
	if err != nil {
		t.Fatalf("%s: engine: %v", js, err)
	}
	got, err := ws.engine.Counted(context.Background(), q, r, &Runner{Workspace: ws.client})
	if err != nil {
		t.Fatalf("%s: push-down: %v", js, err)
	}
	if d := diff(want, got); d != "" {
		t.Fatalf("%s: %s", js, d)
	}
}

// diff describes the first difference between the engine's answer and the
// push-down's; "" when they are the same.
func diff(want, got query.Result) string {
	if len(want.Series) != len(got.Series) {
		return fmt.Sprintf("%d series; the engine has %d", len(got.Series), len(want.Series))
	}
	for i := range want.Series {
		w, g := want.Series[i], got.Series[i]
		if w.Name != g.Name || !maps.Equal(w.Labels, g.Labels) || !slices.EqualFunc(w.Times, g.Times, time.Time.Equal) || !slices.Equal(w.Values, g.Values) {
			return fmt.Sprintf("series %d: %v %v\n%v; the engine has %v %v\n%v", i, g.Name, g.Labels, g.Values, w.Name, w.Labels, w.Values)
		}
	}
	if (want.Table == nil) != (got.Table == nil) {
		return "a table on one side only"
	}
	if want.Table == nil {
		return ""
	}
	if !slices.Equal(want.Table.Columns, got.Table.Columns) || len(want.Table.Rows) != len(got.Table.Rows) {
		return fmt.Sprintf("table %v with %d rows; the engine has %v with %d", got.Table.Columns, len(got.Table.Rows), want.Table.Columns, len(want.Table.Rows))
	}
	for i, w := range want.Table.Rows {
		if g := got.Table.Rows[i]; !slices.Equal(w.Labels, g.Labels) || w.Value != g.Value {
			return fmt.Sprintf("row %d: %v %v; the engine has %v %v", i, g.Labels, g.Value, w.Labels, w.Value)
		}
	}
	return ""
}
