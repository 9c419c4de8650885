package graphsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// contractProject is the contract's summarize and project, over the columns
// these tests look at.
const contractProject = "| summarize arg_max(TimeGenerated, *) by Id\n| project Id, TimeGenerated, RiskState = column_ifexists(\"RiskState\", \"\")"

// rowsOf returns the answer's rows as "Id TimeGenerated RiskState".
func rowsOf(a laAnswer) []string {
	var out []string
	for i := range a.Tables[0].Rows {
		r := a.row(i)
		out = append(out, strings.Trim(r["Id"], `"`)+" "+strings.Trim(r["TimeGenerated"], `"`)+" "+strings.Trim(r["RiskState"], `"`))
	}
	return out
}

func checkRows(t *testing.T, what string, a laAnswer, want ...string) {
	t.Helper()
	if got := rowsOf(a); !slices.Equal(got, want) {
		t.Errorf("%s: rows %q; want %q", what, got, want)
	}
}

// The rows of int-01 (first, then its update) and int-02.
const (
	int01First  = "int-01 2026-01-13T10:20:18.0307432Z none"
	int01Update = "int-01 2026-01-13T10:34:06.0307432Z atRisk"
	int02       = "int-02 2026-01-13T10:43:14.4188232Z none"
)

// TestLatestVersion: arg_max by Id answers each sign-in once, in the latest
// version the workspace holds at the time of the query.
func TestLatestVersion(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	query := "SigninLogs\n" + fixtureHour + contractProject
	checkRows(t, "at the end of the day", e.laQuery(tok, query, ""), int01Update, int02)
	e.clock.Set(time.Date(2026, 1, 13, 10, 30, 0, 0, time.UTC)) // between int-01's two rows
	checkRows(t, "at 10:30", e.laQuery(tok, query, ""), int01First)
	e.clock.Set(time.Date(2026, 1, 13, 10, 20, 18, 0, time.UTC)) // just before int-01's first row
	checkRows(t, "at 10:20:18", e.laQuery(tok, query, ""))
}

// TestTimespan: the timespan bounds TimeGenerated, in each form the service
// reads; a form it does not is a 400.
func TestTimespan(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	query := "SigninLogs\n" + fixtureHour + contractProject
	f := func(span string, want ...string) {
		t.Helper()
		checkRows(t, "timespan "+span, e.laQuery(tok, query, span), want...)
	}
	f("2026-01-13T10:00:00Z/2026-01-13T10:30:00Z", int01First)
	f("2026-01-13T10:30:00Z/2026-01-13T11:00:00Z", int01Update, int02)
	f("2026-01-13T10:20:18.0307432Z/2026-01-13T10:43:14.4188232Z", int01Update) // start included, end not
	f("2026-01-13T11:00:00+01:00/PT30M", int01First)
	f("PT30M/2026-01-13T11:00:00Z", int01Update, int02)
	f("P1D", int01Update, int02) // the day before testNow
	f("PT1H")
	g := func(span, want string) {
		t.Helper()
		resp, body := e.laPost(tok, "ws-1", query, span)
		le := laErrorOf(t, body)
		if resp.StatusCode != 400 || le.Code != "BadArgumentError" || le.InnerError == nil || le.InnerError.Code != "InvalidTimespan" || le.InnerError.Message != want {
			t.Errorf("timespan %q: %d %s; want 400 InvalidTimespan %q", span, resp.StatusCode, body, want)
		}
	}
	g("P1M", `The timespan 'P1M' is not valid: "P1M" is not a duration of weeks, days, hours, minutes and seconds`)
	g("yesterday", `The timespan 'yesterday' is not valid: "yesterday" is not a duration of weeks, days, hours, minutes and seconds`)
	g("2026-01-13T11:00:00Z/2026-01-13T10:00:00Z", "The timespan '2026-01-13T11:00:00Z/2026-01-13T10:00:00Z' is not valid: it ends before it starts")
}

// hourLog is a source that records which hours were read.
type hourLog struct {
	src   Source
	mu    sync.Mutex
	hours []string
}

func (h *hourLog) Hour(lt signin.LogType, hour time.Time) ([]Record, error) {
	h.mu.Lock()
	h.hours = append(h.hours, lt.String()+" "+hour.Format("15:04"))
	h.mu.Unlock()
	return h.src.Hour(lt, hour)
}

// TestHoursRead: a query reads the hours its CreatedDateTime range covers,
// narrowed by the timespan's end (a row comes at least a minute after its
// sign-in), and no other. The timespan's start does not narrow a range with
// a lower bound: a revised sign-in's row may come hours after it.
func TestHoursRead(t *testing.T) {
	log := &hourLog{src: workspaceFixtures(t)}
	e := newWorkspaceEnv(t, Options{Source: log})
	tok := e.token("contoso")
	f := func(query, span string, want ...string) {
		t.Helper()
		log.hours = nil
		e.laQuery(tok, query, span)
		if !slices.Equal(log.hours, want) {
			t.Errorf("%q over %q read %q; want %q", query, span, log.hours, want)
		}
	}
	f("AADServicePrincipalSignInLogs | where CreatedDateTime >= datetime(2026-01-13T10:00:00Z) and CreatedDateTime < datetime(2026-01-13T12:00:00Z)", "",
		"servicePrincipal 10:00", "servicePrincipal 11:00")
	f("SigninLogs | where CreatedDateTime >= datetime(2026-01-13T00:00:00Z) and CreatedDateTime < datetime(2026-01-14T00:00:00Z)", "2026-01-13T10:00:00Z/2026-01-13T10:30:00Z",
		"interactive 00:00", "interactive 01:00", "interactive 02:00", "interactive 03:00", "interactive 04:00", "interactive 05:00",
		"interactive 06:00", "interactive 07:00", "interactive 08:00", "interactive 09:00", "interactive 10:00")
	f("SigninLogs | where CreatedDateTime >= datetime(2026-01-13T23:30:00Z)", "", "interactive 23:00") // nothing after now less a minute
	f("SigninLogs | where CreatedDateTime >= datetime(2026-01-13T10:00:00Z) and CreatedDateTime < datetime(2026-01-13T10:00:00Z)", "")
}

// TestMissingTable: a table the diagnostic setting does not route is the
// service's semantic error; the others answer.
func TestMissingTable(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{Tables: []string{"SigninLogs", "AADServicePrincipalSignInLogs"}}})
	tok := e.token("contoso")
	resp, body := e.laPost(tok, "ws-1", "AADManagedIdentitySignInLogs\n"+fixtureHour+contractProject, "")
	le := laErrorOf(t, body)
	want := laErrorBody{Message: "The request had some invalid properties", Code: "BadArgumentError", CorrelationID: le.CorrelationID,
		InnerError: &laInnerError{Code: "SemanticError", Message: "A semantic error occurred.",
			InnerError: &laInnerError{Code: "SEM0100", Message: "'where' operator: Failed to resolve table or column expression named 'AADManagedIdentitySignInLogs'"}}}
	if resp.StatusCode != 400 || len(le.CorrelationID) != 36 || !sameError(le, want) {
		t.Fatalf("missing table: %d %s", resp.StatusCode, body)
	}
	checkRows(t, "SigninLogs", e.laQuery(tok, "SigninLogs\n"+fixtureHour+contractProject, ""), int01Update, int02)
}

func sameError(a, b laErrorBody) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// TestQueryErrorBodies: a syntax error locates the token; a semantic one
// names the problem; both under BadArgumentError.
func TestQueryErrorBodies(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	f := func(query string, want laInnerError) {
		t.Helper()
		resp, body := e.laPost(tok, "ws-1", query, "")
		le := laErrorOf(t, body)
		if resp.StatusCode != 400 || le.Code != "BadArgumentError" || le.Message != "The request had some invalid properties" ||
			le.InnerError == nil || !sameError(laErrorBody{InnerError: le.InnerError}, laErrorBody{InnerError: &want}) {
			t.Errorf("%q: %d %s", query, resp.StatusCode, body)
		}
	}
	f("SigninLogs | take 10", laInnerError{Code: "SyntaxError", Message: "A recognition error occurred in the query.",
		InnerError: &laInnerError{Code: "SYN0002", Message: "Query could not be parsed at 'take' on line [1,14]: expected where, summarize or project", Line: 1, Pos: 14, Token: "take"}})
	f("AADServicePrincipalSignInLogs | project UserId", laInnerError{Code: "SemanticError", Message: "A semantic error occurred.",
		InnerError: &laInnerError{Code: "SEM0100", Message: "'project' operator: Failed to resolve scalar expression named 'UserId'"}})
	f("SigninLogs | summarize percentile(TimeGenerated, 50)", laInnerError{Code: "SemanticError", Message: "A semantic error occurred.",
		InnerError: &laInnerError{Code: "SEM0260", Message: "'summarize' operator: Unknown function: 'percentile'."}})
}

// TestMaxRows: a result over the limit is a 200 with the first rows and the
// service's PartialError; one at the limit is whole.
func TestMaxRows(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{MaxRows: 2}})
	tok := e.token("contoso")
	a := e.laQuery(tok, "SigninLogs\n"+fixtureHour+"| project Id, TimeGenerated, RiskState", "")
	checkRows(t, "3 rows, 2 allowed", a, int01First, int01Update)
	want := laErrorBody{Code: "PartialError", Message: "There were some errors when processing your query.",
		Details: []laErrorDetail{{Code: "EngineError", Message: "Query result set has exceeded the internal record count limit 2 records"}}}
	if a.Error == nil || !sameError(*a.Error, want) {
		t.Fatalf("error %+v; want %+v", a.Error, want)
	}
	a = e.laQuery(tok, "SigninLogs\n"+fixtureHour+contractProject, "")
	if checkRows(t, "2 sign-ins", a, int01Update, int02); a.Error != nil {
		t.Fatalf("2 rows of 2: error %+v", a.Error)
	}
}

// TestMaxBytes: the rows stop before the one that passes the size limit.
func TestMaxBytes(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{MaxBytes: 80}})
	a := e.laQuery(e.token("contoso"), "SigninLogs\n"+fixtureHour+"| project Id, TimeGenerated, RiskState", "")
	checkRows(t, "80 bytes", a, int01First) // each row is 50 to 60 bytes
	want := "Query result set has exceeded the internal data size limit 80 bytes"
	if a.Error == nil || a.Error.Code != "PartialError" || len(a.Error.Details) != 1 || a.Error.Details[0].Message != want {
		t.Fatalf("error %+v; want %q", a.Error, want)
	}
}

// TestHealthQuery: a row count and the newest TimeGenerated, or 0 and null.
func TestHealthQuery(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	const q = "AADManagedIdentitySignInLogs\n| summarize Rows = count(), Newest = max(TimeGenerated)"
	a := e.laQuery(tok, q, "P7D")
	if got := a.columns() + " " + strings.Join(a.cells("Rows"), "") + " " + strings.Join(a.cells("Newest"), ""); got != `Rows:long,Newest:datetime 1 "2026-01-13T10:10:49.6334308Z"` {
		t.Fatalf("health: %s", got)
	}
	a = e.laQuery(tok, q, "2026-01-12T00:00:00Z/2026-01-13T00:00:00Z")
	if got := strings.Join(a.cells("Rows"), "") + " " + strings.Join(a.cells("Newest"), ""); got != "0 null" {
		t.Fatalf("health of an empty day: %s", got)
	}
}

// TestQueryRequests: GET with parameters answers as POST does; a request
// without a query, or with a body that is not JSON, is a 400.
func TestQueryRequests(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	params := url.Values{"query": {"SigninLogs\n" + fixtureHour + contractProject}, "timespan": {"2026-01-13T10:00:00Z/2026-01-13T10:30:00Z"}}
	resp, body := e.get("/v1/workspaces/ws-1/query?"+params.Encode(), tok)
	var a laAnswer
	if err := json.Unmarshal(body, &a); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET: %d %s", resp.StatusCode, body)
	}
	checkRows(t, "GET", a, int01First)
	resp, body = e.laPost(tok, "ws-1", "", "")
	if le := laErrorOf(t, body); resp.StatusCode != 400 || le.InnerError == nil || le.InnerError.Code != "InvalidRequestBody" || le.InnerError.Message != "the request has no query" {
		t.Fatalf("no query: %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPost, e.base+"/v1/workspaces/ws-1/query", strings.NewReader("query=SigninLogs"))
	req.Header.Set("Authorization", "Bearer "+tok)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 400 {
		t.Fatalf("form body: %d; want 400", r.StatusCode)
	}
}

// TestWithoutCreatedDateTime: a table whose schema lacks CreatedDateTime
// fails the contract's where as the service does, and answers the form the
// client falls back to: where on TimeGenerated, CreatedDateTime projected
// through column_ifexists.
func TestWithoutCreatedDateTime(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{OmitColumns: map[string][]string{"AADServicePrincipalSignInLogs": {"CreatedDateTime"}}}})
	tok := e.token("contoso")
	resp, body := e.laPost(tok, "ws-1", "AADServicePrincipalSignInLogs\n"+fixtureHour+contractProject, "")
	le := laErrorOf(t, body)
	want := "'where' operator: Failed to resolve column or scalar expression named 'CreatedDateTime'"
	if resp.StatusCode != 400 || le.InnerError == nil || le.InnerError.InnerError == nil || le.InnerError.InnerError.Message != want {
		t.Fatalf("contract query: %d %s; want %q", resp.StatusCode, body, want)
	}
	a := e.laQuery(tok, "AADServicePrincipalSignInLogs\n"+
		"| where TimeGenerated >= datetime(2026-01-13T10:00:00Z) and TimeGenerated < datetime(2026-01-13T10:09:55Z)\n"+
		"| summarize arg_max(TimeGenerated, *) by Id\n"+
		"| project Id, CreatedDateTime = column_ifexists(\"CreatedDateTime\", \"\"), TimeGenerated", "")
	if len(a.Tables[0].Rows) != 0 {
		t.Fatalf("before sp-01's row: %v", a.Tables[0].Rows)
	}
	a = e.laQuery(tok, "AADServicePrincipalSignInLogs\n"+
		"| where TimeGenerated >= datetime(2026-01-13T10:00:00Z) and TimeGenerated < datetime(2026-01-13T11:00:00Z)\n"+
		"| summarize arg_max(TimeGenerated, *) by Id\n"+
		"| project Id, CreatedDateTime = column_ifexists(\"CreatedDateTime\", \"\"), TimeGenerated", "")
	if got := a.columns() + " " + strings.Join(a.cells("Id"), "") + " " + strings.Join(a.cells("CreatedDateTime"), "") + " " + strings.Join(a.cells("TimeGenerated"), ""); got != `Id:string,CreatedDateTime:string,TimeGenerated:datetime "sp-01" "" "2026-01-13T10:09:55.0745971Z"` {
		t.Fatalf("fallback query: %s", got)
	}
}
