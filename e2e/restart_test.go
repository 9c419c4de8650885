package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// TestProcessRestartResumesBackfill plays Grafana stopping the plugin in the
// middle of a cold week's backfill and starting it again: the windows loaded
// before the stop were written to memcached as they were fetched (the plugin
// keeps nothing on the server's disk), so the new process reads them from
// there and fetches only the rest, and its answer equals the export exactly.
// A further restart fetches nothing.
func TestProcessRestartResumesBackfill(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run the restart test against memcached")
	}
	// Graph's throttle, sped up: 5 requests a second, so the week takes ~15 s.
	sim, ds := simulatedTenant(t, graphsim.Options{Throttle: 5, ThrottleWindow: time.Second}, map[string]any{
		"memcachedAddresses": addr, "throttleRequests": 5, "throttleWindowSeconds": 1, "queryTimeBudgetSeconds": 2,
	})
	to := testclock.ClosedHour(t)
	from := to.Add(-7 * 24 * time.Hour)
	truth, qs, _ := hourlyTruth(t, from, to)

	first := launch(t)
	if _, err := first.QueryData(context.Background(), ds.Request(nil, qs...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the backfill goes on after the partial answer
	saved := haStats(t, first, ds)["windowsCached"]
	first.Close() // as Grafana stops a plugin
	if saved == 0 || saved >= float64(len(logTypes)*7*24) {
		t.Fatalf("unexpected windows loaded before the stop: %v; want some, not all", saved)
	}

	second := launch(t)
	ds.JSONData["queryTimeBudgetSeconds"] = 120
	resp, err := second.QueryData(context.Background(), ds.Request(nil, qs...))
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range logTypes {
		checkHourly(t, "after the restart/"+lt, resp.Responses[lt], truth[lt], from, to)
	}
	if st := haStats(t, second, ds); st["l2Hits"] < saved {
		t.Fatalf("the restarted process read %v windows from memcached; want the %v loaded before the stop", st["l2Hits"], saved)
	}
	second.Close()

	before := sim.Stats()
	third := launch(t)
	resp, err = third.QueryData(context.Background(), ds.Request(nil, qs...))
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range logTypes {
		checkHourly(t, "second restart/"+lt, resp.Responses[lt], truth[lt], from, to)
	}
	if after := sim.Stats(); after.Pages != before.Pages {
		t.Fatalf("the second restart read %d Graph pages; want 0", after.Pages-before.Pages)
	}
}
