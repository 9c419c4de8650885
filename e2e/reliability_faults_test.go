package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
)

const simSecret = "e2e~reliability.Secret_0123456789"

// TestFaultyGraphCountsMatchExport runs the whole plugin — client, store and
// engine — against a Graph that throttles, fails, cuts pages, expires skip
// tokens, revokes the token and serves sign-ins twice, and checks that the
// hourly counts of yesterday still equal the export for three log types. The
// faults cost about 7 s of real retry waits (the plugin's client sleeps).
func TestFaultyGraphCountsMatchExport(t *testing.T) {
	st := graphsim.FaultStatus
	// Each rule fires once, on the first multiple of its Every that no rule
	// before it took: the plugin fetches log types concurrently, so which
	// request is which varies, but every fault gets its turn.
	once := func(kind graphsim.FaultKind, status, every int) graphsim.FaultRule {
		r := graphsim.FaultRule{Kind: kind, Status: status, Every: every, Times: 1}
		if status == 429 || status == 503 {
			r.RetryAfter = 1
		}
		return r
	}
	faults := graphsim.Faults{Rules: []graphsim.FaultRule{
		once(graphsim.FaultBadSkipToken, 0, 1),
		once(st, 429, 2), once(st, 503, 3), once(graphsim.FaultTruncate, 0, 4), once(graphsim.FaultRevokeToken, 0, 5),
		once(graphsim.FaultTruncateJSON, 0, 6), once(st, 502, 7), once(graphsim.FaultReset, 0, 8),
		{Kind: graphsim.FaultDuplicate, Every: 2},
	}}
	srv, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}, Faults: faults})
	h := launch(t)
	ds := graphDatasource("faulty", base, ca, simClientID, map[string]string{"clientSecret": simSecret})
	from, to := testclock.Workday(t)
	types := []string{"nonInteractive", "servicePrincipal", "managedIdentity"}
	var qs []plugintest.Query
	for _, lt := range types {
		qs = append(qs, plugintest.Query{RefID: lt, JSON: map[string]any{"logType": lt, "metric": "count", "timeAggregate": "1h"}, From: from, To: to})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	resp, err := h.QueryData(ctx, ds.Request(nil, qs...))
	if err != nil {
		t.Fatal(err)
	}
	for _, lt := range types {
		checkHourly(t, lt, resp.Responses[lt], hourlyCounts(t, export(t, 7, "small", lt, from, to), false), from, to)
	}
	fired := make(map[int]int)
	for _, in := range srv.Injections() {
		fired[in.Rule]++
	}
	t.Logf("injections per rule: %v", fired)
	for i, r := range faults.Rules {
		if fired[i] == 0 {
			t.Fatalf("rule %d (%s %d) never fired: the plugin made too few requests for the test to prove it", i, r.Kind, r.Status)
		}
	}
}

// TestFailedFetchIsNotKept makes one Graph request fail for good (403 is not
// retried) while a day is fetched: the query must fail, or — if something
// retries — be exact; it must never show partial counts. A second query, with
// Graph healthy again, must be exact: a failed fetch is never kept as if it
// were complete.
func TestFailedFetchIsNotKept(t *testing.T) {
	faults := graphsim.Faults{Rules: []graphsim.FaultRule{{Kind: graphsim.FaultStatus, Status: 403, Nth: 3}}}
	srv, base, ca := startSim(t, graphsim.Options{Credentials: map[string]string{simClientID: simSecret}, Faults: faults})
	h := launch(t)
	ds := graphDatasource("failing-once", base, ca, simClientID, map[string]string{"clientSecret": simSecret})
	from, to := testclock.Workday(t)
	want := hourlyCounts(t, export(t, 7, "small", "nonInteractive", from, to), false)
	query := plugintest.Query{RefID: "A", JSON: map[string]any{"logType": "nonInteractive", "metric": "count", "timeAggregate": "1h"}, From: from, To: to}

	resp, err := h.QueryData(context.Background(), ds.Request(nil, query))
	if err != nil {
		t.Fatal(err)
	}
	if dr := resp.Responses["A"]; dr.Error != nil {
		t.Logf("first query failed as it should: %v", dr.Error)
	} else {
		checkHourly(t, "first query", dr, want, from, to)
	}
	if n := len(srv.Injections()); n != 1 {
		t.Fatalf("%d faults injected; want 1 (the plugin made fewer than 3 requests?)", n)
	}
	resp, err = h.QueryData(context.Background(), ds.Request(nil, query))
	if err != nil {
		t.Fatal(err)
	}
	checkHourly(t, "second query", resp.Responses["A"], want, from, to)
}
