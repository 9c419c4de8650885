package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/plugintest"
)

// TestDemoThrottledWeek queries 7 days with Graph's throttle on (5 requests per
// 10 s): the client must wait out the 429s, and every query must still equal the
// export. The non-interactive log is left out: its ~45 pages alone would take
// 90 s of throttle time, and it adds nothing the other three do not prove.
func TestDemoThrottledWeek(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 30 s of Graph throttle time")
	}
	h := launch(t)
	ds := plugintest.Datasource{UID: "throttled", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small", "demoThrottle": true}}
	to := time.Now().UTC().Truncate(24 * time.Hour)
	from := to.Add(-7 * 24 * time.Hour)
	types := []string{"interactive", "servicePrincipal", "managedIdentity"}
	var qs []plugintest.Query
	for _, lt := range types {
		qs = append(qs, plugintest.Query{RefID: lt, JSON: map[string]any{"logType": lt, "metric": "count", "timeAggregate": "1h"}, From: from, To: to})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	resp, err := h.QueryData(ctx, ds.Request(nil, qs...))
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range types {
		checkHourly(t, lt, resp.Responses[lt], hourlyCounts(t, export(t, 7, "small", lt, from, to), false), from, to)
	}
}
