package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// TestWarmAtStart: a datasource with warmDays loads its last days as soon as
// it starts, within Graph's throttle, so the first query over them costs no
// request; the stats resource tells the progress; a restart sharing its
// memcached finds them there and fetches nothing.
func TestWarmAtStart(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run the warm test against memcached")
	}
	sim, ds := simulatedTenant(t, graphsim.Options{Throttle: 5, ThrottleWindow: time.Second}, map[string]any{
		"memcachedAddresses": addr, "throttleRequests": 5, "throttleWindowSeconds": 1, "warmDays": 2,
	})
	end := time.Now().UTC().Truncate(time.Hour)
	start := end.Add(-48 * time.Hour)
	truth, qs, total := hourlyTruth(t, start, end)
	want := float64(total)

	first := launch(t)
	st := waitWarm(t, first, ds)
	if time.Now().UTC().Truncate(time.Hour) != end {
		t.Skip("an hour began during the test: the warmed range moved")
	}
	if st["warmWindowsTotal"] != float64(len(logTypes)*48) || st["warmWindowsFailed"] != 0 || st["warmSignIns"] != want {
		t.Fatalf("warming: %v windows of %v (%v failed), %v sign-ins; want all %d windows and the export's %v sign-ins",
			st["warmWindowsLoaded"], st["warmWindowsTotal"], st["warmWindowsFailed"], st["warmSignIns"], len(logTypes)*48, want)
	}
	before := sim.Stats()
	resp, err := first.QueryData(context.Background(), ds.Request(nil, qs...))
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range logTypes {
		checkHourly(t, "warm/"+lt, resp.Responses[lt], truth[lt], start, end)
	}
	if after := sim.Stats(); after.Pages != before.Pages {
		t.Fatalf("a query over the warmed days read %d Graph pages; want 0", after.Pages-before.Pages)
	}
	first.Close() // the process lets its writes to memcached finish as it stops

	before = sim.Stats()
	second := launch(t)
	if st := waitWarm(t, second, ds); st["warmSignIns"] != want {
		t.Fatalf("warming after the restart found %v sign-ins; want %v", st["warmSignIns"], want)
	}
	// Closed windows come from memcached. The last hour is still open for 15
	// minutes after it ends (freshnessMinutes): open windows are held in
	// memory only, so a restart then fetches each log type's once more.
	allowed := int64(0)
	if time.Now().Before(end.Add(15*time.Minute + time.Minute)) {
		allowed = int64(len(logTypes))
	}
	if after := sim.Stats(); after.Pages-before.Pages > allowed {
		t.Fatalf("warming after a restart read %d Graph pages; want %d: the closed days are in memcached", after.Pages-before.Pages, allowed)
	}
}

// waitWarm starts the datasource with its first call, a look at its stats
// (as the config editor's cache status does), and waits for its warming to
// end; it returns the stats then.
func waitWarm(t *testing.T, h *plugintest.Host, ds plugintest.Datasource) map[string]float64 {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		st := haStats(t, h, ds)
		if st["warmWindowsTotal"] > 0 && st["warmWindowsLoaded"]+st["warmWindowsFailed"] >= st["warmWindowsTotal"] {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("warming did not end in 2 minutes: %v", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
