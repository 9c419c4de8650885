package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/plugintest"
)

// TestHAReplicasShareMemcached plays Grafana HA: two plugin processes, as two
// Grafana replicas would run, each with a cache directory of its own, serve the
// same "graph" datasource with one memcached. The first answers a cold week
// from Graph (the simulator), exactly as the export; the second answers the
// same week exactly too, without one request to Graph: every window comes from
// memcached. Run it with a memcached, e.g.
//
//	SIGNINLENS_TEST_MEMCACHED=127.0.0.1:11211 go test ./pkg/e2e -run HA
func TestHAReplicasShareMemcached(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run the HA test against memcached")
	}
	sim, ds := simulatedTenant(t, graphsim.Options{}, map[string]any{"memcachedAddresses": addr})

	// A week of whole hours that closed long ago: every window is cacheable.
	to := time.Now().UTC().Add(-time.Hour).Truncate(time.Hour)
	from := to.Add(-7 * 24 * time.Hour)
	truth := make(map[string]map[int64]float64)
	var qs []plugintest.Query
	for _, lt := range logTypes {
		records := export(t, 7, "small", lt, from, to)
		if len(records) == 0 {
			t.Fatalf("%s: the export is empty; the test would prove nothing", lt)
		}
		truth[lt] = hourlyCounts(t, records, false)
		qs = append(qs, plugintest.Query{RefID: lt, JSON: map[string]any{"logType": lt, "format": "timeSeries", "metric": "count", "timeAggregate": "1h"}, From: from, To: to})
	}
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
	const tenantID, clientID = "11111111-2222-4333-8444-555555555555", "signinlens-e2e"
	tenant, err := synth.New(7, "small")
	if err != nil {
		t.Fatal(err)
	}
	o.Source, o.Credentials = graphsim.TenantSource(tenant), map[string]string{clientID: secret}
	sim, err := graphsim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	base, err := sim.Start("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	ds := plugintest.Datasource{UID: "sim", JSONData: map[string]any{
		"source": "graph", "tenantId": tenantID, "clientId": clientID, "authType": "clientSecret",
		"graphEndpoint": base, "authorityHost": base,
		// The simulator does not throttle unless asked; Graph's budget would
		// only slow the cold week down, and the whole week must load within one answer.
		"throttleRequests": 10000, "throttleWindowSeconds": 1, "queryTimeBudgetSeconds": 120,
	}, Secure: map[string]string{"clientSecret": secret, "tlsCACert": string(sim.CACertPEM())}}
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
