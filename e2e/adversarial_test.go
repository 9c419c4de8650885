package e2e

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// The adversarial tests send, through the built binary, what a Viewer or a
// datasource editor could send to take the plugin down or take its secret
// (RELIABILITY.md, "Adversarial"). Each checks the bound holds, the answer
// says which setting raises it, and the process still answers an ordinary
// query afterwards.

// maxAdversarialRSS is the peak resident memory a hostile query may cost the
// plugin process; before the bounds, these queries took it to 1 to 6 GB.
const maxAdversarialRSS = 600 << 20

func adversaryDemo(uid string, extra map[string]any) plugintest.Datasource {
	jd := map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}
	for k, v := range extra {
		jd[k] = v
	}
	return plugintest.Datasource{UID: uid, JSONData: jd}
}

// stillAnswers asserts that the process answers an ordinary query exactly as
// the export says.
func stillAnswers(t *testing.T, h *plugintest.Host, ds plugintest.Datasource) {
	t.Helper()
	from, to := testclock.Workday(t)
	resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to,
		JSON: map[string]any{"logType": "managedIdentity", "format": "table", "metric": "count"}}))
	if err != nil {
		t.Fatalf("the plugin no longer answers: %v", err)
	}
	want := float64(len(export(t, 7, "small", "managedIdentity", from, to)))
	if got := tableTotal(t, resp.Responses["A"]); got != want {
		t.Fatalf("after the attack: %v managed identity sign-ins; the export has %v", got, want)
	}
}

func tableTotal(t *testing.T, dr backend.DataResponse) float64 {
	t.Helper()
	if dr.Error != nil || len(dr.Frames) == 0 {
		t.Fatalf("query failed: %v", dr.Error)
	}
	f := dr.Frames[0]
	v, ok := f.Fields[len(f.Fields)-1].ConcreteAt(0)
	if !ok {
		t.Fatal("no value")
	}
	return v.(float64)
}

func peakRSS(t *testing.T, h *plugintest.Host) int64 {
	t.Helper()
	rss, err := h.PeakRSS()
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	t.Logf("peak RSS of the plugin process: %d MB", rss>>20)
	return rss
}

// userError asserts a 400 of the user's making (source downstream) whose
// message names want and echoes little.
func userError(t *testing.T, name string, dr backend.DataResponse, want string) {
	t.Helper()
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), want) || dr.Status != backend.StatusBadRequest || dr.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("%s: error %v (status %d, source %q); want a 400 from downstream naming %q", name, dr.Error, dr.Status, dr.ErrorSource, want)
	}
	if n := len(dr.Error.Error()); n > 1000 {
		t.Fatalf("%s: a %d-byte error echoes the input", name, n)
	}
}

// TestHostileRegexFilters: 20 filters of ".{999}…" (4,092 bytes each, under
// the value cap), four such queries a request, three requests at once — the
// attack that ended in "fatal error: out of memory". Each query is refused
// before compiling, naming maxRegexSize; memory stays bounded.
func TestHostileRegexFilters(t *testing.T) {
	h := launch(t)
	ds := adversaryDemo("hostile-regex", nil)
	value := strings.Repeat(".{999}", 682)
	var filters []any
	for range 20 {
		filters = append(filters, map[string]any{"key": "app", "op": "!~", "value": value})
	}
	from, to := testclock.Workday(t)
	var qs []plugintest.Query
	for i := range 4 {
		qs = append(qs, plugintest.Query{RefID: fmt.Sprint("Q", i), From: from, To: to, JSON: map[string]any{"format": "table", "filters": filters}})
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.QueryData(context.Background(), ds.Request(nil, qs...))
			if err != nil {
				errs <- err
				return
			}
			for _, q := range qs {
				userError(t, "hostile regex", resp.Responses[q.RefID], "maxRegexSize")
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("the plugin failed: %v", err)
	}
	if rss := peakRSS(t, h); rss > maxAdversarialRSS {
		t.Fatalf("peak RSS %d MB; want under %d MB", rss>>20, maxAdversarialRSS>>20)
	}
	stillAnswers(t, h, ds)
}

// TestHostileCells: a 1 ms interval over 30 days grouped by ipAddress, user
// and app, limit 10,000 — 1,001 series × 43,200 points and 6 GB before. The
// groups are bounded by maxCells over the buckets, the rest summed up as
// "other" with a notice naming maxCells, and every sign-in still counts.
func TestHostileCells(t *testing.T) {
	h := launch(t)
	ds := adversaryDemo("hostile-cells", nil)
	_, to := testclock.Workday(t)
	from := to.Add(-30 * 24 * time.Hour)
	resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to, Interval: time.Millisecond,
		JSON: map[string]any{"logType": "all", "metric": "count", "groupBy": []string{"ipAddress", "user", "app"}, "limit": 10000}}))
	if err != nil {
		t.Fatal(err)
	}
	dr := resp.Responses["A"]
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	points, total := 0, 0.0
	var notices []string
	for _, f := range dr.Frames {
		points += f.Rows()
		for i := 0; i < f.Rows(); i++ {
			v, _ := f.Fields[1].ConcreteAt(i)
			total += v.(float64)
		}
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				notices = append(notices, n.Text)
			}
		}
	}
	want := 0.0
	for _, lt := range []string{"interactive", "nonInteractive", "servicePrincipal", "managedIdentity"} {
		want += float64(len(export(t, 7, "small", lt, from, to)))
	}
	if points > 4_000_000 || total != want || !strings.Contains(strings.Join(notices, " "), "maxCells") {
		t.Fatalf("%d series, %d points summing to %v, notices %q; want at most maxCells points summing to the export's %v, and a notice naming maxCells", len(dr.Frames), points, total, notices, want)
	}
	if rss := peakRSS(t, h); rss > maxAdversarialRSS {
		t.Fatalf("peak RSS %d MB; want under %d MB", rss>>20, maxAdversarialRSS>>20)
	}
	t.Logf("%d series × %d points; notices %q", len(dr.Frames), dr.Frames[0].Rows(), notices)
	stillAnswers(t, h, ds)
}

// TestHostileRanges: ranges to 2262, from 1700, longer than maxRangeDays,
// and the values resource in year 0001 are refused in milliseconds, before
// Graph is asked for anything.
func TestHostileRanges(t *testing.T) {
	srv, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}})
	h := launch(t)
	ds := graphDatasource("hostile-ranges", base, ca, simClientID, map[string]string{"clientSecret": simSecret})
	now := time.Now()
	for _, tc := range []struct {
		name     string
		from, to time.Time
		agg      string
		want     string
	}{
		{"to 2262", now.Add(-time.Hour), time.Date(2262, 4, 11, 0, 0, 0, 0, time.UTC), "1h", "no source holds sign-ins of the future"},
		{"1700 to now, 24h buckets", time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), now, "24h", "before Entra ID had sign-ins"},
		{"100 days", now.Add(-100 * 24 * time.Hour), now, "24h", "maxRangeDays"},
		{"before retention", now.Add(-40 * 24 * time.Hour), now.Add(-35 * 24 * time.Hour), "1h", "Microsoft Graph keeps sign-in logs"},
	} {
		start := time.Now()
		resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: tc.from, To: tc.to,
			JSON: map[string]any{"logType": "all", "timeAggregate": tc.agg}}))
		if err != nil {
			t.Fatal(err)
		}
		userError(t, tc.name, resp.Responses["A"], tc.want)
		if d := time.Since(start); d > 500*time.Millisecond {
			t.Fatalf("%s: refused after %s", tc.name, d)
		}
	}
	path := "values?key=app&from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z"
	res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{PluginContext: ds.PluginContext(), Method: http.MethodGet, Path: "values", URL: path})
	if err != nil || res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "before Entra ID had sign-ins") {
		t.Fatalf("values in year 0001: %v %d %s", err, res.Status, res.Body)
	}
	if n := srv.Stats().Requests; n != 0 {
		t.Fatalf("%d requests reached Graph for refused ranges", n)
	}
}

// TestHostileQueryFields: a megabyte logType is a 400 of the user's that
// quotes a short prefix.
func TestHostileQueryFields(t *testing.T) {
	h := launch(t)
	ds := adversaryDemo("hostile-fields", nil)
	from, to := testclock.Workday(t)
	resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to,
		JSON: map[string]any{"logType": strings.Repeat("x", 1<<20)}}))
	if err != nil {
		t.Fatal(err)
	}
	userError(t, "1 MB logType", resp.Responses["A"], "unknown logType")
}

// TestForeignAuthorityThroughTheBinary: a datasource editor points
// authorityHost (and graphEndpoint) at a listener of theirs. Without the
// server's allow_custom_endpoints it receives nothing, and the health check
// names the server setting; the secret never leaves.
func TestForeignAuthorityThroughTheBinary(t *testing.T) {
	var hits atomic.Int64
	foreign := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "thanks", http.StatusBadRequest)
	}))
	defer foreign.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: foreign.Certificate().Raw})
	h, err := plugintest.Launch(pluginBin, []string{"XDG_CACHE_HOME=" + t.TempDir()}, testLog(t)) // no server permissions
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ds := graphDatasource("foreign-authority", foreign.URL, ca, simClientID, map[string]string{"clientSecret": simSecret})
	res, err := h.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: ds.PluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	from, to := testclock.Workday(t)
	resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to, JSON: map[string]any{}}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "GF_PLUGIN_ALLOW_CUSTOM_ENDPOINTS") || resp.Responses["A"].Error == nil {
		t.Fatalf("health %q, query error %v; want both refused naming the server setting", res.Message, resp.Responses["A"].Error)
	}
	if hits.Load() != 0 {
		t.Fatalf("the foreign authority received %d requests", hits.Load())
	}
}

// TestDemoFileDevZero: demoFile /dev/zero once crashed the plugin after Save
// & Test. The plugin reads no file now: a datasource naming one is refused,
// naming what replaced it, and the process answers on.
func TestDemoFileDevZero(t *testing.T) {
	h := launch(t)
	ds := adversaryDemo("dev-zero", map[string]any{"demoFile": "/dev/zero"})
	res, err := h.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: ds.PluginContext()})
	if err != nil || res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "graphsim serve --tls --file") {
		t.Fatalf("%v %q; want an error naming graphsim serve --file", err, res.Message)
	}
	stillAnswers(t, h, adversaryDemo("after-dev-zero", nil))
}

// TestMemoryCeilingQueuesOrRefuses: with query_memory_limit_mb 200, six
// concurrent heavy series (each may need about 100 MB) queue for memory and
// all answer; a query that outgrows the ceiling on its own (maxCells raised
// 25-fold) fails fast with a 429 naming the setting. The process stays within
// bounds and answers on.
func TestMemoryCeilingQueuesOrRefuses(t *testing.T) {
	h, err := plugintest.Launch(pluginBin, append(serverEnv(t), "GF_PLUGIN_QUERY_MEMORY_LIMIT_MB=200", "XDG_CACHE_HOME="+t.TempDir()), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ds := adversaryDemo("ceiling", nil)
	_, to := testclock.Workday(t)
	from := to.Add(-7 * 24 * time.Hour)
	heavy := plugintest.Query{RefID: "A", From: from, To: to, Interval: time.Minute,
		JSON: map[string]any{"logType": "all", "metric": "distinctUsers", "groupBy": []string{"ipAddress", "user"}, "limit": 10000}}
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.QueryData(context.Background(), ds.Request(nil, heavy))
			if err != nil {
				t.Errorf("the plugin failed: %v", err)
			} else if dr := resp.Responses["A"]; dr.Error != nil {
				t.Errorf("a heavy query that fits the ceiling alone failed: %v (status %d)", dr.Error, dr.Status)
			}
		}()
	}
	wg.Wait()
	peakRSS(t, h)

	huge := adversaryDemo("ceiling-huge", map[string]any{"maxCells": 50_000_000})
	month := heavy
	month.From = to.Add(-30 * 24 * time.Hour) // 43,200 buckets: 1,000 groups are 1.7 GB of cells
	resp, err := h.QueryData(context.Background(), huge.Request(nil, month))
	if err != nil {
		t.Fatal(err)
	}
	if dr := resp.Responses["A"]; dr.Error == nil || !strings.Contains(dr.Error.Error(), "query_memory_limit_mb") || dr.Status != backend.StatusTooManyRequests {
		t.Fatalf("a query past the ceiling: %v (status %d); want a 429 naming query_memory_limit_mb", dr.Error, dr.Status)
	}
	if rss := peakRSS(t, h); rss > maxAdversarialRSS {
		t.Fatalf("peak RSS %d MB; want under %d MB", rss>>20, maxAdversarialRSS>>20)
	}
	stillAnswers(t, h, ds)
}

// TestOneTimeBudgetPerRequest: logType all with queryTimeBudgetSeconds 3 on a
// throttled cold week answers within about 3 s, not 3 s per log type, and its
// partial notice counts the windows of every log type.
func TestOneTimeBudgetPerRequest(t *testing.T) {
	h := launch(t)
	ds := adversaryDemo("one-budget", map[string]any{"demoThrottle": true, "queryTimeBudgetSeconds": 3})
	_, to := testclock.Workday(t)
	from := to.Add(-7 * 24 * time.Hour)
	start := time.Now()
	resp, err := h.QueryData(context.Background(), ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to,
		JSON: map[string]any{"logType": "all", "format": "table"}}))
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	dr := resp.Responses["A"]
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	if elapsed > 6*time.Second {
		t.Fatalf("answered after %s; want about the 3 s budget", elapsed)
	}
	var partial string
	for _, n := range dr.Frames[0].Meta.Notices {
		if n.Severity == data.NoticeSeverityWarning {
			partial = n.Text
		}
	}
	if !strings.Contains(partial, fmt.Sprintf("of %d time windows", 4*7*24)) {
		t.Fatalf("partial notice %q; want it to count the %d windows of the four log types", partial, 4*7*24)
	}
}

// TestCancelStopsLoading: a cancelled cold query stops the fetches nobody
// else waits for: the simulator sees no request a few seconds later.
func TestCancelStopsLoading(t *testing.T) {
	srv, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}, Throttle: 5, ThrottleWindow: 2 * time.Second})
	h := launch(t)
	ds := graphDatasource("cancel", base, ca, simClientID, map[string]string{"clientSecret": simSecret})
	ds.JSONData["throttleRequests"], ds.JSONData["throttleWindowSeconds"] = 5, 2
	_, to := testclock.Workday(t)
	from := to.Add(-14 * 24 * time.Hour)
	// Cancelled, as a closed panel is, rather than timed out: with a deadline
	// the plugin may see it pass first and still get its error answer back in
	// time, a race this test is not about.
	ctx, cancel := context.WithCancel(context.Background())
	stop := time.AfterFunc(1500*time.Millisecond, cancel)
	defer stop.Stop()
	_, err := h.QueryData(ctx, ds.Request(nil, plugintest.Query{RefID: "A", From: from, To: to, JSON: map[string]any{"logType": "all", "format": "table"}}))
	if err == nil || ctx.Err() == nil {
		t.Fatalf("the query was not cancelled: %v", err)
	}
	time.Sleep(3 * time.Second) // a fetch in flight finishes its page
	before := srv.Stats().Requests
	time.Sleep(4 * time.Second) // two throttle windows: a live loader would have asked 10 more pages
	if after := srv.Stats().Requests; after != before {
		t.Fatalf("%d requests after the cancelled query's fetches should have stopped", after-before)
	}
}

// maxPushDownRSS is the peak resident memory the hostile push-down query may
// cost with query_memory_limit_mb 256: the ceiling and the runtime's own.
// Before the push-down fed the engine, one such query took the plugin to
// 647 MB and, against a busier workspace, to an out-of-memory crash.
const maxPushDownRSS = 400 << 20

// TestHostilePushDownIsBounded: any Viewer's query over 41 days at one-minute
// buckets, grouped by user, IP address and app over every log type, pushed
// down to a workspace (simulated in the test's process, so that the plugin's
// memory is its own), three at once under a 256 MB ceiling. Each
// answers within the engine's bounds (groups past maxCells / buckets are
// summed up as "other", with the notice naming the setting) or fails with an
// error naming its bound; the process stays under 400 MB and answers on.
func TestHostilePushDownIsBounded(t *testing.T) {
	h, err := plugintest.Launch(pluginBin, append(serverEnv(t), "GF_PLUGIN_QUERY_MEMORY_LIMIT_MB=256"), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	_, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}})
	ds := workspaceDatasource("hostile-pushdown", base, ca)
	ds.JSONData["pushDown"], ds.JSONData["warmDays"] = "always", 0
	to := testclock.ClosedHour(t)
	hostile := plugintest.Query{RefID: "A", From: to.Add(-41 * 24 * time.Hour), To: to, Interval: time.Minute,
		JSON: map[string]any{"logType": "all", "groupBy": []string{"user", "ipAddress", "app"}, "limit": 1}}
	boundedAtOnce(t, h, ds, hostile, func(dr backend.DataResponse) {
		if dr.Error != nil {
			if !strings.Contains(dr.Error.Error(), "query_memory_limit_mb") {
				t.Errorf("unexpected error %v; want an answer, or an error naming the bound", dr.Error)
			}
			return
		}
		notices := plugintest.Notices(dr)
		if !strings.Contains(notices, pushedNotice) || !strings.Contains(notices, "maxGroups") || len(dr.Frames) != 2 {
			t.Errorf("%d frames, notices %q; want the top series and other, computed in the workspace, with the notice naming maxGroups", len(dr.Frames), notices)
		}
	})
	stillAnswers(t, h, ds)
}

// boundedAtOnce sends q three times at once, as three panels would, checks
// each answer, then the plugin's peak RSS against maxPushDownRSS.
func boundedAtOnce(t *testing.T, h *plugintest.Host, ds plugintest.Datasource, q plugintest.Query, check func(dr backend.DataResponse)) {
	t.Helper()
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.QueryData(context.Background(), ds.Request(nil, q))
			if err != nil {
				t.Errorf("the plugin failed: %v", err)
				return
			}
			check(resp.Responses[q.RefID])
		}()
	}
	wg.Wait()
	if rss := peakRSS(t, h); rss > maxPushDownRSS {
		t.Fatalf("peak RSS %d MB; want under %d MB", rss>>20, maxPushDownRSS>>20)
	}
}
