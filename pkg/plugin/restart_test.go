package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestRestartKeepsClosedWindows: a datasource answers a closed week, is disposed
// (as on a Grafana restart or a settings change), and a new instance sharing
// its memcached answers the same week without a single Graph request.
func TestRestartKeepsClosedWindows(t *testing.T) {
	mc := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if mc == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run against memcached")
	}
	t.Setenv(envCacheSecret, "restart-test-secret")         // memcached is used only with a secret
	uid := fmt.Sprintf("restart-%d", time.Now().UnixNano()) // memcached keeps values between runs
	settings := backend.DataSourceInstanceSettings{UID: uid, JSONData: unwarmed(`{"source":"demo","demoSeed":7,"demoSize":"small","memcachedAddresses":` + quote(mc) + `}`)}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	req := &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", TimeRange: backend.TimeRange{From: to.Add(-7 * 24 * time.Hour), To: to},
		Interval: time.Hour, JSON: []byte(`{"logType":"all","format":"table","metric":"count","groupBy":["logType"]}`)}}}
	answer := func() (string, int64) {
		t.Helper()
		inst, err := NewDatasource(context.Background(), settings)
		if err != nil {
			t.Fatal(err)
		}
		ds := inst.(*Datasource)
		defer ds.Dispose()
		resp, err := ds.QueryData(context.Background(), req)
		if err != nil || resp.Responses["A"].Error != nil {
			t.Fatalf("query failed: %v %v", err, resp.Responses["A"].Error)
		}
		out, _ := json.Marshal(resp.Responses["A"].Frames)
		return string(out), ds.counters.requests.Load()
	}
	first, cold := answer()
	second, warm := answer()
	if cold == 0 || warm != 0 {
		t.Fatalf("unexpected Graph requests: %d cold, %d after the restart; want some, then none", cold, warm)
	}
	if first != second {
		t.Fatalf("the answer changed across the restart:\n%s\n%s", first, second)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
