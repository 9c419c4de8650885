package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// remediatedSource is a tenant with three interactive sign-ins an hour of
// one user, and in the hour that began three hours ago one more: rated high
// risk and left at risk, until the test remediates it — hours after its
// hour closed, as an admin or a password reset would. Graph then serves its
// new version and the workspace re-emits it.
type remediatedSource struct {
	risky time.Time // when the risky sign-in happened

	mu         sync.Mutex
	remediated time.Time // zero until remediate
}

const remediatedRiskyID = "risky-0001"

func (s *remediatedSource) remediate(at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remediated = at
}

func (s *remediatedSource) Hour(lt signin.LogType, hour time.Time) ([]graphsim.Record, error) {
	if lt != signin.Interactive {
		return nil, nil
	}
	var recs []graphsim.Record
	for _, m := range []int{50, 30, 10} { // newest first, as every Source
		r, err := remediatedRecord(fmt.Sprintf("ordinary-%d-%d", hour.Unix(), m), hour.Add(time.Duration(m)*time.Minute), "none", "none", "none")
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	if hour.Equal(s.risky.Truncate(time.Hour)) {
		r, err := remediatedRecord(remediatedRiskyID, s.risky, "high", "atRisk", "none")
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		at := s.remediated
		s.mu.Unlock()
		if !at.IsZero() {
			revised, err := remediatedJSON(r.ID, r.Created, "high", "remediated", "userPerformedSecuredPasswordReset")
			if err != nil {
				return nil, err
			}
			if err := r.Revise(at, revised); err != nil {
				return nil, err
			}
		}
		recs = append(recs, r)
		slices.SortFunc(recs, func(a, b graphsim.Record) int { return b.Created.Compare(a.Created) })
	}
	return recs, nil
}

func remediatedRecord(id string, created time.Time, level, state, detail string) (graphsim.Record, error) {
	raw, err := remediatedJSON(id, created, level, state, detail)
	return graphsim.Record{Created: created, Type: signin.Interactive, ID: id, AppID: "app-1", AppDisplayName: "Office Home",
		UserID: "user-1", UserPrincipalName: "adele@contoso.example", JSON: raw, RiskState: state}, err
}

func remediatedJSON(id string, created time.Time, level, state, detail string) ([]byte, error) {
	return json.Marshal(map[string]any{
		"id": id, "createdDateTime": created.Format(time.RFC3339Nano), "appId": "app-1", "appDisplayName": "Office Home",
		"userId": "user-1", "userPrincipalName": "adele@contoso.example", "signInEventTypes": []string{"interactiveUser"},
		"isInteractive": true, "ipAddress": "203.0.113.7", "status": map[string]any{"errorCode": 0},
		"riskLevelDuringSignIn": level, "riskLevelAggregated": level, "riskState": state, "riskDetail": detail,
	})
}

// TestRemediatedSignInIsRevalidated: a sign-in remediated after its hour
// closed shows remediated within the revalidation period, counted once, and
// the high-risk rule's query clears — through Graph and through a workspace
// (the store, and push-down), each from the built binary.
func TestRemediatedSignInIsRevalidated(t *testing.T) {
	h, err := plugintest.Launch(pluginBin, serverEnv(t), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	for _, tc := range []struct {
		name     string
		pushDown string // "" for Graph
	}{{"graph", ""}, {"workspace", "never"}, {"push-down", "always"}} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Now().UTC()
			src := &remediatedSource{risky: now.Add(-3 * time.Hour).Truncate(time.Hour).Add(20 * time.Minute)}
			_, base, caPEM := startSim(t, graphsim.Options{Source: src})
			ds := graphDatasource("revalidate-"+tc.name, base, caPEM, simClientID, map[string]string{"clientSecret": simSecret})
			if tc.pushDown != "" {
				ds = workspaceDatasource("revalidate-"+tc.name, base, caPEM)
				ds.JSONData["pushDown"] = tc.pushDown
			}
			ds.JSONData["revalidateEverySeconds"] = 5
			ds.JSONData["warmDays"] = 0
			// The high-risk rule's query (provisioning/alerting), and the
			// sign-ins by risk state over the same range.
			rule := plugintest.Query{RefID: "rule", From: now.Add(-25 * time.Hour), To: now.Add(-time.Hour), JSON: map[string]any{
				"logType": "all", "format": "table", "metric": "count", "groupBy": []string{"user"},
				"filters": []map[string]any{{"key": "logType", "op": "in", "value": "interactive,nonInteractive"},
					{"key": "riskLevel", "op": "=", "value": "high"}, {"key": "riskState", "op": "=", "value": "atRisk"}}}}
			states := plugintest.Query{RefID: "states", From: rule.From, To: rule.To, JSON: map[string]any{
				"logType": "interactive", "format": "table", "metric": "count", "groupBy": []string{"riskState"}}}
			ordinary := float64(3 * 24)
			ask := func() (map[string]float64, map[string]float64) {
				return revalidateAnswer(t, h, ds, rule, tc.pushDown == "always"), revalidateAnswer(t, h, ds, states, tc.pushDown == "always")
			}
			firing, byState := ask()
			if fmt.Sprint(firing) != "map[adele@contoso.example:1]" || fmt.Sprint(byState) != fmt.Sprint(map[string]float64{"atRisk": 1, "none": ordinary}) {
				t.Fatalf("before the remediation: rule %v, by state %v", firing, byState)
			}
			// Remediated now, three hours after the sign-in (the workspace
			// ingests the update minutes after it happened: ten minutes ago
			// is as good as now for it).
			src.remediate(time.Now().Add(-10 * time.Minute))
			want := fmt.Sprint(map[string]float64{"remediated": 1, "none": ordinary})
			deadline := time.Now().Add(60 * time.Second)
			for {
				firing, byState = ask()
				if len(firing) == 0 && fmt.Sprint(byState) == want {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("a minute after the remediation (revalidateEverySeconds 5): rule %v, by state %v; want no instance and %s",
						firing, byState, want)
				}
				time.Sleep(500 * time.Millisecond)
			}
		})
	}
}

// revalidateAnswer runs a one-dimension table query; pushed says it must
// have been computed in the workspace.
func revalidateAnswer(t *testing.T, h *plugintest.Host, ds plugintest.Datasource, q plugintest.Query, pushed bool) map[string]float64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), dashRequestTimeout)
	defer cancel()
	resp, err := h.QueryData(ctx, ds.Request(nil, q))
	if err != nil {
		t.Fatal(err)
	}
	dr := resp.Responses[q.RefID]
	if dr.Error != nil {
		t.Fatalf("%s: %v", q.RefID, dr.Error)
	}
	got := map[string]float64{}
	var notices []string
	for _, f := range dr.Frames {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				notices = append(notices, n.Text)
			}
		}
		if len(f.Fields) < 2 {
			continue
		}
		for row := 0; row < f.Rows(); row++ {
			if v, ok := f.Fields[1].At(row).(float64); ok {
				got[fmt.Sprint(f.Fields[0].At(row))] = v
			}
		}
	}
	if pushed && !slices.ContainsFunc(notices, func(n string) bool { return strings.HasPrefix(n, pushedNotice) }) {
		t.Fatalf("%s: notices %q; want it computed in the workspace", q.RefID, notices)
	}
	return got
}
