package graphsim

import (
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"
)

// healthQuery is a small query for tests that look at the status only.
const healthQuery = "SigninLogs | summarize Rows = count(), Newest = max(TimeGenerated)"

// TestWorkspaceAuth: the workspace accepts the token endpoint's tokens,
// whatever their scope, and answers the service's 401 otherwise.
func TestWorkspaceAuth(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	f := func(token, code, inner, innerMsg string) {
		t.Helper()
		resp, body := e.laPost(token, "ws-1", healthQuery, "")
		le := laErrorOf(t, body)
		gotInner, gotMsg := "", ""
		if le.InnerError != nil {
			gotInner, gotMsg = le.InnerError.Code, le.InnerError.Message
		}
		if resp.StatusCode != 401 || le.Code != code || gotInner != inner || gotMsg != innerMsg || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer ") {
			t.Errorf("token %q: %d %s; want 401 %s/%s", token, resp.StatusCode, body, code, inner)
		}
	}
	f("", "AuthorizationRequiredError", "", "")
	f("not-a-token", "InvalidTokenError", "InvalidToken", "Access token validation failure. Invalid audience.")
	status, body := e.postToken("contoso", url.Values{"grant_type": {"client_credentials"}, "client_id": {"app-1"},
		"client_secret": {"s3cret"}, "scope": {"https://api.loganalytics.io/.default"}})
	tok, _ := body["access_token"].(string)
	if status != 200 {
		t.Fatalf("Log Analytics token: %d %v", status, body)
	}
	e.laQuery(tok, healthQuery, "")
	e.laQuery(e.token("contoso"), healthQuery, "") // a Graph token does too
	e.clock.Advance(DefaultTokenLifetime)
	f(tok, "InvalidTokenError", "TokenExpired", "Lifetime validation failed, the token is expired.")
}

// TestWorkspaceID: a pinned id answers (in any case); others are not found.
func TestWorkspaceID(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{ID: "ws-1"}})
	tok := e.token("contoso")
	if resp, body := e.laPost(tok, "WS-1", healthQuery, ""); resp.StatusCode != 200 {
		t.Fatalf("WS-1: %d %s", resp.StatusCode, body)
	}
	resp, body := e.laPost(tok, "ws-2", healthQuery, "")
	if le := laErrorOf(t, body); resp.StatusCode != 404 || le.Code != "WorkspaceNotFoundError" || le.Message != "The workspace could not be found" {
		t.Fatalf("ws-2: %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPut, e.base+"/v1/workspaces/ws-1/query", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 405 || r.Header.Get("Allow") != "GET, POST" {
		t.Fatalf("PUT: %d, Allow %q", r.StatusCode, r.Header.Get("Allow"))
	}
}

// TestWorkspaceThrottle: 200 queries per 30 s per workspace, then 429 with
// Retry-After until a query's worth of the window (150 ms) has passed.
func TestWorkspaceThrottle(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{Throttle: WorkspaceThrottleLimit}})
	tok := e.token("contoso")
	for i := 1; i <= 200; i++ {
		if resp, body := e.laPost(tok, "ws-1", healthQuery, ""); resp.StatusCode != 200 {
			t.Fatalf("query %d: %d %s", i, resp.StatusCode, body)
		}
	}
	resp, body := e.laPost(tok, "ws-1", healthQuery, "")
	if le := laErrorOf(t, body); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "1" || le.Code != "ThrottledError" {
		t.Fatalf("query 201: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if resp, _ := e.laPost(tok, "ws-2", healthQuery, ""); resp.StatusCode != 200 {
		t.Fatalf("another workspace: %d; its budget is its own", resp.StatusCode)
	}
	e.clock.Advance(150 * time.Millisecond)
	if resp, _ := e.laPost(tok, "ws-1", healthQuery, ""); resp.StatusCode != 200 {
		t.Fatalf("150 ms later: %d", resp.StatusCode)
	}
	if resp, _ := e.laPost(tok, "ws-1", healthQuery, ""); resp.StatusCode != 429 {
		t.Fatalf("then: %d; want 429", resp.StatusCode)
	}
}

// TestWorkspaceFaults: rules count workspace queries apart from Graph's,
// before authentication, and answer in the service's shape.
func TestWorkspaceFaults(t *testing.T) {
	e := newWorkspaceEnv(t, Options{
		Faults: Faults{Rules: []FaultRule{{Kind: FaultStatus, Status: 503, Nth: 1}}},
		Workspace: WorkspaceOptions{Faults: []FaultRule{
			{Kind: FaultStatus, Status: 429, RetryAfter: 7, Nth: 1},
			{Kind: FaultStatus, Status: 504, Nth: 2},
			{Kind: FaultTruncateJSON, Nth: 4},
		}},
	})
	tok := e.token("contoso")
	resp, body := e.laPost("", "ws-1", healthQuery, "") // no token: the fault comes first
	if le := laErrorOf(t, body); resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7" || le.Code != "ThrottledError" {
		t.Fatalf("query 1: %d, Retry-After %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	resp, body = e.laPost(tok, "ws-1", healthQuery, "")
	want := laErrorBody{Code: "GatewayTimeout", Message: "The query did not complete within the allowed time."}
	if le := laErrorOf(t, body); resp.StatusCode != 504 || le.Code != want.Code || le.Message != want.Message || resp.Header.Get("Retry-After") != "" {
		t.Fatalf("query 2: %d %s", resp.StatusCode, body)
	}
	resp, whole := e.laPost(tok, "ws-1", healthQuery, "")
	if resp.StatusCode != 200 {
		t.Fatalf("query 3: %d %s", resp.StatusCode, whole)
	}
	if resp, half := e.laPost(tok, "ws-1", healthQuery, ""); resp.StatusCode != 200 || string(half) != string(whole[:len(whole)/2]) {
		t.Fatalf("query 4: %d %q; want the first half of %q", resp.StatusCode, half, whole)
	}
	wantLog := []Injection{{Rule: 0, Kind: FaultStatus, Status: 429, Request: 1}, {Rule: 1, Kind: FaultStatus, Status: 504, Request: 2}, {Rule: 2, Kind: FaultTruncateJSON, Request: 4}}
	if got := e.srv.WorkspaceInjections(); !reflect.DeepEqual(got, wantLog) {
		t.Fatalf("workspace injections %+v; want %+v", got, wantLog)
	}
	if got := e.srv.Injections(); got != nil {
		t.Fatalf("Graph injections %+v; the workspace's queries are not Graph's", got)
	}
}

func TestWorkspaceOptions(t *testing.T) {
	f := func(o WorkspaceOptions, want string) {
		t.Helper()
		_, err := New(Options{Source: newFileSource(nil), Workspace: o})
		if !errors.Is(err, ErrBadOption) || err.Error() != want {
			t.Errorf("%+v: %v; want %q", o, err, want)
		}
	}
	f(WorkspaceOptions{Tables: []string{"SigninLogs", "SignInLogs"}}, `graphsim: invalid option: Workspace.Tables: "SignInLogs" is not a sign-in table`)
	f(WorkspaceOptions{OmitColumns: map[string][]string{"AuditLogs": {"Id"}}}, `graphsim: invalid option: Workspace.OmitColumns: "AuditLogs" is not a sign-in table`)
	f(WorkspaceOptions{MaxRows: -1}, "graphsim: invalid option: Workspace.MaxRows, MaxBytes and Throttle must not be negative")
	f(WorkspaceOptions{Faults: []FaultRule{{Kind: FaultDuplicate}}}, "graphsim: invalid option: Workspace.Faults[0]: kind duplicate (or skiptoken) does not apply to workspace queries")
	f(WorkspaceOptions{Faults: []FaultRule{{Kind: FaultStatus, Status: 418}}}, "graphsim: invalid option: Workspace.Faults[0]: status 418 is not one of 403, 429, 500, 502, 503, 504")

	var o WorkspaceOptions
	if err := ParseWorkspaceFault("429,n=2,retry-after=3", &o); err != nil {
		t.Fatal(err)
	}
	if err := ParseWorkspaceFault("504,every=5", &o); err != nil {
		t.Fatal(err)
	}
	want := []FaultRule{{Kind: FaultStatus, Status: 429, Nth: 2, RetryAfter: 3}, {Kind: FaultStatus, Status: 504, Every: 5}}
	if !reflect.DeepEqual(o.Faults, want) {
		t.Fatalf("rules %+v; want %+v", o.Faults, want)
	}
	g := func(spec, want string) {
		t.Helper()
		if err := ParseWorkspaceFault(spec, &o); !errors.Is(err, ErrBadOption) || err.Error() != want {
			t.Errorf("%q: %v; want %q", spec, err, want)
		}
	}
	g("bad-skiptoken,n=1", `graphsim: invalid option: workspace fault "bad-skiptoken,n=1": kind bad-skiptoken (or skiptoken) does not apply to workspace queries`)
	g("skew,by=1m", `graphsim: invalid option: workspace fault "skew,by=1m": skew and late are server-wide; give a rule`)
	g("504,n=x", `graphsim: invalid option: fault "504,n=x": option "n=x": strconv.Atoi: parsing "x": invalid syntax`)
	if len(o.Faults) != 2 {
		t.Fatalf("a bad spec changed the rules: %+v", o.Faults)
	}
}

// TestWorkspaceLate: a late sign-in (Faults.IsLate) has its rows LateBy
// later than the ingestion model says.
func TestWorkspaceLate(t *testing.T) {
	faults := Faults{LateShare: 1, LateBy: time.Hour}
	e := newWorkspaceEnv(t, Options{Faults: faults})
	a := e.laQuery(e.token("contoso"), "AADServicePrincipalSignInLogs\n"+fixtureHour+"| project Id, TimeGenerated", "")
	if got := strings.Join(a.cells("TimeGenerated"), ""); got != `"2026-01-13T11:09:55.0745971Z"` {
		t.Fatalf("sp-01 late by an hour: TimeGenerated %s", got)
	}
}
