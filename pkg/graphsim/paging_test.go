package graphsim

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestPagingServesEveryRecordOnce(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")
	pages := e.allPages(signInsURL("beta", "$top", "7"), tok)

	want := truth(t, e.src, testNow.Add(-retention), testNow.Add(time.Nanosecond), signin.Interactive)
	if len(want) != 240 {
		t.Fatalf("fixture has %d interactive sign-ins; want 240", len(want))
	}
	if len(pages) != 35 {
		t.Fatalf("got %d pages; want 35 (240 records / 7)", len(pages))
	}
	for i, p := range pages {
		wantLen, last := 7, i == len(pages)-1
		if last {
			wantLen = 240 - 34*7
		}
		if len(p.Value) != wantLen {
			t.Fatalf("page %d: %d records; want %d", i, len(p.Value), wantLen)
		}
		if p.Context != e.base+"/beta/$metadata#auditLogs/signIns" {
			t.Fatalf("page %d: @odata.context %q", i, p.Context)
		}
		if last != (p.NextLink == "") {
			t.Fatalf("page %d of %d: nextLink %q", i, len(pages), p.NextLink)
		}
		if !last && !strings.HasPrefix(p.NextLink, e.base+"/beta/auditLogs/signIns?$skiptoken=") {
			t.Fatalf("page %d: nextLink %q is not an absolute link to the same request", i, p.NextLink)
		}
	}
	raws := rawRecords(pages)
	if got := idsOfRaw(t, raws); !slices.Equal(got, recordIDs(want)) {
		t.Fatalf("served ids (newest first, once each) differ:\n got %q\nwant %q", got, recordIDs(want))
	}
	for i := range raws {
		if !bytes.Equal(raws[i], want[i].JSON) {
			t.Fatalf("record %d: served %s; want the source bytes %s", i, raws[i], want[i].JSON)
		}
	}
}

func TestPagingMergesLogTypesNewestFirst(t *testing.T) {
	e := newTestEnv(t, Options{})
	filter := "signInEventTypes/any(t: t ne 'interactiveUser') and createdDateTime ge 2026-01-13T00:00:00Z"
	pages := e.allPages(signInsURL("beta", "$filter", filter, "$top", "50"), e.token("contoso"))
	want := truth(t, e.src, time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC), testNow,
		signin.NonInteractive, signin.ServicePrincipal, signin.ManagedIdentity)
	if len(want) != 3*24*5 {
		t.Fatalf("ground truth has %d records; want 360", len(want))
	}
	if got := idsOfRaw(t, rawRecords(pages)); !slices.Equal(got, recordIDs(want)) {
		t.Fatalf("got %d ids; want %d:\n got %q\nwant %q", len(got), len(want), got, recordIDs(want))
	}
	if len(pages) != 8 {
		t.Fatalf("got %d pages; want 8", len(pages))
	}
}

func TestPagingFilterOnOtherFields(t *testing.T) {
	e := newTestEnv(t, Options{})
	filter := "signInEventTypes/any(t: t eq 'servicePrincipal') and appId eq 'app-b' and status/errorCode eq 50126"
	got := idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta", "$filter", filter, "$top", "5"), e.token("contoso"))))
	// i == 1 is the only index with app-b (i%3 == 1) and 50126 (i%4 == 1): one per hour.
	if len(got) != 48 || got[0] != "servicePrincipal-0113T23-1" || got[47] != "servicePrincipal-0112T00-1" {
		t.Fatalf("got %d ids %q; want 48 from servicePrincipal-0113T23-1 to servicePrincipal-0112T00-1", len(got), got)
	}
}

func TestTimeRangeBounds(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")
	f := func(filter string, n int, newest, oldest string) {
		t.Helper()
		got := idsOfRaw(t, rawRecords(e.allPages(signInsURL("v1.0", "$filter", filter, "$top", "3"), tok)))
		if len(got) != n || got[0] != newest || got[len(got)-1] != oldest {
			t.Fatalf("%s:\n got %d ids %q\nwant %d from %s to %s", filter, len(got), got, n, newest, oldest)
		}
	}
	// Interactive sign-ins sit at minutes 0, 0, 7, 7 and 14 of each hour.
	f("createdDateTime ge 2026-01-13T10:07:00Z and createdDateTime lt 2026-01-13T12:07:00Z", 10,
		"interactive-0113T12-1", "interactive-0113T10-2")
	f("createdDateTime gt 2026-01-13T10:07:00Z and createdDateTime le 2026-01-13T12:07:00Z", 10,
		"interactive-0113T12-3", "interactive-0113T10-4")
	f("createdDateTime eq 2026-01-13T12:07:00Z", 2, "interactive-0113T12-3", "interactive-0113T12-2")
	f("createdDateTime ge 2026-01-13T12:06:59.9999999Z and createdDateTime le 2026-01-13T12:07:00.0000001Z", 2,
		"interactive-0113T12-3", "interactive-0113T12-2")
}

func TestVersionsAndLogTypes(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")
	count := func(target, prefix string) int {
		t.Helper()
		ids := idsOfRaw(t, rawRecords(e.allPages(target, tok)))
		for _, id := range ids {
			if !strings.HasPrefix(id, prefix) {
				t.Fatalf("%s: served %s; want only %s*", target, id, prefix)
			}
		}
		return len(ids)
	}
	for _, target := range []string{"/v1.0/auditLogs/signIns", "/beta/auditLogs/signIns", "/V1.0/AUDITLOGS/SIGNINS", "/beta/auditLogs/signins"} {
		if n := count(target, "interactive-"); n != 240 {
			t.Fatalf("%s: %d sign-ins; want the 240 interactive ones", target, n)
		}
	}
	for _, lt := range signin.LogTypes {
		filter := fmt.Sprintf("signInEventTypes/any(t: t eq '%s')", lt.GraphEventType())
		if n := count(signInsURL("beta", "$filter", filter), lt.String()+"-"); n != 240 {
			t.Fatalf("beta %s: %d sign-ins; want 240", lt, n)
		}
	}
	filter := "signInEventTypes/any(t: t eq 'managedIdentity') and signInEventTypes/any(t: t eq 'servicePrincipal')"
	if p := e.getPage(signInsURL("beta", "$filter", filter), tok); len(p.Value) != 0 || p.NextLink != "" {
		t.Fatalf("contradictory types: got %d records, nextLink %q; want none", len(p.Value), p.NextLink)
	}

	resp, body := e.get(signInsURL("v1.0", "$filter", "signInEventTypes/any(t: t eq 'nonInteractiveUser')"), tok)
	ge := graphErrorOf(t, body)
	want := "Invalid filter clause: Could not find a property named 'signInEventTypes' on type 'microsoft.graph.signIn'"
	if resp.StatusCode != http.StatusBadRequest || ge.Code != "BadRequest" || ge.Message != want {
		t.Fatalf("v1.0 signInEventTypes: %d %+v; want 400 BadRequest %q", resp.StatusCode, ge, want)
	}
}

func TestTopBounds(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")
	for _, top := range []string{"0", "-1", "1001", "abc", "", "1.5"} {
		resp, body := e.get(signInsURL("beta", "$top", top), tok)
		ge := graphErrorOf(t, body)
		want := "Invalid query option: invalid $top value '" + top + "'; want an integer from 1 to 1000"
		if resp.StatusCode != http.StatusBadRequest || ge.Message != want {
			t.Fatalf("$top=%q: %d %q; want 400 %q", top, resp.StatusCode, ge.Message, want)
		}
	}
	if p := e.getPage(signInsURL("beta", "$top", "1000"), tok); len(p.Value) != 240 || p.NextLink != "" {
		t.Fatalf("$top=1000: %d records, nextLink %q; want 240 and none", len(p.Value), p.NextLink)
	}
	if p := e.getPage(signInsURL("beta"), tok); len(p.Value) != 240 || p.NextLink != "" {
		t.Fatalf("default $top: %d records, nextLink %q; want 240 and none", len(p.Value), p.NextLink)
	}
	if p := e.getPage(signInsURL("beta", "$top", "1"), tok); len(p.Value) != 1 || p.NextLink == "" {
		t.Fatalf("$top=1: %d records, nextLink %q; want 1 and a link", len(p.Value), p.NextLink)
	}
}

func TestQueryOptions(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")
	f := func(target string, status int, message string) {
		t.Helper()
		resp, body := e.get(target, tok)
		if resp.StatusCode != status {
			t.Fatalf("%s: status %d; want %d: %s", target, resp.StatusCode, status, body)
		}
		if message != "" {
			if ge := graphErrorOf(t, body); ge.Code != "BadRequest" || ge.Message != message {
				t.Fatalf("%s: %+v; want BadRequest %q", target, ge, message)
			}
		}
	}
	f(signInsURL("beta", "$orderby", "createdDateTime desc", "$select", "id,createdDateTime", "api-version", "x"), 200, "")
	f("/beta/auditLogs/signIns?$orderBy=createdDateTime+DESC", 200, "")
	f(signInsURL("beta", "$orderby", "createdDateTime asc"), 400,
		"Invalid query option: $orderby 'createdDateTime asc' is not supported; only 'createdDateTime desc'")
	f(signInsURL("beta", "$count", "true"), 400, "Invalid query option: query option '$count' is not supported")
	f(signInsURL("beta", "$expand", "x"), 400, "Invalid query option: query option '$expand' is not supported")
	f("/beta/auditLogs/signIns?$top=1&$TOP=2", 400, "")
	f(signInsURL("beta", "$filter", "appId eq 'x' or appId eq 'y'"), 400,
		"Invalid filter clause: operator 'or' is not supported at position 13")
	f("/beta/auditLogs/signIns?$filter=%zz", 400, "")
}

func TestSkipTokenErrors(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")
	first := e.getPage(signInsURL("beta", "$top", "2", "$filter", "appId eq 'app-a'"), tok)
	next, err := url.Parse(first.NextLink)
	if err != nil {
		t.Fatal(err)
	}
	token := next.Query().Get("$skiptoken")

	f := func(target, message string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, e.base+target, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("client-request-id", "my-request-1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body bytes.Buffer
		body.ReadFrom(resp.Body)
		ge := graphErrorOf(t, body.Bytes())
		if resp.StatusCode != 400 || ge.Code != "BadRequest" || ge.Message != message {
			t.Fatalf("%s: %d %+v; want 400 BadRequest %q", target, resp.StatusCode, ge, message)
		}
		in := ge.InnerError
		if in.ClientRequestID != "my-request-1" || resp.Header.Get("client-request-id") != "my-request-1" ||
			len(in.RequestID) != 36 || in.RequestID != resp.Header.Get("request-id") || in.Date != "2026-01-14T00:00:00" {
			t.Fatalf("innerError %+v, headers %v", in, resp.Header)
		}
	}
	f(signInsURL("beta", "$top", "2", "$filter", "appId eq 'app-b'", "$skiptoken", token),
		"Invalid skip token: token was issued for another query")
	f(signInsURL("v1.0", "$top", "2", "$filter", "appId eq 'app-a'", "$skiptoken", token),
		"Invalid skip token: token was issued for another query")
	f(signInsURL("beta", "$skiptoken", "not-a-token"), "Invalid skip token: malformed token")
	f(signInsURL("beta", "$skiptoken", ""), "Invalid skip token: malformed token")

	// The same token with the same filter but another $top is fine.
	if p := e.getPage(signInsURL("beta", "$top", "3", "$filter", "appId eq 'app-a'", "$skiptoken", token), tok); len(p.Value) != 3 {
		t.Fatalf("resumed page: %d records; want 3", len(p.Value))
	}
}

func TestIngestionDelay(t *testing.T) {
	e := newTestEnv(t, Options{Delay: 3 * time.Minute})
	tok := e.token("contoso")
	newest := func() string {
		t.Helper()
		return idsOfRaw(t, rawRecords([]graphPage{e.getPage(signInsURL("beta", "$top", "1"), tok)}))[0]
	}
	// The newest interactive sign-in is at 23:14:00; it shows from 23:17:00.
	e.clock.Set(time.Date(2026, 1, 13, 23, 16, 59, 999999999, time.UTC))
	if got := newest(); got != "interactive-0113T23-3" {
		t.Fatalf("at 23:16:59.999999999 newest is %s; want interactive-0113T23-3 (23:07)", got)
	}
	e.clock.Set(time.Date(2026, 1, 13, 23, 17, 0, 0, time.UTC))
	if got := newest(); got != "interactive-0113T23-4" {
		t.Fatalf("at 23:17:00 newest is %s; want interactive-0113T23-4 (23:14)", got)
	}
}

func TestRetentionWithoutLowerBound(t *testing.T) {
	old := testRecord(signin.Interactive, "old", testNow.Add(-31*24*time.Hour), 0)
	recent := testRecord(signin.Interactive, "recent", testNow.Add(-29*24*time.Hour), 0)
	e := newTestEnv(t, Options{Source: newFileSource([]Record{old, recent})})
	tok := e.token("contoso")
	if got := idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta"), tok))); !slices.Equal(got, []string{"recent"}) {
		t.Fatalf("no lower bound: got %q; want only the sign-in within 30 days", got)
	}
	filter := "createdDateTime ge 2025-12-01T00:00:00Z"
	if got := idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta", "$filter", filter), tok))); !slices.Equal(got, []string{"recent", "old"}) {
		t.Fatalf("explicit lower bound: got %q; want both", got)
	}
}
