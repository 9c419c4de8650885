package e2e

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

var logTypes = []string{"interactive", "nonInteractive", "servicePrincipal", "managedIdentity"}

func launch(t *testing.T) *plugintest.Host {
	t.Helper()
	// A cache directory of the test's own: the persisted cache of an earlier run
	// must not answer for this one.
	h, err := plugintest.Launch(pluginBin, append(serverEnv(t), "XDG_CACHE_HOME="+t.TempDir()), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return h
}

// e2eCacheSecret is the test server's cache_secret, which keys memcached.
const e2eCacheSecret = "e2e-server-cache-secret-5b0f7c"

// serverEnv is what the tests' Grafana server admin allows the plugin (the
// [plugin.signinlens-entra-datasource] section, as Grafana passes it): custom
// endpoints, since the tests' Graph is a local simulator, and a cache secret.
func serverEnv(t *testing.T) []string {
	t.Helper()
	return []string{"GF_PLUGIN_ALLOW_CUSTOM_ENDPOINTS=true", "GF_PLUGIN_CACHE_SECRET=" + e2eCacheSecret}
}

// testLog shows the plugin's log with -v.
func testLog(t *testing.T) io.Writer {
	if testing.Verbose() {
		return os.Stderr
	}
	return io.Discard
}

func TestDemoHealth(t *testing.T) {
	h := launch(t)
	ds := plugintest.Datasource{UID: "demo7", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}
	res, err := h.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: ds.PluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("unexpected health status %v: %s", res.Status, res.Message)
	}
}

func TestBadSettingsHealth(t *testing.T) {
	h := launch(t)
	ds := plugintest.Datasource{UID: "bad", JSONData: map[string]any{"source": "demo", "demoSize": "huge"}}
	res, err := h.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: ds.PluginContext()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "demoSize") {
		t.Fatalf("unexpected health result %v: %q; want an error naming demoSize", res.Status, res.Message)
	}
}

// TestDemoHourlyCountsMatchExport is the foundation's acceptance test: for each log
// type, hourly counts and failures over a closed past day equal the export's.
func TestDemoHourlyCountsMatchExport(t *testing.T) {
	h := launch(t)
	ds := plugintest.Datasource{UID: "demo7", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-24 * time.Hour)
	for _, lt := range logTypes {
		truth := export(t, 7, "small", lt, from, to)
		if len(truth) == 0 {
			t.Fatalf("%s: the export is empty; the test would prove nothing", lt)
		}
		req := ds.Request(nil,
			plugintest.Query{RefID: "count", JSON: map[string]any{"logType": lt, "format": "timeSeries", "metric": "count", "timeAggregate": "1h"}, From: from, To: to},
			plugintest.Query{RefID: "failures", JSON: map[string]any{"logType": lt, "format": "timeSeries", "metric": "failures", "timeAggregate": "1h"}, From: from, To: to},
		)
		resp, err := h.QueryData(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		checkHourly(t, lt+"/count", resp.Responses["count"], hourlyCounts(t, truth, false), from, to)
		checkHourly(t, lt+"/failures", resp.Responses["failures"], hourlyCounts(t, truth, true), from, to)
	}
}

// checkHourly asserts one series with a point per hour of [from, to) equal to want.
func checkHourly(t *testing.T, name string, dr backend.DataResponse, want map[int64]float64, from, to time.Time) {
	t.Helper()
	if dr.Error != nil {
		t.Fatalf("%s: unexpected error: %v", name, dr.Error)
	}
	if len(dr.Frames) != 1 {
		t.Fatalf("%s: unexpected frames; got %d; want 1", name, len(dr.Frames))
	}
	f := dr.Frames[0]
	if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti {
		t.Fatalf("%s: unexpected frame type %+v; want timeseries-multi", name, f.Meta)
	}
	hours := int(to.Sub(from) / time.Hour)
	if f.Rows() != hours {
		t.Fatalf("%s: unexpected points; got %d; want %d", name, f.Rows(), hours)
	}
	var total float64
	for i := 0; i < hours; i++ {
		ts := f.Fields[0].At(i).(time.Time)
		v := f.Fields[1].At(i).(float64)
		if wantTS := from.Add(time.Duration(i) * time.Hour); !ts.Equal(wantTS) {
			t.Fatalf("%s: point %d at %s; want %s", name, i, ts, wantTS)
		}
		if v != want[ts.Unix()] {
			t.Errorf("%s at %s: got %v; want %v", name, ts.Format(time.RFC3339), v, want[ts.Unix()])
		}
		total += v
	}
	t.Logf("%s: %v sign-ins over %d hours match the export", name, total, hours)
}
