package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
)

// Figure i's target: warming runs at the throttle's pace, as a cold load does
// (figure e's bar).
const warmPaceTarget = 1.10

// Graph's budget the demo applies with demoThrottle (5 per 10 s): a burst of
// 5, then one request every 2 s.
const (
	warmBurst    = 5
	warmInterval = 2 * time.Second
)

// Warm measures figure i: a datasource with warmDays, through the built
// plugin binary against its built-in simulator with Graph's throttle
// (demoThrottle), as Grafana starts it. Three steps:
//
//  1. the first call (a look at the stats, as the config editor's cache status
//     makes) starts the instance and its warming of the last Options.Days;
//     the time until every window is loaded against the throttle's allowance
//     for the requests it made: (requests − burst) × 2 s;
//  2. the overview dashboard's first load once the request budget has
//     refilled (variables, then every panel in one request, over the same
//     days): the Graph requests it made (closed windows none; the hour still
//     open, which warming leaves to the first query, one per log type) and
//     its time, against the same first load by a datasource that did not
//     warm, in the same run;
//  3. a restart of the process on the same cache directory: the Graph
//     requests warming makes again (closed windows come from disk) and the
//     time it takes.
func Warm(ctx context.Context, o Options) ([]Result, error) {
	dir, err := moduleDir(o)
	if err != nil {
		return nil, err
	}
	bin, err := pluginBinary(dir, o)
	if err != nil {
		return nil, err
	}
	dash, panelsFrom, err := overview(dir)
	if err != nil {
		return nil, err
	}
	// The restart reads the warmed windows from memcached, where there is one
	// (SIGNINLENS_TEST_MEMCACHED): the plugin keeps nothing on disk.
	memcached := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	days := max(1, int(o.ColdRange/(24*time.Hour)))
	settings := func(warmDays int, memcached string) map[string]any {
		return map[string]any{"source": "demo", "demoSeed": o.Seed, "demoSize": o.ColdTenant, "demoThrottle": true,
			"warmDays": warmDays, "memcachedAddresses": memcached, "queryTimeBudgetSeconds": 3600}
	}
	secret, err := secretHex() // this run's own: no earlier run's windows are read
	if err != nil {
		return nil, err
	}
	warmDS := plugintest.Datasource{UID: "bench-warm", JSONData: settings(days, memcached)}
	coldDS := plugintest.Datasource{UID: "bench-cold", JSONData: settings(0, "")}
	env := []string{"GF_PLUGIN_CACHE_SECRET=" + secret} // memcached keys the demo's values with the server's secret
	h, err := plugintest.Launch(bin, env, nil)
	if err != nil {
		return nil, fmt.Errorf("bench: launching the plugin: %w", err)
	}
	defer func() { h.Close() }()
	warmed, err := waitWarmed(ctx, h, warmDS)
	if err != nil {
		return nil, err
	}
	pace := float64(warmed.took) / float64(max(warmInterval, time.Duration(warmed.requests-warmBurst)*warmInterval))

	span := time.Duration(days) * 24 * time.Hour
	// Warming ends with the budget spent; a user opens the dashboard later,
	// when it has refilled (the datasource that did not warm starts full).
	time.Sleep(warmBurst * warmInterval)
	before := statsOf(ctx, h, warmDS)["graphRequests"]
	first, panels, err := firstLoad(ctx, &dashRun{h: h, ds: warmDS, span: span}, dash, panelsFrom)
	if err != nil {
		return nil, err
	}
	firstRequests := statsOf(ctx, h, warmDS)["graphRequests"] - before
	o.logf("i: warmed %d windows in %s; first dashboard load %s with %d Graph requests; now the same without warming", warmed.windows, warmed.took.Round(time.Millisecond), first.Round(time.Millisecond), firstRequests)
	cold, _, err := firstLoad(ctx, &dashRun{h: h, ds: coldDS, span: span}, dash, panelsFrom)
	if err != nil {
		return nil, err
	}

	scope := fmt.Sprintf("%s tenant, the last %d days, Graph's throttle (%d per %s)", o.ColdTenant, days, warmBurst, warmBurst*warmInterval)
	results := []Result{
		info("i. warm at start: time to warm", ms(warmed.took), "ms",
			fmt.Sprintf("%s: %d windows, %d sign-ins, %d Graph requests, %d windows given up", scope, warmed.windows, warmed.signIns, warmed.requests, warmed.failed)),
		atMost("i. warm at start: time ÷ throttle allowance", pace, "×", warmPaceTarget,
			fmt.Sprintf("%s for %d requests; the throttle allows (%d − %d) × %s", warmed.took.Round(time.Millisecond), warmed.requests, warmed.requests, warmBurst, warmInterval)),
		atMost("i. first dashboard load after warming: Graph requests", float64(firstRequests), "", float64(len(logTypeNames)),
			fmt.Sprintf("variables, then %d panels in one request over the warmed days; at most the open windows' refresh, one per log type", len(panels))),
		info("i. first dashboard load after warming", ms(first), "ms", fmt.Sprintf("the same load without warming: %.0f ms, measured in the same run", ms(cold))),
		atLeast("i. first dashboard load: without ÷ with warming", float64(cold)/float64(max(first, time.Millisecond)), "×", 1,
			fmt.Sprintf("%.0f ms without warming (every window through the throttle) ÷ %.0f ms with it", ms(cold), ms(first))),
	}
	if memcached == "" {
		o.logf("i: SIGNINLENS_TEST_MEMCACHED is not set: the restart row is left out")
		return results, nil
	}
	h.Close()
	if h, err = plugintest.Launch(bin, env, nil); err != nil {
		return nil, fmt.Errorf("bench: relaunching the plugin: %w", err)
	}
	again, err := waitWarmed(ctx, h, warmDS)
	if err != nil {
		return nil, err
	}
	return append(results, atMost("i. warm after a restart: Graph requests", float64(again.requests), "", float64(len(logTypeNames)),
		fmt.Sprintf("the process started again beside the same memcached: %d windows, %d sign-ins warmed in %s, closed windows from memcached; at most the open windows, one request per log type", again.windows, again.signIns, again.took.Round(time.Millisecond)))), nil
}

// firstLoad opens the dashboard as Grafana does on load — its variables, then
// every panel in one request — and returns how long that took.
func firstLoad(ctx context.Context, run *dashRun, dash dashboardJSON, panelsFrom string) (time.Duration, []dashPanel, error) {
	start := time.Now()
	vars, _, err := run.variables(ctx, dash)
	if err != nil {
		return 0, nil, err
	}
	panels := dash.panels(vars, panelsFrom)
	if err := run.send(ctx, allQueries(panels)...); err != nil {
		return 0, nil, err
	}
	return time.Since(start), panels, nil
}

// logTypeNames are the four logs, for the open windows' allowance.
var logTypeNames = []string{"interactive", "nonInteractive", "servicePrincipal", "managedIdentity"}

// warming is what a datasource's warming did.
type warming struct {
	took                               time.Duration
	windows, failed, signIns, requests int64
}

// waitWarmed starts ds with a look at its stats and waits for its warming
// to end.
func waitWarmed(ctx context.Context, h *plugintest.Host, ds plugintest.Datasource) (warming, error) {
	start := time.Now()
	for {
		st := statsOf(ctx, h, ds)
		if st["warmWindowsTotal"] > 0 && st["warmWindowsLoaded"]+st["warmWindowsFailed"] >= st["warmWindowsTotal"] {
			return warming{took: time.Since(start), windows: st["warmWindowsLoaded"], failed: st["warmWindowsFailed"],
				signIns: st["warmSignIns"], requests: st["graphRequests"]}, nil
		}
		select {
		case <-ctx.Done():
			return warming{}, fmt.Errorf("bench: warming did not end: %w (%v)", ctx.Err(), st)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// statsOf reads a datasource's stats resource; nil on failure.
func statsOf(ctx context.Context, h *plugintest.Host, ds plugintest.Datasource) map[string]int64 {
	resp, err := h.CallResource(ctx, &backend.CallResourceRequest{PluginContext: ds.PluginContext(), Path: "stats", Method: "GET", URL: "stats"})
	if err != nil || resp.Status != 200 {
		return nil
	}
	var s map[string]int64
	if json.Unmarshal(resp.Body, &s) != nil {
		return nil
	}
	return s
}
