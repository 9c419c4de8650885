package e2e

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
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
	for _, want := range []string{"signinlens-failed-per-app", "signinlens-interactive-failure-rate", "signinlens-password-spray", "signinlens-sp-credential-failures", "signinlens-high-risk-not-remediated",
		"signinlens-disabled-account-signins", "signinlens-disabled-accounts-from-ip", "signinlens-mfa-denied", "signinlens-brute-force-user-app",
		"signinlens-distributed-password-cracking", "signinlens-legacy-auth-success", "signinlens-multiple-countries", "signinlens-mfa-fatigue"} {
		if !uids[want] {
			t.Errorf("no rule %s", want)
		}
	}
}

// alertRecord is an exported sign-in with what the detections read beyond the
// dashboards' fields: the application id (distinct applications are counted
// by id) and the client app (legacy authentication).
type alertRecord struct {
	dashRecord
	AppID         string `json:"appId"`
	ClientAppUsed string `json:"clientAppUsed"`
}

// alertExports caches the alert tests' exports by their arguments.
var alertExports = struct {
	sync.Mutex
	m map[string][]alertRecord
}{m: make(map[string][]alertRecord)}

// alertExport returns the records of several log types of the small tenant of
// seed 7 created in [from, to), oldest first, each type exported once.
func alertExport(t *testing.T, from, to time.Time, quiet bool, types ...string) []alertRecord {
	t.Helper()
	var out []alertRecord
	for _, lt := range types {
		args := []string{"export", "--seed", "7", "--size", "small", "--type", lt,
			"--from", from.UTC().Format(time.RFC3339), "--to", to.UTC().Format(time.RFC3339)}
		if quiet {
			args = append(args, "--quiet")
		}
		key := strings.Join(args, " ")
		alertExports.Lock()
		recs, ok := alertExports.m[key]
		if !ok {
			recs = graphsimExport[alertRecord](t, args...)
			for i := range recs {
				recs[i].logType = lt
				var err error
				if recs[i].created, err = time.Parse(time.RFC3339Nano, recs[i].CreatedDateTime); err != nil {
					t.Fatalf("record %s: %v", recs[i].ID, err)
				}
			}
			alertExports.m[key] = recs
		}
		alertExports.Unlock()
		out = append(out, recs...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].created.Before(out[j].created) })
	return out
}

// alertWindow returns the records created in [from, to) of a time-sorted slice.
func alertWindow(recs []alertRecord, from, to time.Time) []alertRecord {
	lo := sort.Search(len(recs), func(i int) bool { return !recs[i].created.Before(from) })
	hi := sort.Search(len(recs), func(i int) bool { return !recs[i].created.Before(to) })
	return recs[lo:hi]
}

// alertLegacyClients restates the README's legacy-authentication clients
// (the Entra portal's list), lower-cased, independently of pkg/signin.
var alertLegacyClients = []string{"authenticated smtp", "autodiscover", "exchange activesync", "exchange online powershell",
	"exchange web services", "imap4", "imap", "mapi over http", "offline address book", "outlook anywhere (rpc over http)",
	"other clients", "pop3", "pop", "reporting web services", "universal outlook", "smtp"}

func alertIsLegacy(clientApp string) bool {
	return slices.Contains(alertLegacyClients, strings.ToLower(strings.TrimSpace(clientApp)))
}

// alertDistinct counts distinct values per label set, an empty value not
// counted (the group still exists, with 0).
type alertDistinct map[string]map[string]bool

func (d alertDistinct) add(key, value string) {
	if d[key] == nil {
		d[key] = map[string]bool{}
	}
	if value != "" {
		d[key][value] = true
	}
}

func (d alertDistinct) counts() map[string]float64 {
	out := map[string]float64{}
	for k, v := range d {
		out[k] = float64(len(v))
	}
	return out
}

// alertTruth computes, from exported records, the values a rule's threshold
// compares at an instant, by label set: the rule's query restated here.
func alertTruth(t *testing.T, rule alertRule, interactive, nonInteractive, sps []alertRecord, at time.Time) map[string]float64 {
	t.Helper()
	a := rule.node(t, "A")
	from, to := at.Add(-time.Duration(a.RelativeTimeRange.From)*time.Second), at.Add(-time.Duration(a.RelativeTimeRange.To)*time.Second)
	out := map[string]float64{}
	switch rule.UID {
	case "signinlens-failed-per-app": // failed interactive sign-ins per application
		for _, r := range alertWindow(interactive, from, to) {
			if isFailure(r.Status.ErrorCode) {
				out[alertKey(data.Labels{"app": r.AppDisplayName})]++
			}
		}
	case "signinlens-interactive-failure-rate": // % failed, when at least 20 sign-ins
		recs := alertWindow(interactive, from, to)
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
		users := alertDistinct{}
		for _, r := range alertWindow(interactive, from, to) {
			if r.Status.ErrorCode == 50126 && isFailure(r.Status.ErrorCode) {
				users.add(alertKey(data.Labels{"ipAddress": r.IPAddress}), r.user())
			}
		}
		out = users.counts()
	case "signinlens-sp-credential-failures": // 7000215 and 7000222 per service principal
		for _, r := range alertWindow(sps, from, to) {
			if r.Status.ErrorCode == 7000215 || r.Status.ErrorCode == 7000222 {
				out[alertKey(data.Labels{"servicePrincipal": r.ServicePrincipalName})]++
			}
		}
	case "signinlens-high-risk-not-remediated": // high-risk user sign-ins still at risk, per user
		for _, recs := range [][]alertRecord{interactive, nonInteractive} {
			for _, r := range alertWindow(recs, from, to) {
				if r.RiskLevelDuringSignIn == "high" && r.RiskState == "atRisk" {
					out[alertKey(data.Labels{"user": r.UserPrincipalName})]++
				}
			}
		}
	case "signinlens-disabled-account-signins": // applications failing with 50057, per user and address
		apps := alertDistinct{}
		for _, r := range alertWindow(interactive, from, to) {
			if r.Status.ErrorCode == 50057 {
				apps.add(alertKey(data.Labels{"user": r.UserPrincipalName, "ipAddress": r.IPAddress}), r.AppID)
			}
		}
		out = apps.counts()
	case "signinlens-disabled-accounts-from-ip": // disabled accounts B when successful accounts E < 50 and 2B >= E
		disabled, signedIn := alertDistinct{}, alertDistinct{}
		for _, r := range alertWindow(interactive, from, to) {
			switch k := alertKey(data.Labels{"ipAddress": r.IPAddress}); r.Status.ErrorCode {
			case 50057:
				disabled.add(k, r.user())
			case 0:
				signedIn.add(k, r.user())
			}
		}
		e := signedIn.counts()
		for k, b := range disabled.counts() {
			if e, ok := e[k]; ok {
				out[k] = b * alertBool(e < 50) * alertBool(b*2 >= e)
			}
		}
	case "signinlens-mfa-denied": // 500121 per user and address
		for _, r := range alertWindow(interactive, from, to) {
			if r.Status.ErrorCode == 500121 {
				out[alertKey(data.Labels{"user": r.UserPrincipalName, "ipAddress": r.IPAddress})]++
			}
		}
	case "signinlens-mfa-fatigue": // 500121 per user and address, when a success from it came after the first of them
		failures, firstFailure, lastSuccess := map[string]float64{}, map[string]time.Time{}, map[string]time.Time{}
		for _, r := range alertWindow(interactive, from, to) {
			code := r.Status.ErrorCode
			if code != 500121 && code != 0 {
				continue
			}
			k := alertKey(data.Labels{"user": r.UserPrincipalName, "ipAddress": r.IPAddress})
			failures[k] += 0 // a group of successes alone has 0
			if code == 500121 {
				failures[k]++
				if f, ok := firstFailure[k]; !ok || r.created.Before(f) {
					firstFailure[k] = r.created
				}
			} else if r.created.After(lastSuccess[k]) {
				lastSuccess[k] = r.created
			}
		}
		for k, n := range failures {
			f, failed := firstFailure[k]
			s, succeeded := lastSuccess[k]
			out[k] = n * alertBool(failed && succeeded && s.After(f))
		}
	case "signinlens-brute-force-user-app": // failed interactive sign-ins per user and application
		for _, r := range alertWindow(interactive, from, to) {
			if isFailure(r.Status.ErrorCode) {
				out[alertKey(data.Labels{"user": r.UserPrincipalName, "app": r.AppDisplayName})]++
			}
		}
	case "signinlens-distributed-password-cracking": // addresses B of a user with more than 30 password failures E
		ips, failures := alertDistinct{}, map[string]float64{}
		for _, r := range alertWindow(interactive, from, to) {
			if slices.Contains([]int{50126, 50053, 50055, 50056}, r.Status.ErrorCode) {
				k := alertKey(data.Labels{"user": r.UserPrincipalName})
				ips.add(k, r.IPAddress)
				failures[k]++
			}
		}
		for k, b := range ips.counts() {
			out[k] = b * alertBool(failures[k] > 30)
		}
	case "signinlens-legacy-auth-success": // interactive legacy-authentication successes per user and address
		for _, r := range alertWindow(interactive, from, to) {
			if r.Status.ErrorCode == 0 && alertIsLegacy(r.ClientAppUsed) {
				out[alertKey(data.Labels{"user": r.UserPrincipalName, "ipAddress": r.IPAddress})]++
			}
		}
	case "signinlens-multiple-countries": // countries of a user's successful user sign-ins
		countries := alertDistinct{}
		for _, recs := range [][]alertRecord{interactive, nonInteractive} {
			for _, r := range alertWindow(recs, from, to) {
				if r.Status.ErrorCode == 0 {
					countries.add(alertKey(data.Labels{"user": r.UserPrincipalName}), r.Location.CountryOrRegion)
				}
			}
		}
		out = countries.counts()
	default:
		t.Fatalf("rule %s: the test has no ground truth for it", rule.UID)
	}
	return out
}

// alertPlanted names the injected incidents each detection is for. The MFA
// denied rule fires on MFA fatigue too, on purpose: its pushes are denied
// (500121) before the one approved, and a denial is what that rule reports.
var alertPlanted = map[string][]synth.IncidentKind{
	"signinlens-disabled-account-signins":      {synth.DisabledAccounts},
	"signinlens-disabled-accounts-from-ip":     {synth.DisabledAccounts},
	"signinlens-mfa-denied":                    {synth.MFADenied, synth.MFAFatigue},
	"signinlens-brute-force-user-app":          {synth.BruteForce},
	"signinlens-distributed-password-cracking": {synth.DistributedCracking},
	"signinlens-legacy-auth-success":           {synth.LegacyAuth},
	"signinlens-multiple-countries":            {synth.ImpossibleTravel},
	"signinlens-mfa-fatigue":                   {synth.MFAFatigue},
}

// alertSilentOn names incidents a detection must not fire on at all, though
// they look like its own: MFA denied with no success after is not MFA fatigue.
var alertSilentOn = map[string][]synth.IncidentKind{
	"signinlens-mfa-fatigue": {synth.MFADenied},
}

// alertPlantedKeys returns the instances a detection must fire for on its
// incident: its attacker's addresses and victims, read from the incident's
// exported sign-ins.
func alertPlantedKeys(t *testing.T, uid string, inc synth.Incident, interactive []alertRecord) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	for _, r := range alertWindow(interactive, inc.Start, inc.End.Add(time.Second)) {
		if !slices.Contains(inc.IPAddresses, r.IPAddress) || !slices.Contains(inc.UserPrincipalNames, r.UserPrincipalName) {
			continue
		}
		code := r.Status.ErrorCode
		switch {
		case uid == "signinlens-disabled-account-signins" && code == 50057,
			uid == "signinlens-mfa-denied" && code == 500121,
			uid == "signinlens-legacy-auth-success" && code == 0,
			uid == "signinlens-mfa-fatigue" && code == 0:
			keys[alertKey(data.Labels{"user": r.UserPrincipalName, "ipAddress": r.IPAddress})] = true
		case uid == "signinlens-brute-force-user-app":
			keys[alertKey(data.Labels{"user": r.UserPrincipalName, "app": r.AppDisplayName})] = true
		}
	}
	switch uid {
	case "signinlens-disabled-accounts-from-ip":
		keys[alertKey(data.Labels{"ipAddress": inc.IPAddresses[0]})] = true
	case "signinlens-distributed-password-cracking", "signinlens-multiple-countries":
		keys[alertKey(data.Labels{"user": inc.UserPrincipalNames[0]})] = true
	}
	if len(keys) == 0 {
		t.Fatalf("rule %s: no planted instance in %s %+v", uid, inc.Kind, inc)
	}
	return keys
}

// TestAlertRulesAgainstGroundTruth evaluates every rule as Grafana would (FromAlert
// queries, reduce, math and threshold) every 15 minutes over the week before
// dashNow on the small tenant with its injected incidents and on the same tenant
// without them. The values each threshold compares must equal the ground truth
// from the export at every instant; the password spray rule must fire for the
// attacker's address (through its pending period) right after the spray; each
// detection modelled on a Sentinel rule must fire for its incidents' attackers
// or victims (alertPlanted: the MFA denied rule on MFA fatigue too), and for
// nothing else, through its pending period (evaluated every minute around each
// incident), and not at all around the look-alike incidents of alertSilentOn;
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
	incidents := map[synth.IncidentKind]synth.Incident{}
	for _, inc := range tenant.Incidents(weekAgo, dashNow) {
		incidents[inc.Kind] = inc
	}
	spray := incidents[synth.PasswordSpray]
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

	// The records the rules read: from a day before the first instant (the
	// longest relative range is 25 hours) to dashNow.
	exportFrom := weekAgo.Add(-25 * time.Hour)
	// The detections' instances on their incidents (all of a rule's, and each
	// incident's), and the minutes around each incident.
	planted := map[string]map[string]bool{}
	plantedBy := map[string]map[synth.IncidentKind]map[string]bool{}
	minutes := map[synth.IncidentKind][]time.Time{}
	incidentMinutes := func(uid string, kind synth.IncidentKind) {
		inc, ok := incidents[kind]
		if !ok || inc.End.Add(30*time.Minute).After(dashNow) {
			t.Fatalf("rule %s: no %s incident that ends half an hour before %s", uid, kind, dashNow)
		}
		if _, done := minutes[kind]; done {
			return
		}
		for at := inc.Start.Truncate(time.Minute); !at.After(inc.End.Add(30 * time.Minute)); at = at.Add(time.Minute) {
			minutes[kind] = append(minutes[kind], at)
		}
	}
	for uid, kinds := range alertPlanted {
		alertRuleByUID(t, rules, uid)
		planted[uid], plantedBy[uid] = map[string]bool{}, map[synth.IncidentKind]map[string]bool{}
		for _, kind := range kinds {
			incidentMinutes(uid, kind)
			plantedBy[uid][kind] = alertPlantedKeys(t, uid, incidents[kind], alertExport(t, exportFrom, dashNow, false, "interactive"))
			for k := range plantedBy[uid][kind] {
				planted[uid][k] = true
			}
		}
	}
	for uid, kinds := range alertSilentOn {
		alertRuleByUID(t, rules, uid)
		for _, kind := range kinds {
			incidentMinutes(uid, kind)
		}
	}

	for _, tc := range []struct {
		name  string
		ds    plugintest.Datasource
		quiet bool
	}{{"incidents", alertLoud, false}, {"quiet", alertQuiet, true}} {
		t.Run(tc.name, func(t *testing.T) {
			ev := alertEvaluator{h: h, ds: tc.ds}
			interactive := alertExport(t, exportFrom, dashNow, tc.quiet, "interactive")
			sps := alertExport(t, exportFrom, dashNow, tc.quiet, "servicePrincipal")
			nonInteractive := alertExport(t, exportFrom, dashNow, tc.quiet, "nonInteractive")
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
				if want, ok := planted[rule.UID]; ok && !tc.quiet {
					for k := range fired {
						if !want[k] {
							t.Errorf("rule %s: fires for %s %v; want only %s's %v", rule.UID, k, fired[k], alertPlanted[rule.UID], want)
						}
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
			// Each detection, every minute from each of its incidents' start to
			// half an hour after its end: it fires for the planted instances
			// only, each of that incident's through the rule's pending period;
			// never on the quiet tenant.
			for _, rule := range rules {
				for _, kind := range alertPlanted[rule.UID] {
					alertAroundIncident(t, ev, rule, incidents[kind], minutes[kind], planted[rule.UID], plantedBy[rule.UID][kind],
						tc.quiet, interactive, nonInteractive, sps)
				}
				// Around a look-alike incident it does not fire at all.
				for _, kind := range alertSilentOn[rule.UID] {
					alertAroundIncident(t, ev, rule, incidents[kind], minutes[kind], nil, nil, tc.quiet, interactive, nonInteractive, sps)
				}
			}
			if !tc.quiet && !t.Failed() {
				t.Logf("the spray of %d users from %s (%s - %s) fires %s through its pending period %s",
					len(spray.UserPrincipalNames), spray.IPAddresses[0], spray.Start.Format(time.TimeOnly), spray.End.Format(time.TimeOnly), sprayRule.UID, pending)
			}
		})
	}
}

// alertAroundIncident evaluates a rule at the given minutes around an
// incident: the threshold compares the ground truth; it fires for instances in
// allowed only (none on the quiet tenant), and, on the loud tenant, for each
// of want from its first firing through its pending period.
func alertAroundIncident(t *testing.T, ev alertEvaluator, rule alertRule, inc synth.Incident, minutes []time.Time, allowed, want map[string]bool,
	quiet bool, interactive, nonInteractive, sps []alertRecord) {
	t.Helper()
	rulePending, _ := time.ParseDuration(rule.For)
	firstFiring := map[string]time.Time{}
	firingAt := map[time.Time]map[string]bool{}
	for _, e := range ev.evaluate(t, rule, minutes) {
		got, truth := e.thresholdInput(t, rule), alertTruth(t, rule, interactive, nonInteractive, sps, e.at)
		if !alertSameValues(got, truth) {
			t.Fatalf("rule %s at %s: the threshold compares %v; the ground truth is %v", rule.UID, e.at.Format(time.RFC3339), got, truth)
		}
		firingAt[e.at] = e.firing(rule)
		for k := range firingAt[e.at] {
			if quiet || !allowed[k] {
				t.Errorf("rule %s at %s (%s %s - %s, quiet %v): fires for %s; want only %v on the loud tenant", rule.UID, e.at.Format(time.RFC3339),
					inc.Kind, inc.Start.Format(time.TimeOnly), inc.End.Format(time.TimeOnly), quiet, k, allowed)
			}
			if _, seen := firstFiring[k]; !seen {
				firstFiring[k] = e.at
			}
		}
	}
	if quiet {
		return
	}
	for k := range want {
		first, ok := firstFiring[k]
		if !ok {
			t.Errorf("rule %s: never fires for %s around %s %s - %s", rule.UID, k, inc.Kind, inc.Start.Format(time.RFC3339), inc.End.Format(time.TimeOnly))
			continue
		}
		for at := first; !at.After(first.Add(rulePending)); at = at.Add(time.Minute) {
			if f, evaluated := firingAt[at]; evaluated && !f[k] {
				t.Errorf("rule %s: fires for %s from %s but not at %s, within its pending period %s", rule.UID, k,
					first.Format(time.TimeOnly), at.Format(time.TimeOnly), rulePending)
			}
		}
		if last := minutes[len(minutes)-1]; first.Add(rulePending).After(last) {
			t.Errorf("rule %s: fires for %s from %s, too late to be seen through its pending period %s", rule.UID, k, first.Format(time.TimeOnly), rulePending)
		}
		t.Logf("rule %s: fires for %s from %s (%s %s - %s)", rule.UID, k, first.Format(time.TimeOnly), inc.Kind,
			inc.Start.Format("Mon 15:04:05"), inc.End.Format(time.TimeOnly))
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
