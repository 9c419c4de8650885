package loganalytics

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// projectGolden is the project line every sign-in query ends with
// (docs/log-analytics.md, "Columns used").
const projectGolden = `| project Id, CreatedDateTime, TimeGenerated, UserId = column_ifexists("UserId", ""), UserPrincipalName = column_ifexists("UserPrincipalName", ""), UserDisplayName = column_ifexists("UserDisplayName", ""), UserType = column_ifexists("UserType", ""), AppId = column_ifexists("AppId", ""), AppDisplayName = column_ifexists("AppDisplayName", ""), ResourceIdentity = column_ifexists("ResourceIdentity", ""), ResourceDisplayName = column_ifexists("ResourceDisplayName", ""), ServicePrincipalId = column_ifexists("ServicePrincipalId", ""), ServicePrincipalName = column_ifexists("ServicePrincipalName", ""), IPAddress = column_ifexists("IPAddress", ""), ResultType = column_ifexists("ResultType", ""), ResultDescription = column_ifexists("ResultDescription", ""), Status = column_ifexists("Status", ""), ClientAppUsed = column_ifexists("ClientAppUsed", ""), DeviceDetail = column_ifexists("DeviceDetail", ""), Location = column_ifexists("Location", ""), LocationDetails = column_ifexists("LocationDetails", ""), ConditionalAccessStatus = column_ifexists("ConditionalAccessStatus", ""), AuthenticationRequirement = column_ifexists("AuthenticationRequirement", ""), RiskLevelDuringSignIn = column_ifexists("RiskLevelDuringSignIn", ""), ClientCredentialType = column_ifexists("ClientCredentialType", ""), TokenIssuerType = column_ifexists("TokenIssuerType", ""), CrossTenantAccessType = column_ifexists("CrossTenantAccessType", ""), ManagedServiceIdentity = column_ifexists("ManagedServiceIdentity", ""), AuthenticationDetails = column_ifexists("AuthenticationDetails", ""), MfaDetail = column_ifexists("MfaDetail", ""), ServicePrincipalCredentialKeyId = column_ifexists("ServicePrincipalCredentialKeyId", ""), ServicePrincipalCredentialThumbprint = column_ifexists("ServicePrincipalCredentialThumbprint", ""), RiskState = column_ifexists("RiskState", ""), RiskDetail = column_ifexists("RiskDetail", ""), RiskLevelAggregated = column_ifexists("RiskLevelAggregated", ""), RiskEventTypes_V2 = column_ifexists("RiskEventTypes_V2", ""), IncomingTokenType = column_ifexists("IncomingTokenType", ""), AuthenticationProtocol = column_ifexists("AuthenticationProtocol", ""), TokenIssuerName = column_ifexists("TokenIssuerName", ""), IsThroughGlobalSecureAccess = column_ifexists("IsThroughGlobalSecureAccess", "")`

var goldenQueries = map[signin.LogType]string{
	signin.Interactive: "SigninLogs\n" +
		"| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)\n" +
		"| summarize arg_max(TimeGenerated, *) by Id\n" + projectGolden,
	signin.NonInteractive: "AADNonInteractiveUserSignInLogs\n" +
		"| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)\n" +
		"| summarize arg_max(TimeGenerated, *) by Id\n" + projectGolden,
	signin.ServicePrincipal: "AADServicePrincipalSignInLogs\n" +
		"| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)\n" +
		"| summarize arg_max(TimeGenerated, *) by Id\n" + projectGolden,
	signin.ManagedIdentity: "AADManagedIdentitySignInLogs\n" +
		"| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)\n" +
		"| summarize arg_max(TimeGenerated, *) by Id\n" + projectGolden,
}

var (
	winFrom = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	winTo   = time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
)

func TestSignInQueryGolden(t *testing.T) {
	for lt, want := range goldenQueries {
		got, err := SignInQuery(lt, winFrom, winTo)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s:\n got %q\nwant %q", lt, got, want)
		}
	}
	if _, err := SignInQuery(signin.LogType(9), winFrom, winTo); err == nil {
		t.Error("unknown log type accepted")
	}
}

// TestRequestAsSent checks what goes on the wire for each log type: the
// path, the golden query, the timespan (from / to + allowance), the bearer
// token and its scope, the Prefer header.
func TestRequestAsSent(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeResult(w, []column{{"Id", "string"}, {"CreatedDateTime", "datetime"}, {"TimeGenerated", "datetime"}}, nil, false)
	})
	for _, lt := range signin.LogTypes {
		if _, _, err := list(context.Background(), env.c, lt, winFrom, winTo); err != nil {
			t.Fatalf("%s: %v", lt, err)
		}
	}
	reqs := env.fw.requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4", len(reqs))
	}
	for i, lt := range signin.LogTypes {
		r := reqs[i]
		if r.Method != http.MethodPost || r.Path != "/v1/workspaces/"+testWorkspace+"/query" {
			t.Errorf("%s: %s %s", lt, r.Method, r.Path)
		}
		if r.Query != goldenQueries[lt] {
			t.Errorf("%s: query\n got %q\nwant %q", lt, r.Query, goldenQueries[lt])
		}
		if want := "2026-03-02T00:00:00Z/2026-03-02T06:30:00Z"; r.Timespan != want {
			t.Errorf("%s: timespan %q, want %q", lt, r.Timespan, want)
		}
		if r.Auth != "Bearer "+testToken {
			t.Errorf("%s: Authorization %q", lt, r.Auth)
		}
		if r.Prefer != "wait=115" {
			t.Errorf("%s: Prefer %q, want wait=115", lt, r.Prefer)
		}
	}
	env.cred.mu.Lock()
	defer env.cred.mu.Unlock()
	for _, s := range env.cred.scopes {
		if s != env.fw.srv.URL+"/.default" {
			t.Errorf("token scope %q, want the endpoint's origin %q", s, env.fw.srv.URL+"/.default")
		}
	}
}

// TestSubSecondRange: the literals are whole seconds, the range widened to
// them, and the sign-ins outside the asked range dropped.
func TestSubSecondRange(t *testing.T) {
	from := winFrom.Add(1500 * time.Millisecond)
	to := winFrom.Add(time.Hour + 250*time.Millisecond)
	data := &workspaceData{columns: map[string]map[string]bool{"SigninLogs": columnSet("CreatedDateTime")}}
	for i, at := range []time.Time{winFrom.Add(time.Second), from, winFrom.Add(time.Minute), to, winFrom.Add(time.Hour)} {
		data.rows = map[string][]row{"SigninLogs": append(data.rows["SigninLogs"], row{
			"Id": string(rune('a' + i)), "CreatedDateTime": at.Format(time.RFC3339Nano), "TimeGenerated": at.Add(time.Minute).Format(time.RFC3339Nano)})}
	}
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	got, _, err := list(context.Background(), env.c, signin.Interactive, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if ids := idsOf(got); ids != "e,c,b" {
		t.Errorf("ids %s, want e,c,b (newest first, within [from, to))", ids)
	}
	q := env.fw.requests()[0].Query
	if !strings.Contains(q, "datetime(2026-03-02T00:00:01Z) and CreatedDateTime < datetime(2026-03-02T01:00:01Z)") {
		t.Errorf("query %q", q)
	}
}

func TestTimespanCappedAtNow(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeResult(w, []column{{"Id", "string"}, {"CreatedDateTime", "datetime"}, {"TimeGenerated", "datetime"}}, nil, false)
	})
	from, to := testNow.Add(-30*time.Minute), testNow.Add(30*time.Minute)
	if _, _, err := list(context.Background(), env.c, signin.Interactive, from, to); err != nil {
		t.Fatal(err)
	}
	if got, want := env.fw.requests()[0].Timespan, "2026-03-10T11:30:00Z/2026-03-10T12:01:00Z"; got != want {
		t.Errorf("timespan %q, want %q (now plus a minute of clock skew)", got, want)
	}
}

func TestHealthQueryGolden(t *testing.T) {
	got, _ := healthQuery(signin.ManagedIdentity)
	if want := "AADManagedIdentitySignInLogs\n| summarize Rows = count(), Newest = max(TimeGenerated)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func idsOf(events []signin.Event) string {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return strings.Join(ids, ",")
}

// TestListChangedAsSent: the listing's query with one more where, keeping
// the rows ingested more than the allowance after their sign-in, over a
// timespan that reaches to now (an update comes any time after).
func TestListChangedAsSent(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeResult(w, []column{{"Id", "string"}, {"CreatedDateTime", "datetime"}, {"TimeGenerated", "datetime"}}, nil, false)
	})
	lt := signin.Interactive
	if err := env.c.ListChanged(context.Background(), lt, winFrom, winTo, func([]signin.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	reqs := env.fw.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	head, tail, ok := strings.Cut(goldenQueries[lt], "\n| summarize")
	if !ok {
		t.Fatal("the golden listing has no summarize")
	}
	want := head + "\n| where datetime_diff('second', TimeGenerated, CreatedDateTime) > 1800\n| summarize" + tail
	if reqs[0].Query != want {
		t.Errorf("query\n got %q\nwant %q", reqs[0].Query, want)
	}
	if want := "2026-03-02T00:00:00Z/" + testNow.Add(clockSkew).Format(time.RFC3339); reqs[0].Timespan != want {
		t.Errorf("timespan %q, want %q", reqs[0].Timespan, want)
	}
}
