package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

// TestHAReplicasShareMemcached plays Grafana HA: two plugin processes, as two
// Grafana replicas would run, each with a cache directory of its own, serve the
// same "graph" datasource with one memcached. The first answers a cold week
// from Graph (the simulator), exactly as the export; the second answers the
// same week exactly too, without one request to Graph: every window comes from
// memcached. Run it with a memcached, e.g.
//
//	SIGNINLENS_TEST_MEMCACHED=127.0.0.1:11211 go test ./e2e -run HA
func TestHAReplicasShareMemcached(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run the HA test against memcached")
	}
	sim, ds := simulatedTenant(t, graphsim.Options{}, map[string]any{"memcachedAddresses": addr})

	// A week of whole hours that closed long ago: every window is cacheable.
	to := testclock.ClosedHour(t)
	from := to.Add(-7 * 24 * time.Hour)
	truth, qs, _ := hourlyTruth(t, from, to)
	ask := func(name string, h *plugintest.Host) {
		t.Helper()
		resp, err := h.QueryData(context.Background(), ds.Request(nil, qs...))
		if err != nil {
			t.Fatal(err)
		}
		for _, lt := range logTypes {
			checkHourly(t, name+"/"+lt, resp.Responses[lt], truth[lt], from, to)
		}
	}

	first := launch(t)
	ask("first replica", first)
	cold := sim.Stats()
	if cold.Pages == 0 {
		t.Fatal("the first replica read no Graph pages: the week was not cold")
	}

	second := launch(t)
	ask("second replica", second)
	if warm := sim.Stats(); warm.Requests != cold.Requests || warm.Pages != cold.Pages {
		t.Fatalf("the second replica called Graph: %d requests (%d sign-in pages); want 0",
			warm.Requests-cold.Requests, warm.Pages-cold.Pages)
	}
	windows := float64(len(logTypes) * 7 * 24)
	st := haStats(t, second, ds)
	t.Logf("second replica: %v", st)
	if st["l2Hits"] != windows || st["sourceRequests"] != 0 || st["graphRequests"] != 0 {
		t.Fatalf("unexpected stats of the second replica: l2Hits %v, sourceRequests %v, graphRequests %v; want %v, 0, 0",
			st["l2Hits"], st["sourceRequests"], st["graphRequests"], windows)
	}
}

// hourlyTruth exports [from, to) of the seed-7 small tenant per log type:
// the hourly counts there (the ground truth), a query of those counts per log
// type (refID = log type), and the sign-ins in all. Each export must hold
// sign-ins, else a test would prove nothing.
func hourlyTruth(t *testing.T, from, to time.Time) (map[string]map[int64]float64, []plugintest.Query, int) {
	t.Helper()
	truth := make(map[string]map[int64]float64)
	var qs []plugintest.Query
	total := 0
	for _, lt := range logTypes {
		records := export(t, 7, "small", lt, from, to)
		if len(records) == 0 {
			t.Fatalf("%s: the export is empty; the test would prove nothing", lt)
		}
		total += len(records)
		truth[lt] = hourlyCounts(t, records, false)
		qs = append(qs, plugintest.Query{RefID: lt, JSON: map[string]any{"logType": lt, "format": "timeSeries", "metric": "count", "timeAggregate": "1h"}, From: from, To: to})
	}
	return truth, qs, total
}

// haStats reads the datasource's stats resource.
func haStats(t *testing.T, h *plugintest.Host, ds plugintest.Datasource) map[string]float64 {
	t.Helper()
	res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{
		PluginContext: ds.PluginContext(), Path: "stats", Method: http.MethodGet, URL: "stats"})
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]float64
	if err := json.Unmarshal(res.Body, &st); err != nil {
		t.Fatalf("stats: %v: %s", err, res.Body)
	}
	return st
}

// simulatedTenant starts a simulator of the small tenant (seed 7) with o's
// options and returns it with a "graph" datasource reading it, with JSON
// settings added from extra. The datasource's secret is this run's own: its
// namespace and keys derive from it, so nothing an earlier run cached is read.
func simulatedTenant(t *testing.T, o graphsim.Options, extra map[string]any) (*graphsim.Server, plugintest.Datasource) {
	t.Helper()
	secret := haRandom(t)
	o.Credentials = map[string]string{simClientID: secret}
	sim, base, ca := startSim(t, o)
	ds := graphDatasource("sim", base, ca, simClientID, map[string]string{"clientSecret": secret})
	ds.JSONData["queryTimeBudgetSeconds"] = 120 // the whole week loads within one answer
	for k, v := range extra {
		ds.JSONData[k] = v
	}
	return sim, ds
}

func haRandom(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestFleetFetchesEachClosedWindowOnce plays three Grafana replicas sharing
// one memcached, asked for the same cold week at the same moment (a
// dashboard opened on each): between them they fetch each closed window once —
// the simulator serves each sign-in of the week once — and each answers the
// week exactly. Run it with a memcached, as TestHAReplicasShareMemcached.
func TestFleetFetchesEachClosedWindowOnce(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run the fleet test against memcached")
	}
	sim, ds := simulatedTenant(t, graphsim.Options{}, map[string]any{"memcachedAddresses": addr})
	to := testclock.ClosedHour(t)
	from := to.Add(-7 * 24 * time.Hour)
	truth, qs, total := hourlyTruth(t, from, to)
	hosts := []*plugintest.Host{launch(t), launch(t), launch(t)}
	responses := make([]*backend.QueryDataResponse, len(hosts))
	errs := make([]error, len(hosts))
	var wg sync.WaitGroup
	for i, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			responses[i], errs[i] = h.QueryData(context.Background(), ds.Request(nil, qs...))
		}()
	}
	wg.Wait()
	for i := range hosts {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		for _, lt := range logTypes {
			checkHourly(t, fmt.Sprintf("replica %d/%s", i+1, lt), responses[i].Responses[lt], truth[lt], from, to)
		}
	}
	if served := sim.Stats().SignInsServed; served != int64(total) {
		t.Fatalf("the simulator served %d sign-ins to the three replicas; the week has %d: each window must be fetched once between them", served, total)
	}
	t.Logf("three replicas answered a cold week of %d sign-ins, each fetched once", total)
}
