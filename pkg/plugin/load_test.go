package plugin

import (
	"context"
	"encoding/json"

	"runtime"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestConcurrentPanels runs 200 panel queries of mixed formats at once, first on
// a cold cache and then warm: none may fail, identical queries must agree, and
// the goroutines left afterwards stay bounded.
func TestConcurrentPanels(t *testing.T) {
	if testing.Short() {
		t.Skip("a load test")
	}
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "load",
		JSONData: unwarmed(`{"source":"demo","demoSeed":7,"demoSize":"small"}`)})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	defer ds.Dispose()
	queries := []string{
		`{"logType":"all","format":"timeSeries","metric":"count","groupBy":["logType"],"timeAggregate":"1h"}`,
		`{"logType":"interactive","format":"table","metric":"distinctUsers","groupBy":["app"]}`,
		`{"logType":"nonInteractive","format":"grouped","timeAggregate":"6h"}`,
		`{"logType":"all","format":"logs","limit":50,"filters":[{"key":"status","op":"=","value":"failure"}]}`,
		`{"logType":"servicePrincipal","format":"timeSeries","metric":"failureRate","groupBy":["servicePrincipal"]}`,
	}
	to := testclock.ClosedHour(t)
	from := to.Add(-24 * time.Hour)
	baseline := runtime.NumGoroutine()
	for _, phase := range []string{"cold", "warm"} {
		answers := make([]string, 200)
		latencies := make([]time.Duration, 200)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				start := time.Now()
				resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{
					RefID: "A", JSON: []byte(queries[i%len(queries)]), Interval: time.Minute, TimeRange: backend.TimeRange{From: from, To: to}}}})
				latencies[i] = time.Since(start)
				if err != nil || resp.Responses["A"].Error != nil {
					t.Errorf("%s query %d failed: %v %v", phase, i, err, resp.Responses["A"].Error)
					return
				}
				b, _ := json.Marshal(resp.Responses["A"].Frames)
				answers[i] = string(b)
			}(i)
		}
		wg.Wait()
		for i := len(queries); i < len(answers); i++ {
			if answers[i] != answers[i%len(queries)] {
				t.Fatalf("%s: query %d disagrees with an identical query", phase, i)
			}
		}
		sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
		t.Logf("%s: 200 concurrent panels, p50 %v, p99 %v", phase, latencies[100].Round(time.Millisecond), latencies[197].Round(time.Millisecond))
	}
	time.Sleep(100 * time.Millisecond)
	if n := runtime.NumGoroutine(); n > baseline+50 {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines grew from %d to %d:\n%s", baseline, n, buf[:runtime.Stack(buf, true)])
	}
}
