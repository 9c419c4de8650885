package graphsim

import (
	"net/http"
	"strings"
	"testing"
)

// pushDownHead is the push-down form's first stages over the fixtures' hour.
const pushDownHead = "SigninLogs\n" + fixtureHour + "| summarize arg_max(TimeGenerated, *) by Id\n"

// TestWorkspaceGrouping: the push-down stages count the latest version of
// each sign-in by columns and hour bins, after a filter of and, or, not,
// ==, !=, startswith_cs and in.
func TestWorkspaceGrouping(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	a := e.laQuery(tok, pushDownHead+"| summarize N = count() by B = bin(CreatedDateTime, 3600s)", "")
	if got := a.columns(); got != "B:datetime,N:long" || len(a.Tables[0].Rows) != 1 || a.row(0)["B"] != `"2026-01-13T10:00:00Z"` {
		t.Fatalf("bins: %s %v", got, a.Tables[0].Rows)
	}
	all := a.row(0)["N"]
	a = e.laQuery(tok, pushDownHead+`| where not(Id in ("int-01")) and (Id startswith_cs "int" or Id == "x")`+"\n| summarize N = count() by Id", "")
	for _, id := range a.cells("Id") {
		if id == `"int-01"` || !strings.HasPrefix(id, `"int`) {
			t.Fatalf("filtered ids %v", a.cells("Id"))
		}
	}
	a = e.laQuery(tok, pushDownHead+"| summarize N = count()", "")
	if a.row(0)["N"] != all {
		t.Fatalf("count without by %s; the bins hold %s", a.row(0)["N"], all)
	}
}

// TestWorkspaceGroupingRefusesTheRest: what the push-down form does not
// send is the service's 400 naming it, not an answer.
func TestWorkspaceGroupingRefusesTheRest(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	for query, want := range map[string]string{
		pushDownHead + "| summarize dcount(UserId) by AppId":                         "dcount",
		pushDownHead + "| summarize N = count() by B = bin(CreatedDateTime, 1h)":     "bin(CreatedDateTime, <seconds>s)",
		pushDownHead + `| where UserId startswith "a"` + "\n| summarize N = count()": "startswith",
		pushDownHead + `| where UserId has "a"` + "\n| summarize N = count()":        "has",
		pushDownHead + "| summarize N = count() by AppId\n| project AppId":           "nothing after the grouping",
		pushDownHead + "| summarize N = count() by DeviceDetail":                     "string columns only",
		pushDownHead + "| summarize N = count() by Nope":                             "Nope",
		pushDownHead + `| where UserId == "a"` + "\n| project Id":                    "only before a summarize count()",
	} {
		resp, body := e.laPost(tok, "ws-1", query, "")
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), want) {
			t.Errorf("%q: %d %s; want a 400 naming %q", query, resp.StatusCode, body, want)
		}
	}
}
