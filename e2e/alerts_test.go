package e2e

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
)

// The alert rules' tenants: the small demo tenant of seed 7 with its injected
// incidents, and the same tenant without them (jsonData demoQuiet).
var (
	alertLoud  = plugintest.Datasource{UID: "alert-small7", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}
	alertQuiet = plugintest.Datasource{UID: "alert-small7-quiet", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small", "demoQuiet": true}}
)

// TestAlertRulesFile checks the provisioning file: one Grafana-managed group in
// the folder SignInLens evaluated every minute; each rule a SignInLens query A,
// a reduce B of A, a threshold C as the condition, labels, annotations for
// on-call, a pending period, noData OK, exec errors as Error, no forced contact point.
func TestAlertRulesFile(t *testing.T) {
	f := alertLoad(t)
	if f.APIVersion != 1 || len(f.Groups) != 1 {
		t.Fatalf("apiVersion %d with %d groups; want 1 and one group", f.APIVersion, len(f.Groups))
	}
	g := f.Groups[0]
	if g.Folder != "SignInLens" || g.Interval != "1m" || g.Name == "" || g.OrgID != 1 {
		t.Fatalf("group %q in folder %q every %q (org %d); want folder SignInLens, interval 1m, org 1", g.Name, g.Folder, g.Interval, g.OrgID)
	}
	uids := map[string]bool{}
	for _, r := range g.Rules {
		if r.UID == "" || uids[r.UID] || r.Title == "" {
			t.Errorf("rule %q (%q): a unique uid and a title are required", r.UID, r.Title)
		}
		uids[r.UID] = true
		a, b, c := r.node(t, "A"), r.node(t, "B"), r.node(t, r.Condition)
		if a.DatasourceUID != "signinlens-demo" || a.RelativeTimeRange.From <= a.RelativeTimeRange.To {
			t.Errorf("rule %s: A reads %q over %+v; want signinlens-demo over a relative range", r.UID, a.DatasourceUID, a.RelativeTimeRange)
		}
		if b.DatasourceUID != "__expr__" || b.Model["type"] != "reduce" || b.Model["expression"] != "A" ||
			!slices.Contains([]any{"last", "sum"}, b.Model["reducer"]) {
			t.Errorf("rule %s: B is %v; want a reduce (last or sum) of A", r.UID, b.Model)
		}
		if r.Condition != "C" || c.DatasourceUID != "__expr__" || c.Model["type"] != "threshold" {
			t.Errorf("rule %s: the condition %s is %v; want the threshold C", r.UID, r.Condition, c.Model)
		}
		for _, q := range r.Data {
			if q.Model["refId"] != q.RefID {
				t.Errorf("rule %s: node %s has the model refId %v", r.UID, q.RefID, q.Model["refId"])
			}
			if q.DatasourceUID == "__expr__" {
				continue
			}
			gb, _ := q.Model["groupBy"].([]any)
			if q.Model["format"] == "table" && len(gb) > 0 && q.Model["limit"] != float64(10000) {
				t.Errorf("rule %s: %s groups without limit 10000: groups past the limit would be folded into one \"other\" instance", r.UID, q.RefID)
			}
		}
		pending, err := time.ParseDuration(r.For)
		if err != nil || pending < time.Minute || pending > 30*time.Minute {
			t.Errorf("rule %s: for %q; want a pending period from 1m to 30m", r.UID, r.For)
		}
		if r.NoDataState != "OK" || r.ExecErrState != "Error" || r.IsPaused || r.NotificationSettings != nil {
			t.Errorf("rule %s: noDataState %q, execErrState %q, paused %v, notification_settings %s; want OK, Error, active, none",
				r.UID, r.NoDataState, r.ExecErrState, r.IsPaused, r.NotificationSettings)
		}
		if !slices.Contains([]string{"info", "warning", "critical"}, r.Labels["severity"]) || r.Labels["team"] != "security" {
			t.Errorf("rule %s: labels %v; want severity and team: security", r.UID, r.Labels)
		}
		if len(r.Annotations["summary"]) < 20 || len(r.Annotations["description"]) < 100 {
			t.Errorf("rule %s: the summary and the description must tell on-call what happened and what to look at", r.UID)
		}
	}
	for _, want := range []string{"signinlens-failed-per-app", "signinlens-interactive-failure-rate", "signinlens-password-spray", "signinlens-sp-credential-failures", "signinlens-high-risk-not-remediated"} {
		if !uids[want] {
			t.Errorf("no rule %s", want)
		}
	}
}

// alertTruth computes, from exported records, the values a rule's threshold
// compares at an instant, by label set: the rule's query restated here.
func alertTruth(t *testing.T, rule alertRule, interactive, nonInteractive, sps []dashRecord, at time.Time) map[string]float64 {
	t.Helper()
	a := rule.node(t, "A")
	from, to := at.Add(-time.Duration(a.RelativeTimeRange.From)*time.Second), at.Add(-time.Duration(a.RelativeTimeRange.To)*time.Second)
	out := map[string]float64{}
	switch rule.UID {
	case "signinlens-failed-per-app": // failed interactive sign-ins per application
		for _, r := range dashWindow(interactive, from, to) {
			if isFailure(r.Status.ErrorCode) {
				out[alertKey(data.Labels{"app": r.AppDisplayName})]++
			}
		}
	case "signinlens-interactive-failure-rate": // % failed, when at least 20 sign-ins
		recs := dashWindow(interactive, from, to)
		var failed float64
		for _, r := range recs {
			if isFailure(r.Status.ErrorCode) {
				failed++
			}
		}
		rate := 0.0
		if len(recs) >= 20 {
			rate = 100 * failed / float64(len(recs))
		}
		out["{}"] = rate
	case "signinlens-password-spray": // distinct users failing with 50126 per IP address
		users := map[string]map[string]bool{}
		for _, r := range dashWindow(interactive, from, to) {
			if r.Status.ErrorCode == 50126 && isFailure(r.Status.ErrorCode) {
				if users[r.IPAddress] == nil {
					users[r.IPAddress] = map[string]bool{}
				}
				users[r.IPAddress][r.user()] = true
			}
		}
		for ip, u := range users {
			out[alertKey(data.Labels{"ipAddress": ip})] = float64(len(u))
		}
	case "signinlens-sp-credential-failures": // 7000215 and 7000222 per service principal
		for _, r := range dashWindow(sps, from, to) {
			if r.Status.ErrorCode == 7000215 || r.Status.ErrorCode == 7000222 {
				out[alertKey(data.Labels{"servicePrincipal": r.ServicePrincipalName})]++
			}
		}
	case "signinlens-high-risk-not-remediated": // high-risk user sign-ins still at risk, per user
		for _, recs := range [][]dashRecord{interactive, nonInteractive} {
			for _, r := range dashWindow(recs, from, to) {
				if r.RiskLevelDuringSignIn == "high" && r.RiskState == "atRisk" {
					out[alertKey(data.Labels{"user": r.UserPrincipalName})]++
				}
			}
		}
	default:
		t.Fatalf("rule %s: the test has no ground truth for it", rule.UID)
	}
	return out
}

// TestAlertRulesAgainstGroundTruth evaluates every rule as Grafana would (FromAlert
// queries, reduce, math and threshold) every 15 minutes over the week before
// dashNow on the small tenant with its injected incidents and on the same tenant
// without them. The values each threshold compares must equal the ground truth
// from the export at every instant; the password spray rule must fire for the
// attacker's address (through its pending period) right after the spray, and
// nothing may fire on the quiet tenant.
func TestAlertRulesAgainstGroundTruth(t *testing.T) {
	h, err := plugintest.Launch(pluginBin, serverEnv(t), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	rules := alertLoad(t).rules()

	var instants []time.Time
	weekAgo := dashNow.Add(-7 * 24 * time.Hour)
	for at := weekAgo.Add(15 * time.Minute); !at.After(dashNow); at = at.Add(15 * time.Minute) {
		instants = append(instants, at)
	}
	tenant, err := synth.New(7, "small")
	if err != nil {
		t.Fatal(err)
	}
	var spray synth.Incident
	for _, inc := range tenant.Incidents(weekAgo, dashNow) {
		if inc.Kind == synth.PasswordSpray {
			spray = inc
		}
	}
	if spray.SignIns == 0 || len(spray.IPAddresses) != 1 {
		t.Fatalf("no password spray in the week before %s", dashNow)
	}
	// Right after the spray, with the pending period: evaluations a minute apart.
	sprayRule := alertRuleByUID(t, rules, "signinlens-password-spray")
	pending, _ := time.ParseDuration(sprayRule.For)
	after := spray.End.Truncate(time.Minute).Add(time.Minute)
	var pendingInstants []time.Time
	for at := after.Add(-pending); !at.After(after); at = at.Add(time.Minute) {
		pendingInstants = append(pendingInstants, at)
	}

	for _, tc := range []struct {
		name  string
		ds    plugintest.Datasource
		quiet bool
	}{{"incidents", alertLoud, false}, {"quiet", alertQuiet, true}} {
		t.Run(tc.name, func(t *testing.T) {
			ev := alertEvaluator{h: h, ds: tc.ds}
			from := weekAgo.Add(-time.Hour)
			interactive := dashExportTypes(t, from, dashNow, tc.quiet, "interactive")
			sps := dashExportTypes(t, from, dashNow, tc.quiet, "servicePrincipal")
			nonInteractive := dashExportTypes(t, from, dashNow, tc.quiet, "nonInteractive")
			for _, rule := range rules {
				evals := ev.evaluate(t, rule, instants)
				fired := map[string][]string{}
				for _, e := range evals {
					got, want := e.thresholdInput(t, rule), alertTruth(t, rule, interactive, nonInteractive, sps, e.at)
					if !alertSameValues(got, want) {
						t.Fatalf("rule %s at %s: the threshold compares %v; the ground truth is %v", rule.UID, e.at.Format(time.RFC3339), got, want)
					}
					for k := range e.firing(rule) {
						fired[k] = append(fired[k], e.at.Format("Mon 15:04"))
					}
				}
				t.Logf("rule %s: %d evaluations equal the ground truth; firing: %v", rule.UID, len(evals), fired)
				if tc.quiet && len(fired) > 0 {
					t.Errorf("rule %s fires on the quiet tenant: %v", rule.UID, fired)
				}
				if rule.UID == "signinlens-high-risk-not-remediated" && !tc.quiet && len(fired) == 0 {
					t.Errorf("rule %s: fired for nobody; want the user of the injected high-risk sign-in", rule.UID)
				}
				if rule.UID == sprayRule.UID && !tc.quiet {
					sprayKey := alertKey(data.Labels{"ipAddress": spray.IPAddresses[0]})
					if len(fired) != 1 || len(fired[sprayKey]) == 0 {
						t.Errorf("rule %s: fired %v; want the spray address %s only", rule.UID, fired, spray.IPAddresses[0])
					}
				}
			}
			// Through the pending period right after the spray.
			for _, rule := range rules {
				evals := ev.evaluate(t, rule, pendingInstants)
				for _, e := range evals {
					firing := e.firing(rule)
					switch {
					case tc.quiet && len(firing) > 0:
						t.Errorf("rule %s fires on the quiet tenant at %s: %v", rule.UID, e.at.Format(time.RFC3339), firing)
					case !tc.quiet && rule.UID == sprayRule.UID:
						want := map[string]bool{alertKey(data.Labels{"ipAddress": spray.IPAddresses[0]}): true}
						if fmt.Sprint(firing) != fmt.Sprint(want) {
							t.Errorf("rule %s at %s (spray %s - %s): firing %v; want %v", rule.UID, e.at.Format(time.RFC3339),
								spray.Start.Format(time.TimeOnly), spray.End.Format(time.TimeOnly), firing, want)
						}
					}
				}
			}
			if !tc.quiet && !t.Failed() {
				t.Logf("the spray of %d users from %s (%s - %s) fires %s through its pending period %s",
					len(spray.UserPrincipalNames), spray.IPAddresses[0], spray.Start.Format(time.TimeOnly), spray.End.Format(time.TimeOnly), sprayRule.UID, pending)
			}
		})
	}
}

func alertRuleByUID(t *testing.T, rules []alertRule, uid string) alertRule {
	t.Helper()
	for _, r := range rules {
		if r.UID == uid {
			return r
		}
	}
	t.Fatalf("no rule %s", uid)
	return alertRule{}
}

// alertSameValues compares two label-keyed value sets (rates to 1e-9).
func alertSameValues(got, want map[string]float64) bool {
	if len(got) != len(want) {
		return false
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok || math.Abs(g-w) > 1e-9 {
			return false
		}
	}
	return true
}
