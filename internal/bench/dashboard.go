package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
)

// Figure d's targets.
const (
	panelTarget     = 100 * time.Millisecond
	dashboardTarget = 300 * time.Millisecond
)

// dashboardPattern names the dashboards figure d replays.
const dashboardPattern = "dashboards/overview*.json"

// fallbackQueries stand for the dashboard when its file is missing: the
// README's questions as panels would ask them.
var fallbackQueries = []panelQueries{
	{title: "Distinct users per application", targets: []map[string]any{{"logType": "all", "format": "table", "metric": "distinctUsers", "groupBy": []any{"app"}, "filters": []any{map[string]any{"key": "logType", "op": "in", "value": "interactive,nonInteractive"}}, "limit": 100}}},
	{title: "Failed sign-ins", targets: []map[string]any{{"logType": "all", "format": "table", "metric": "failures"}}},
	{title: "Failures over time by reason", targets: []map[string]any{{"logType": "all", "format": "timeSeries", "metric": "failures", "groupBy": []any{"failureReason"}, "timeAggregate": "1h", "limit": 10}}},
	{title: "Browsers", targets: []map[string]any{{"logType": "all", "format": "table", "metric": "count", "groupBy": []any{"browser"}, "limit": 10}}},
	{title: "Operating systems", targets: []map[string]any{{"logType": "all", "format": "table", "metric": "count", "groupBy": []any{"os"}, "limit": 10}}},
	{title: "Resources of workload identities", targets: []map[string]any{{"logType": "all", "format": "table", "metric": "count", "groupBy": []any{"logType", "servicePrincipal", "resource"}, "filters": []any{map[string]any{"key": "logType", "op": "in", "value": "servicePrincipal,managedIdentity"}}, "limit": 500}}},
	{title: "Who, how, what", targets: []map[string]any{{"logType": "all", "format": "table", "metric": "count", "groupBy": []any{"user", "app", "resource"}, "limit": 15}}},
	{title: "Sign-ins by log type", targets: []map[string]any{{"logType": "all", "format": "timeSeries", "metric": "count", "groupBy": []any{"logType"}, "timeAggregate": "1h", "limit": 10}}},
}

// dashPanel is a panel ready to send: its queries with variables applied.
type dashPanel struct {
	title    string
	timeFrom string // the panel's own relative time; figure d does not apply it
	queries  []map[string]any
}

// Dashboard measures figure d: every panel of the "Sign-ins overview"
// dashboard over the last Options.Days of the demo tenant, sent to the built
// plugin binary over the plugin protocol as Grafana sends them. The first load
// (variables, then every panel in one request) is cold and reported, not held
// to a target. Then, DashboardRepeats times, each panel alone, each variable
// query, and every panel in one request; rows are the 95th percentiles. Every
// panel is asked for the whole range (panels' own relative times, such as
// "this week", are not applied: the heavier case).
func Dashboard(ctx context.Context, o Options) ([]Result, error) {
	dir, err := moduleDir(o)
	if err != nil {
		return nil, err
	}
	dash, panelsFrom, err := overview(dir)
	if err != nil {
		return nil, err
	}
	bin, err := pluginBinary(dir, o)
	if err != nil {
		return nil, err
	}
	h, err := plugintest.Launch(bin, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("bench: launching the plugin: %w", err)
	}
	defer h.Close()
	ds := plugintest.Datasource{UID: "bench-overview", JSONData: map[string]any{
		"source": "demo", "demoSeed": o.Seed, "demoSize": o.Tenant,
		"queryTimeBudgetSeconds": 3600}}
	r := &dashRun{h: h, ds: ds, span: time.Duration(o.Days) * 24 * time.Hour}

	start := time.Now()
	vars, varQueries, err := r.variables(ctx, dash)
	if err != nil {
		return nil, err
	}
	panels := dash.panels(vars, panelsFrom)
	if err := r.send(ctx, allQueries(panels)...); err != nil {
		return nil, err
	}
	cold := time.Since(start)
	stats := r.stats(ctx)

	perPanel := make([][]time.Duration, len(panels))
	perVar := make([][]time.Duration, len(varQueries))
	var whole []time.Duration
	for range max(1, o.DashboardRepeats) {
		for i, p := range panels {
			d, err := r.timed(ctx, p.queries...)
			if err != nil {
				return nil, fmt.Errorf("bench: panel %q: %w", p.title, err)
			}
			perPanel[i] = append(perPanel[i], d)
		}
		for i, vq := range varQueries {
			d, err := r.timed(ctx, vq.query)
			if err != nil {
				return nil, fmt.Errorf("bench: variable %s: %w", vq.name, err)
			}
			perVar[i] = append(perVar[i], d)
		}
		d, err := r.timed(ctx, allQueries(panels)...)
		if err != nil {
			return nil, err
		}
		whole = append(whole, d)
	}

	scope := fmt.Sprintf("%d days of the %s demo tenant", o.Days, o.Tenant)
	out := []Result{info("d. cold dashboard (first load)", ms(cold), "ms",
		fmt.Sprintf("variables, then all %d panels in one request; %s from the built-in simulator, unthrottled; %s; %s", len(panels), scope, stats, panelsFrom))}
	for i, p := range panels {
		out = append(out, atMost("d. warm panel p95: "+short(p.title, 48), ms(percentile(perPanel[i], 95)), "ms", ms(panelTarget),
			fmt.Sprintf("median %.1f ms over %d repeats; %d queries", ms(median(perPanel[i])), len(perPanel[i]), len(p.queries))))
	}
	for i, vq := range varQueries {
		out = append(out, atMost("d. warm variable $"+vq.name+" p95", ms(percentile(perVar[i], 95)), "ms", ms(panelTarget),
			fmt.Sprintf("median %.1f ms; runs when the time range changes", ms(median(perVar[i])))))
	}
	out = append(out, atMost(fmt.Sprintf("d. warm dashboard p95 (%d panels, one request)", len(panels)), ms(percentile(whole, 95)), "ms", ms(dashboardTarget),
		fmt.Sprintf("median %.1f ms over %d repeats; %s; the plugin runs 4 queries of a request at once", ms(median(whole)), len(whole), scope)))
	return out, nil
}

// overview reads the dashboard, or stands the fallback queries in for it.
func overview(dir string) (dashboardJSON, string, error) {
	ds, err := readDashboards(dir, dashboardPattern)
	if err != nil {
		return dashboardJSON{}, "", err
	}
	if len(ds) == 0 {
		return dashboardJSON{Title: "fallback"}, fmt.Sprintf("no %s: the %d README questions stand in for it", dashboardPattern, len(fallbackQueries)), nil
	}
	d := ds[0]
	return d, fmt.Sprintf("panels of %q", d.Title), nil
}

// overviewInProcess is the overview dashboard's panels for an in-process
// engine: custom variables at their default, query variables at All (no
// filter), as the frontend sends them when nothing is picked.
func overviewInProcess(o Options) (dashboardJSON, []dashPanel, error) {
	dir, err := moduleDir(o)
	if err != nil {
		return dashboardJSON{}, nil, err
	}
	dash, from, err := overview(dir)
	if err != nil {
		return dashboardJSON{}, nil, err
	}
	vars := make(map[string]varValue)
	for _, v := range dash.Templating.List {
		var options []string
		if v.Type == "custom" {
			var q string
			_ = json.Unmarshal(v.Query, &q)
			options = splitOptions(q)
		}
		vars[v.Name] = v.resolve(options)
	}
	return dash, dash.panels(vars, from), nil
}

// panels applies the variables to every panel's targets.
func (d dashboardJSON) panels(vars map[string]varValue, from string) []dashPanel {
	src := d.queries()
	if strings.HasPrefix(from, "no ") {
		src = fallbackQueries
	}
	out := make([]dashPanel, 0, len(src))
	for _, p := range src {
		dp := dashPanel{title: p.title, timeFrom: p.timeFrom}
		for _, t := range p.targets {
			dp.queries = append(dp.queries, applyVariables(t, vars))
		}
		out = append(out, dp)
	}
	return out
}

func allQueries(panels []dashPanel) []map[string]any {
	var qs []map[string]any
	for _, p := range panels {
		qs = append(qs, p.queries...)
	}
	return qs
}

// dashRun sends a dashboard's requests to the plugin.
type dashRun struct {
	h    *plugintest.Host
	ds   plugintest.Datasource
	span time.Duration
}

type varQuery struct {
	name  string
	query map[string]any
}

// variables resolves the dashboard's variables in order, running query
// variables through the plugin as Grafana does on load.
func (r *dashRun) variables(ctx context.Context, d dashboardJSON) (map[string]varValue, []varQuery, error) {
	vars := make(map[string]varValue)
	var queries []varQuery
	for _, v := range d.Templating.List {
		switch v.Type {
		case "custom":
			var q string
			_ = json.Unmarshal(v.Query, &q)
			vars[v.Name] = v.resolve(splitOptions(q))
		case "query":
			var target map[string]any
			if err := json.Unmarshal(v.Query, &target); err != nil {
				return nil, nil, fmt.Errorf("bench: variable %s: %w", v.Name, err)
			}
			q := applyVariables(target, vars)
			resp, err := r.query(ctx, q)
			if err != nil {
				return nil, nil, fmt.Errorf("bench: variable %s: %w", v.Name, err)
			}
			var options []string
			for _, dr := range resp.Responses {
				for _, f := range dr.Frames {
					if len(f.Fields) > 0 {
						for i := range f.Fields[0].Len() {
							if s, ok := f.Fields[0].At(i).(string); ok {
								options = append(options, s)
							}
						}
					}
				}
			}
			vars[v.Name] = v.resolve(options)
			queries = append(queries, varQuery{name: v.Name, query: q})
		}
	}
	return vars, queries, nil
}

// query sends queries for the last span, as a dashboard with a relative range does.
func (r *dashRun) query(ctx context.Context, qs ...map[string]any) (*backend.QueryDataResponse, error) {
	to := time.Now().UTC()
	from := to.Add(-r.span)
	interval := max(time.Second, (r.span / 1000).Round(time.Second))
	pq := make([]plugintest.Query, len(qs))
	for i, q := range qs {
		pq[i] = plugintest.Query{RefID: fmt.Sprintf("Q%d", i), JSON: q, From: from, To: to, Interval: interval}
	}
	resp, err := r.h.QueryData(ctx, r.ds.Request(nil, pq...))
	if err != nil {
		return nil, err
	}
	var errs []error
	for ref, dr := range resp.Responses {
		if dr.Error != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ref, dr.Error))
		}
		if partial(dr.Frames) {
			errs = append(errs, fmt.Errorf("%s: partial answer with a one-hour time budget", ref))
		}
	}
	return resp, errors.Join(errs...)
}

func (r *dashRun) send(ctx context.Context, qs ...map[string]any) error {
	_, err := r.query(ctx, qs...)
	return err
}

func (r *dashRun) timed(ctx context.Context, qs ...map[string]any) (time.Duration, error) {
	start := time.Now()
	err := r.send(ctx, qs...)
	return time.Since(start), err
}

// stats summarises the datasource's stats resource for the cold row's note.
func (r *dashRun) stats(ctx context.Context) string {
	resp, err := r.h.CallResource(ctx, &backend.CallResourceRequest{PluginContext: r.ds.PluginContext(), Path: "stats", Method: "GET", URL: "stats"})
	if err != nil || resp.Status != 200 {
		return "stats unavailable"
	}
	var s map[string]int64
	if json.Unmarshal(resp.Body, &s) != nil {
		return "stats unavailable"
	}
	return fmt.Sprintf("%d Graph requests, %.2f M sign-ins (%.0f MB) decoded, %d held decoded", s["graphRequests"], float64(s["eventsDecoded"])/1e6, float64(s["bytesDecoded"])/1e6, s["eventsCached"])
}

func partial(frames data.Frames) bool {
	for _, f := range frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			if n.Severity == data.NoticeSeverityWarning && strings.HasPrefix(n.Text, "Partial answer") {
				return true
			}
		}
	}
	return false
}

func short(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// moduleDir is Options.ModuleDir or the nearest directory with a go.mod above
// the working directory.
func moduleDir(o Options) (string, error) {
	if o.ModuleDir != "" {
		return o.ModuleDir, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench: no go.mod above the working directory; set Options.ModuleDir")
		}
		dir = parent
	}
}

// The binaries the figures run (the plugin, the simulator) are built once
// per process, into one temporary directory.
var built struct {
	mu   sync.Mutex
	dir  string
	bins map[string]string // by package path
}

func pluginBinary(module string, o Options) (string, error) {
	return binary(module, "./pkg", o, plugintest.Build)
}

// graphsimBinary builds cmd/graphsim: figures g and h run the simulated
// workspace in its own process, as the service is.
func graphsimBinary(module string, o Options) (string, error) {
	return binary(module, "./cmd/graphsim", o, func(module, dir string) (string, error) {
		bin := filepath.Join(dir, "graphsim")
		return bin, plugintest.GoBuild(module, "./cmd/graphsim", bin)
	})
}

func binary(module, pkg string, o Options, build func(module, dir string) (string, error)) (string, error) {
	built.mu.Lock()
	defer built.mu.Unlock()
	if bin := built.bins[pkg]; bin != "" {
		return bin, nil
	}
	if built.dir == "" {
		tmp, err := os.MkdirTemp("", "signinlens-bench-")
		if err != nil {
			return "", err
		}
		built.dir, built.bins = tmp, map[string]string{}
	}
	start := time.Now()
	bin, err := build(module, built.dir)
	if err != nil {
		return "", err
	}
	o.logf("  built %s in %s", pkg, time.Since(start).Round(time.Millisecond))
	built.bins[pkg] = bin
	return bin, nil
}

// RemoveBinaries deletes the binaries built for the figures.
func RemoveBinaries() {
	built.mu.Lock()
	defer built.mu.Unlock()
	if built.dir != "" {
		os.RemoveAll(built.dir)
		built.dir, built.bins = "", nil
	}
}
