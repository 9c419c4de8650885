package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// The push-down tests run the demo tenant speaking Log Analytics twice in one
// plugin binary: with pushDown always (queries counted in the simulated
// workspace with KQL) and never (the store lists the sign-ins and the engine
// counts them). Every answer must be the same frames, notices aside.

// pushDownDemo is the small demo tenant of seed 7 read through its workspace.
func pushDownDemo(uid, mode string) plugintest.Datasource {
	return plugintest.Datasource{UID: uid, JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small",
		"demoApi": "logAnalytics", "pushDown": mode}}
}

const (
	pushedNotice   = "Computed in the Log Analytics workspace"
	notPushedStart = "answered from the cache of windows, not in the workspace: "
)

// framesApart is the frames as JSON without their notices, with the
// datasource's uid (which links carry) replaced, and the notices' texts.
func framesApart(t *testing.T, frames data.Frames, uid string) (string, []string) {
	t.Helper()
	var notices []string
	bare := make(data.Frames, len(frames))
	for i, f := range frames {
		c := *f
		if f.Meta != nil {
			m := *f.Meta
			for _, n := range m.Notices {
				notices = append(notices, n.Text)
			}
			m.Notices = nil
			c.Meta = &m
		}
		bare[i] = &c
	}
	b, err := json.Marshal(bare)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), uid, "<uid>"), notices
}

// pushDownCompare runs a panel on both datasources and requires the same
// frames; it returns whether each target was pushed down, failing a target
// that says neither that it was nor why not.
func pushDownCompare(t *testing.T, always, never dashRunner, d dashboardJSON, s dashScope, p dashPanel) []bool {
	t.Helper()
	got, want := always.runPanel(t, d, s, p), never.runPanel(t, d, s, p)
	var pushed []bool
	for i := range want {
		g, notices := framesApart(t, got[i].frames, always.ds.UID)
		w, storeNotices := framesApart(t, want[i].frames, never.ds.UID)
		name := fmt.Sprintf("%s / %q, query %d %v", d.UID, p.Title, i, got[i].query)
		if g != w {
			at := 0
			for at < len(g) && at < len(w) && g[at] == w[at] {
				at++
			}
			lo := max(0, at-300)
			t.Fatalf("%s: the answers differ at byte %d: pushDown always answers\n…%.600s\nnever answers\n…%.600s", name, at, g[lo:], w[lo:])
		}
		if slices.ContainsFunc(storeNotices, func(n string) bool { return strings.Contains(n, pushedNotice) }) {
			t.Fatalf("%s: pushDown never says %q", name, pushedNotice)
		}
		isPushed := slices.ContainsFunc(notices, func(n string) bool { return strings.HasPrefix(n, pushedNotice) })
		why := slices.ContainsFunc(notices, func(n string) bool { return strings.HasPrefix(n, notPushedStart) })
		if isPushed == why {
			t.Fatalf("%s: notices %q; want either %q or why it was not pushed down", name, notices, pushedNotice)
		}
		rows := 0
		for _, f := range got[i].frames {
			rows += f.Rows()
		}
		if isPushed && rows == 0 {
			t.Fatalf("%s: pushed down with no rows: an empty answer proves nothing", name)
		}
		pushed = append(pushed, isPushed)
	}
	return pushed
}

// perUserTable is the panel's targets over "all" log types rewritten for one
// user table: the log type set, its filter and grouping dropped — the
// questions a workspace's panels on one table push down.
func perUserTable(p dashPanel, logType string) (dashPanel, bool) {
	out := p
	out.Title = p.Title + " (" + logType + ")"
	out.Targets = nil
	for _, target := range p.Targets {
		if target["logType"] != "all" || !readsTable(target, logType) {
			continue
		}
		q := map[string]any{}
		for k, v := range target {
			q[k] = v
		}
		q["logType"] = logType
		if gb, ok := q["groupBy"].([]any); ok {
			q["groupBy"] = slices.DeleteFunc(slices.Clone(gb), func(k any) bool { return k == "logType" })
		}
		if fs, ok := q["filters"].([]any); ok {
			q["filters"] = slices.DeleteFunc(slices.Clone(fs), func(f any) bool { return f.(map[string]any)["key"] == "logType" })
		}
		out.Targets = append(out.Targets, q)
	}
	return out, len(out.Targets) > 0
}

// readsTable says whether the target's logType filter keeps logType: a panel
// about the service-principal and managed-identity tables has no question
// for a user table. A filter on the $logType variable keeps every type.
func readsTable(target map[string]any, logType string) bool {
	fs, _ := target["filters"].([]any)
	for _, f := range fs {
		fm := f.(map[string]any)
		v, _ := fm["value"].(string)
		if fm["key"] == "logType" && !strings.Contains(v, "$") && !slices.Contains(strings.Split(v, ","), logType) {
			return false
		}
	}
	return true
}

// overviewKept are the overview's panels that stay the store's under
// pushDown always, by title prefix (the per-table variants share it), and
// why: every other target of the dashboard must be pushed down.
var overviewKept = map[string]string{
	"Failed sign-ins over time by failure reason": "failureReason is read from two columns (ResultDescription, else Status.failureReason)",
	"Browser":           "browser is read from the dynamic column DeviceDetail (Browsers; Browser and operating system combinations)",
	"Operating systems": "os is read from the dynamic column DeviceDetail",
}

// keptWhy is the reason a target that was not pushed down may stay the
// store's; "" when it should have been pushed down.
func keptWhy(name string) string {
	for prefix, why := range overviewKept {
		if strings.HasPrefix(name, prefix) {
			return why
		}
	}
	return ""
}

// TestPushDownOverviewAnswersAsTheStore runs the overview dashboard through
// the built plugin with pushDown always and never on the demo's workspace, at
// dashNow: every panel as provisioned (over every log type, or a list of
// them), then every panel's queries per user table. Every target answers the
// same frames both ways; a pushed-down one says "Computed in the Log
// Analytics workspace", one that is not says why; every target is pushed
// down but those overviewKept names, with the reason.
func TestPushDownOverviewAnswersAsTheStore(t *testing.T) {
	never := dashLaunch(t)
	never.ds = pushDownDemo("pd-never", "never")
	always := never
	always.ds = pushDownDemo("pd-always", "always")
	d, ok := dashLoad(t)["overview.json"]
	if !ok {
		t.Fatal("no overview.json among the dashboards")
	}
	s := never.scope(t, d)
	var pushed, kept []string
	note := func(p dashPanel, was []bool) {
		for i, w := range was {
			name := fmt.Sprintf("%s #%d", p.Title, i)
			if w {
				pushed = append(pushed, name)
			} else {
				kept = append(kept, name)
			}
		}
	}
	panels := 0
	for _, p := range d.flatPanels() {
		if p.Type == "row" {
			continue
		}
		panels++
		note(p, pushDownCompare(t, always, never, d, s, p))
		for _, lt := range []string{"interactive", "nonInteractive"} {
			if v, ok := perUserTable(p, lt); ok {
				note(v, pushDownCompare(t, always, never, d, s, v))
			}
		}
	}
	t.Logf("pushed down and equal to the store: %q", pushed)
	t.Logf("answered by the store, with a notice why: %q", kept)
	for _, name := range kept {
		if why := keptWhy(name); why == "" {
			t.Errorf("%s was not pushed down", name)
		} else {
			t.Logf("%s stays the store's: %s", name, why)
		}
	}
	// The overview's own panels: all but the four overviewKept names.
	own := 0
	for _, name := range pushed {
		if !strings.Contains(name, " (interactive)") && !strings.Contains(name, " (nonInteractive)") {
			own++
		}
	}
	if want := panels - 4; own != want {
		t.Fatalf("%d of the overview's %d panels pushed down as provisioned; want %d (all but those overviewKept names)", own, panels, want)
	}
}

// TestPushDownEveryMetricAnswersAsTheStore: every metric push-down has,
// in both formats, on both user tables, over every log type and over a list
// of three (acrossLogTypes), grouped and filtered (with "in"
// lists and regular expressions for three of them), over the week
// before dashNow (whole settled days, and parts of days at both ends) is
// computed in the workspace and equals the store's answer exactly; asked a
// second time (the settled days from the push-down's cache) it is the same.
func TestPushDownEveryMetricAnswersAsTheStore(t *testing.T) {
	never := dashLaunch(t)
	never.ds = pushDownDemo("pd-metrics-never", "never")
	always := never
	always.ds = pushDownDemo("pd-metrics-always", "always")
	from, to := dashNow.Add(-7*24*time.Hour+90*time.Minute), dashNow
	metrics := []string{"count", "successes", "failures", "interrupts", "failureRate", "successRate",
		"distinctUsers", "distinctApps", "distinctIPs", "distinctResources"}
	n := 0
	for _, lt := range []string{"interactive", "nonInteractive"} {
		for _, metric := range metrics {
			queries := []map[string]any{
				{"logType": lt, "format": "timeSeries", "metric": metric, "groupBy": []string{"status"}, "timeAggregate": "6h", "limit": 5},
				{"logType": lt, "format": "table", "metric": metric, "groupBy": []string{"app", "clientApp"}, "limit": 20,
					"filters": []map[string]string{{"key": "userType", "op": "=", "value": "member"}, {"key": "app", "op": "!=", "value": "Microsoft Teams"}}},
			}
			if lt == "interactive" { // once per metric: every log type, and a list of three
				queries = append(queries, acrossLogTypes(metric, nil)...)
				queries = append(queries, acrossLogTypes(metric, []map[string]any{
					{"key": "logType", "op": "in", "value": "nonInteractive,servicePrincipal,managedIdentity"}})...)
			}
			if metric == "count" || metric == "failureRate" || metric == "distinctUsers" {
				// "in" lists and regular expressions, on plain and derived dimensions.
				queries = append(queries, map[string]any{"logType": lt, "format": "timeSeries", "metric": metric, "groupBy": []string{"app"}, "timeAggregate": "24h", "limit": 8,
					"filters": []map[string]any{{"key": "clientApp", "op": "in", "value": []string{"Browser", "Mobile Apps and Desktop clients"}},
						{"key": "status", "op": "in", "value": "{failure,success}"}, {"key": "app", "op": "=~", "value": "Microsoft.*|Office.*|One.*"},
						{"key": "user", "op": "!~", "value": "[m-z].*"}}})
			}
			for _, q := range queries {
				for pass := range 2 {
					name := fmt.Sprintf("%v pass %d", q, pass)
					g, notices := framesApart(t, always.query(t, name, q, from, to, nil), always.ds.UID)
					w, _ := framesApart(t, never.query(t, name, q, from, to, nil), never.ds.UID)
					if g != w {
						t.Fatalf("%s: pushDown always answers\n%.1500s\nnever answers\n%.1500s", name, g, w)
					}
					if !slices.ContainsFunc(notices, func(n string) bool { return strings.HasPrefix(n, pushedNotice) }) {
						t.Fatalf("%s: notices %q; want %q", name, notices, pushedNotice)
					}
					if len(w) < 200 {
						t.Fatalf("%s: a near-empty answer proves nothing: %s", name, w)
					}
				}
				n++
			}
		}
	}
	t.Logf("%d queries pushed down, each equal to the store's answer", n)
}

// acrossLogTypes are a metric's queries over every log type (logType all)
// with the log-type filter given: a series by log type and status, and a
// table by app and client app with a plain filter — the workload tables'
// app read from ServicePrincipalName, their client app empty.
func acrossLogTypes(metric string, logTypeFilter []map[string]any) []map[string]any {
	return []map[string]any{
		{"logType": "all", "format": "timeSeries", "metric": metric, "groupBy": []string{"logType", "status"}, "timeAggregate": "6h", "limit": 5,
			"filters": logTypeFilter},
		{"logType": "all", "format": "table", "metric": metric, "groupBy": []string{"app", "clientApp"}, "limit": 20,
			"filters": append([]map[string]any{{"key": "app", "op": "!=", "value": "Microsoft Teams"}}, logTypeFilter...)},
	}
}

// TestPushDownMissingTable: a workspace without the managed-identity table
// answers a query over every log type pushed down as the store answers it —
// that log type has no sign-ins — with the same notice naming the category
// to route; the query is not an error.
func TestPushDownMissingTable(t *testing.T) {
	_, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret},
		Workspace: graphsim.WorkspaceOptions{Tables: graphsim.WorkspaceTables[:3]}})
	h := launch(t)
	from, to := testclock.Workday(t)
	q := map[string]any{"logType": "all", "format": "table", "metric": "count", "groupBy": []string{"logType", "app"}, "limit": 10}
	answers := map[string]string{}
	for _, mode := range []string{"always", "never"} {
		ds := workspaceDatasource("pd-missing-"+mode, base, ca)
		ds.JSONData["pushDown"] = mode
		resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to, JSON: q}))
		if err != nil {
			t.Fatal(err)
		}
		dr := resp.Responses["A"]
		if dr.Error != nil {
			t.Fatalf("pushDown %s: %v", mode, dr.Error)
		}
		frames, notices := framesApart(t, dr.Frames, ds.UID)
		answers[mode] = frames
		pushed := slices.ContainsFunc(notices, func(n string) bool { return strings.HasPrefix(n, pushedNotice) })
		missing := slices.ContainsFunc(notices, func(n string) bool { return strings.Contains(n, "ManagedIdentitySignInLogs") })
		if pushed != (mode == "always") || !missing {
			t.Fatalf("pushDown %s: notices %q; want the push-down's only under always, and the missing table's", mode, notices)
		}
	}
	if answers["always"] != answers["never"] || len(answers["never"]) < 200 {
		t.Fatalf("pushDown always answers\n%.1500s\nnever answers\n%.1500s", answers["always"], answers["never"])
	}
}
