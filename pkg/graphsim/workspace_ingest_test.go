package graphsim

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// probeStart is when the probe sign-ins start: one a second from then.
var probeStart = time.Date(2026, 1, 13, 10, 0, 0, 0, time.UTC)

// probeRecords makes n successful sign-ins of a log type, "probe-<i>", one
// a second from probeStart, none at risk.
func probeRecords(lt signin.LogType, n int) []Record {
	recs := make([]Record, n)
	for i := range recs {
		id := fmt.Sprintf("probe-%d", i)
		created := probeStart.Add(time.Duration(i) * time.Second)
		raw, _ := json.Marshal(map[string]any{"id": id, "createdDateTime": created.Format(time.RFC3339), "riskState": "none", "status": map[string]int{"errorCode": 0}})
		recs[i] = Record{Created: created, Type: lt, ID: id, JSON: raw}
	}
	return recs
}

// TestIngestionModel checks the model over 10,000 sign-ins: each row 1 to 5
// minutes after the sign-in, 513 (5.13%) re-emitted 10 to 24 minutes after
// the first row, the same on every call; workload sign-ins never twice.
func TestIngestionModel(t *testing.T) {
	recs := probeRecords(signin.Interactive, 10000)
	reemitted := 0
	for i := range recs {
		v := versionsOf(&recs[i], true, 0)
		if delay := v[0].ingested.Sub(recs[i].Created); delay < time.Minute || delay >= 5*time.Minute || v[0].earlier != (len(v) == 2) {
			t.Fatalf("%s: first row after %s (earlier %v of %d rows)", recs[i].ID, delay, v[0].earlier, len(v))
		}
		if len(v) == 2 {
			reemitted++
			// The latest row is the record as Graph serves it.
			if lag := v[1].ingested.Sub(v[0].ingested); lag < 10*time.Minute || lag >= 24*time.Minute || v[1].earlier {
				t.Fatalf("%s: update after %s (earlier %v)", recs[i].ID, lag, v[1].earlier)
			}
		}
		if again := versionsOf(&recs[i], true, 0); len(again) != len(v) || again[0] != v[0] || again[len(v)-1] != v[len(v)-1] {
			t.Fatalf("%s: %v, then %v", recs[i].ID, v, again)
		}
		if w := versionsOf(&recs[i], false, 0); len(w) != 1 || w[0].ingested != v[0].ingested || w[0].earlier {
			t.Fatalf("%s without re-emission: %v", recs[i].ID, w)
		}
	}
	if reemitted != 513 {
		t.Fatalf("%d of 10000 re-emitted; want 513", reemitted)
	}
	late := versionsOf(&recs[0], true, 20*time.Minute)
	if base := versionsOf(&recs[0], true, 0); late[0].ingested != base[0].ingested.Add(20*time.Minute) {
		t.Fatalf("late by 20m: %v; on time: %v", late, base)
	}
}

// TestReemissionsCounted: the health check counts every row, updates
// included; arg_max by Id keeps one row per sign-in, its update's where
// there is one.
func TestReemissionsCounted(t *testing.T) {
	src := newFileSource(append(probeRecords(signin.Interactive, 2000), probeRecords(signin.ServicePrincipal, 2000)...))
	e := newWorkspaceEnv(t, Options{Source: src})
	tok := e.token("contoso")
	health := e.laQuery(tok, "SigninLogs | summarize Rows = count(), Newest = max(TimeGenerated)", "")
	if got := fmt.Sprint(health.cells("Rows"), health.cells("Newest")); got != `[2108] ["2026-01-13T10:59:35.6705032Z"]` {
		t.Fatalf("SigninLogs health %s; want 2,000 sign-ins and 108 updates", got)
	}
	health = e.laQuery(tok, "AADServicePrincipalSignInLogs | summarize Rows = count(), Newest = max(TimeGenerated)", "")
	if got := fmt.Sprint(health.cells("Rows"), health.cells("Newest")); got != `[2000] ["2026-01-13T10:37:59.9285193Z"]` {
		t.Fatalf("service principal health %s; want 2,000 rows", got)
	}
	latest := e.laQuery(tok, "SigninLogs | summarize arg_max(TimeGenerated, *) by Id | project Id, RiskState", "")
	atRisk := 0
	for _, s := range latest.cells("RiskState") {
		if s == `"atRisk"` {
			atRisk++
		}
	}
	// The first rows of the 108 re-emitted sign-ins hold an earlier state;
	// the latest rows are the records, none of which is at risk.
	if n := len(latest.Tables[0].Rows); n != 2000 || atRisk != 0 {
		t.Fatalf("arg_max: %d rows, %d at risk; want 2000 and none", n, atRisk)
	}
	all, earlier := e.laQuery(tok, "SigninLogs | project Id, RiskState", ""), 0
	for _, s := range all.cells("RiskState") {
		if s == `"atRisk"` {
			earlier++
		}
	}
	if earlier != 108 {
		t.Fatalf("%d rows at risk; want the 108 first rows of re-emitted sign-ins", earlier)
	}
}
