package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestDemoThrottledWeek queries 7 cold days with Graph's throttle on (5 requests
// per 10 s). The first answer comes within the time budget: complete, or partial
// with a warning that says so and counts that never exceed the truth. Loading goes
// on in the background, and a later refresh returns the exact answer. The
// non-interactive log is left out: its ~45 pages alone take 90 s of throttle time.
func TestDemoThrottledWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about a minute of Graph throttle time")
	}
	h := launch(t)
	ds := plugintest.Datasource{UID: "throttled", JSONData: map[string]any{
		"source": "demo", "demoSeed": 7, "demoSize": "small", "demoThrottle": true, "queryTimeBudgetSeconds": 10}}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-7 * 24 * time.Hour)
	types := []string{"interactive", "servicePrincipal", "managedIdentity"}
	truth := make(map[string]map[int64]float64)
	var qs []plugintest.Query
	for _, lt := range types {
		truth[lt] = hourlyCounts(t, export(t, 7, "small", lt, from, to), false)
		qs = append(qs, plugintest.Query{RefID: lt, JSON: map[string]any{"logType": lt, "metric": "count", "timeAggregate": "1h"}, From: from, To: to})
	}
	sawPartial := false
	deadline := time.Now().Add(3 * time.Minute)
	for {
		resp, err := h.QueryData(context.Background(), ds.Request(nil, qs...))
		if err != nil {
			t.Fatal(err)
		}
		complete := true
		for _, lt := range types {
			dr := resp.Responses[lt]
			if dr.Error != nil {
				t.Fatalf("%s: unexpected error: %v", lt, dr.Error)
			}
			if partialNotice(dr) {
				complete, sawPartial = false, true
				checkNotAbove(t, lt, dr, truth[lt])
			}
		}
		if complete {
			for _, lt := range types {
				checkHourly(t, lt, resp.Responses[lt], truth[lt], from, to)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the week did not finish loading in 3 minutes")
		}
		time.Sleep(5 * time.Second)
	}
	if !sawPartial {
		t.Log("the week loaded within the first time budget; no partial answer was seen")
	}
}

func partialNotice(dr backend.DataResponse) bool {
	for _, f := range dr.Frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			if n.Severity == data.NoticeSeverityWarning && strings.Contains(n.Text, "Partial answer") {
				return true
			}
		}
	}
	return false
}

// checkNotAbove asserts a partial series never counts more than the truth.
func checkNotAbove(t *testing.T, name string, dr backend.DataResponse, want map[int64]float64) {
	t.Helper()
	f := dr.Frames[0]
	for i := 0; i < f.Rows(); i++ {
		ts := f.Fields[0].At(i).(time.Time)
		if v := f.Fields[1].At(i).(float64); v > want[ts.Unix()] {
			t.Fatalf("%s at %s: partial count %v exceeds the truth %v", name, ts, v, want[ts.Unix()])
		}
	}
}
