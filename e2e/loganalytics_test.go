package e2e

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// The Log Analytics tests read the same synthetic tenant through the
// simulated workspace: the demo with demoApi logAnalytics, and "logAnalytics"
// datasources pointed at a simulator the test starts (so faults can be
// injected). The ground truth stays `graphsim export`, and every answer must
// equal the answer through Microsoft Graph.

const simWorkspaceID = "3f6e1c2a-9b7d-4e5f-8a1b-2c3d4e5f6a7b"

// workspaceDatasource is a "logAnalytics" datasource of the simulator at base.
func workspaceDatasource(uid, base string, caPEM []byte) plugintest.Datasource {
	return plugintest.Datasource{UID: uid, Secure: map[string]string{"clientSecret": simSecret, "tlsCACert": string(caPEM)},
		JSONData: map[string]any{"source": "logAnalytics", "workspaceId": simWorkspaceID, "tenantId": simTenantID,
			"clientId": simClientID, "authType": "clientSecret", "logAnalyticsEndpoint": base, "authorityHost": base,
			"throttleRequests": 10000, "throttleWindowSeconds": 1}}
}

// normalised is a response's frames as JSON, with the datasource's uid
// (which links carry) replaced, so two datasources' answers compare.
func normalised(t *testing.T, dr backend.DataResponse, uid string) string {
	t.Helper()
	if dr.Error != nil {
		t.Fatalf("%s: %v", uid, dr.Error)
	}
	b, err := json.Marshal(dr.Frames)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), uid, "<uid>")
}

// TestLogAnalyticsAnswersAsGraph: for every format — series with a time
// aggregate and groups, tables, the portal's grouped view of each grouped log
// type at 1h, 6h and 24h, log lines, variables — the demo tenant read through
// its workspace answers exactly what it answers through Microsoft Graph, over
// closed days.
func TestLogAnalyticsAnswersAsGraph(t *testing.T) {
	h := launch(t)
	viaGraph := plugintest.Datasource{UID: "same-graph", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}
	viaLA := plugintest.Datasource{UID: "same-la", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small", "demoApi": "logAnalytics"}}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-3 * 24 * time.Hour)
	queries := []map[string]any{
		{"logType": "all", "metric": "count", "groupBy": []string{"logType", "status"}, "timeAggregate": "1h"},
		{"logType": "interactive", "metric": "failures", "groupBy": []string{"app"}, "timeAggregate": "6h", "limit": 50},
		{"logType": "nonInteractive", "format": "table", "metric": "distinctUsers", "groupBy": []string{"app", "os"}, "limit": 1000},
		{"logType": "servicePrincipal", "format": "table", "metric": "failureRate", "groupBy": []string{"servicePrincipal", "credentialType"}},
		{"logType": "managedIdentity", "format": "table", "metric": "count", "groupBy": []string{"msiType", "associatedResource", "resource"}, "limit": 1000},
		{"logType": "interactive", "format": "logs", "limit": 300, "filters": []map[string]string{{"key": "status", "op": "!=", "value": "success"}}},
		{"queryType": "variable", "key": "country", "logType": "all"},
		{"logType": "interactive", "format": "grouped", "limit": 200},
	}
	for _, lt := range []string{"nonInteractive", "servicePrincipal", "managedIdentity"} {
		for _, agg := range []string{"1h", "6h", "24h"} {
			queries = append(queries, map[string]any{"logType": lt, "format": "grouped", "timeAggregate": agg, "limit": 10000})
		}
	}
	for i, q := range queries {
		ask := func(ds plugintest.Datasource) string {
			resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to, Interval: time.Hour, JSON: q}))
			if err != nil {
				t.Fatal(err)
			}
			return normalised(t, resp.Responses["A"], ds.UID)
		}
		graph, la := ask(viaGraph), ask(viaLA)
		if graph != la {
			at := 0
			for at < len(graph) && at < len(la) && graph[at] == la[at] {
				at++
			}
			lo := max(0, at-300)
			t.Fatalf("query %d %v: the answers differ at byte %d: the workspace answers\n…%.600s\nMicrosoft Graph answers\n…%.600s", i, q, at, la[lo:], graph[lo:])
		}
		if len(graph) < 150 {
			t.Fatalf("query %d %v: a near-empty answer proves nothing: %s", i, q, graph)
		}
	}
}

// TestLogAnalyticsFaults: the workspace cuts results at 100 rows, answers
// 504 to the first query and 429 with Retry-After to the next two, and has no managed-identity
// table. Every log type it has still answers exactly (cut results are split,
// never kept partial); the missing one is empty with a notice naming the
// diagnostic-settings category, and the health check says so per table.
func TestLogAnalyticsFaults(t *testing.T) {
	o := graphsim.Options{Credentials: map[string]string{simClientID: simSecret},
		Workspace: graphsim.WorkspaceOptions{MaxRows: 100, Tables: graphsim.WorkspaceTables[:3]}}
	for _, spec := range []string{"504,n=1", "429,n=2,retry-after=1", "429,n=3,retry-after=1"} {
		if err := graphsim.ParseWorkspaceFault(spec, &o.Workspace); err != nil {
			t.Fatal(err)
		}
	}
	srv, base, ca := startSim(t, o)
	h := launch(t)
	ds := workspaceDatasource("la-faults", base, ca)
	from, to := testclock.Workday(t)
	for _, lt := range []string{"interactive", "nonInteractive", "servicePrincipal"} {
		resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to,
			JSON: map[string]any{"logType": lt, "format": "table", "metric": "count"}}))
		if err != nil {
			t.Fatal(err)
		}
		want := float64(len(export(t, 7, "small", lt, from, to)))
		if got := tableTotal(t, resp.Responses["A"]); got != want || want <= 100 {
			t.Fatalf("%s: %v sign-ins; the export has %v (more than one cut result's 100)", lt, got, want)
		}
	}
	resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to,
		JSON: map[string]any{"logType": "managedIdentity", "format": "table", "metric": "count"}}))
	if err != nil {
		t.Fatal(err)
	}
	dr := resp.Responses["A"]
	if got := tableTotal(t, dr); got != 0 || !strings.Contains(fmt.Sprint(dr.Frames[0].Meta.Notices), "ManagedIdentitySignInLogs") {
		t.Fatalf("missing table: %v sign-ins, notices %v; want none and a notice naming the category", got, dr.Frames[0].Meta.Notices)
	}
	health, err := h.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: ds.PluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	if health.Status != backend.HealthStatusOk || !strings.Contains(health.Message, "AADManagedIdentitySignInLogs does not exist") ||
		!strings.Contains(health.Message, "SigninLogs: ") {
		t.Fatalf("health %v: %s", health.Status, health.Message)
	}
	fired := map[int]int{}
	for _, inj := range srv.WorkspaceInjections() {
		fired[inj.Status]++
	}
	t.Logf("faults fired: %v", fired)
	if fired[429] != 2 || fired[504] != 1 {
		t.Fatalf("faults fired %v (by status); want the 504 of the first query and the 429s of the next two", fired)
	}
}

// graphOnlyPanels answer from what only Microsoft Graph carries: through a
// workspace they are empty, as their descriptions say.
var graphOnlyPanels = map[string]string{
	"Risky workload identities": "AADServicePrincipalSignInLogs has no risk columns",
}

// workloadLabelsNotInWorkspace are the labels of a workload sign-in's log line
// that the workspace's AADServicePrincipalSignInLogs and
// AADManagedIdentitySignInLogs have no column for (Microsoft's table
// reference; docs/log-analytics.md, "Columns used"): Graph gives them, a
// workspace leaves them empty. A success's failureReason ("Other." in Graph)
// is Status's there, a column the workload tables lack too.
var workloadLabelsNotInWorkspace = []string{"authRequirement", "tokenIssuerType", "crossTenantAccess", "deviceCompliant", "deviceManaged"}

// asWorkspaceHolds is Graph's log lines as a workspace holds the same
// sign-ins: the workload lines without what their tables lack, their risk
// none (workloadNone in pkg/loganalytics).
func asWorkspaceHolds(t *testing.T, frames data.Frames) {
	t.Helper()
	for _, f := range frames {
		for _, field := range f.Fields {
			if field.Name != "labels" {
				continue
			}
			for row := range field.Len() {
				raw, _ := field.At(row).(json.RawMessage)
				var labels map[string]string
				if err := json.Unmarshal(raw, &labels); err != nil {
					t.Fatalf("labels %s: %v", raw, err)
				}
				if lt := labels["logType"]; lt != "servicePrincipal" && lt != "managedIdentity" {
					continue
				}
				for _, k := range workloadLabelsNotInWorkspace {
					delete(labels, k)
				}
				if labels["errorCode"] == "0" {
					delete(labels, "failureReason")
				}
				for _, k := range []string{"riskLevel", "riskState", "riskDetail", "riskLevelAggregated"} {
					labels[k] = "none"
				}
				delete(labels, "riskEventType")
				out, _ := json.Marshal(labels)
				field.Set(row, json.RawMessage(out))
			}
		}
	}
}

// TestDashboardPanelsThroughLogAnalytics runs every panel of every dashboard
// at dashNow twice — with the demo tenant speaking Microsoft Graph and
// speaking the Log Analytics query API — and requires the same frames, but
// for what a workspace does not carry (graphOnlyPanels, asWorkspaceHolds).
func TestDashboardPanelsThroughLogAnalytics(t *testing.T) {
	viaGraph := dashLaunch(t)
	viaLA := viaGraph
	viaLA.ds = plugintest.Datasource{UID: "dash-small7-la", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small", "demoApi": "logAnalytics"}}
	panels := 0
	for file, d := range dashLoad(t) {
		s := viaGraph.scope(t, d)
		for _, p := range d.flatPanels() {
			if p.Type == "row" {
				continue
			}
			panels++
			name := fmt.Sprintf("%s / %q", file, p.Title)
			graph, la := viaGraph.runPanel(t, d, s, p), viaLA.runPanel(t, d, s, p)
			if why := graphOnlyPanels[p.Title]; why != "" {
				for _, res := range la {
					for _, f := range res.frames {
						if f.Rows() != 0 {
							t.Errorf("%s: %d rows through the workspace; want none (%s)", name, f.Rows(), why)
						}
					}
				}
				continue
			}
			for i := range graph {
				asWorkspaceHolds(t, graph[i].frames)
				gb, _ := json.Marshal(graph[i].frames)
				lb, _ := json.Marshal(la[i].frames)
				if strings.ReplaceAll(string(gb), viaGraph.ds.UID, "<uid>") != strings.ReplaceAll(string(lb), viaLA.ds.UID, "<uid>") {
					t.Fatalf("%s, query %d: the workspace answers differently from Microsoft Graph", name, i)
				}
			}
		}
	}
	t.Logf("%d panels answer alike through both APIs", panels)
}

// TestRepointedWorkspaceIsAskedAgain: one datasource (same uid) sharing a
// memcached, pointed at workspace A, then at workspace B, then at A again,
// each time in a new plugin process (as after a settings change). B is asked
// for its own sign-ins, never served A's cached windows; A again is served
// from memcached without asking.
func TestRepointedWorkspaceIsAskedAgain(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run against memcached")
	}
	srv, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}})
	const a, b = "0a000000-0000-4000-8000-00000000000a", "0b000000-0000-4000-8000-00000000000b"
	from, to := testclock.Workday(t)
	run := func(workspace string) int64 {
		t.Helper()
		h := launch(t)
		defer h.Close()
		ds := workspaceDatasource("repointed", base, ca)
		ds.JSONData["workspaceId"], ds.JSONData["memcachedAddresses"], ds.JSONData["pushDown"] = workspace, addr, "never"
		before := srv.Stats().WorkspaceQueries[workspace]
		resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to,
			JSON: map[string]any{"logType": "servicePrincipal", "format": "table", "metric": "count"}}))
		if err != nil {
			t.Fatal(err)
		}
		if want := float64(len(export(t, 7, "small", "servicePrincipal", from, to))); tableTotal(t, resp.Responses["A"]) != want {
			t.Fatalf("workspace %s: %v sign-ins; want %v", workspace, tableTotal(t, resp.Responses["A"]), want)
		}
		return srv.Stats().WorkspaceQueries[workspace] - before
	}
	if n := run(a); n == 0 {
		t.Fatal("workspace A was not asked: the day was not cold")
	}
	if n := run(b); n == 0 {
		t.Fatal("workspace B was never asked: the datasource served workspace A's cached sign-ins")
	}
	if n := run(a); n != 0 {
		t.Fatalf("workspace A again: %d queries; want 0 (its settled windows are in memcached)", n)
	}
}
