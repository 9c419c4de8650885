package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// spread is a SigninLogs workspace with n sign-ins spread over [from, to),
// each ingested three minutes after it was created.
func spread(n int, from, to time.Time) *workspaceData {
	d := &workspaceData{columns: map[string]map[string]bool{"SigninLogs": userColumns}, rows: map[string][]row{}}
	step := to.Sub(from) / time.Duration(n)
	for i := range n {
		at := from.Add(time.Duration(i) * step)
		d.rows["SigninLogs"] = append(d.rows["SigninLogs"], row{
			"Id": fmt.Sprintf("id-%05d", i), "CreatedDateTime": at.Format(time.RFC3339Nano),
			"TimeGenerated": at.Add(3 * time.Minute).Format(time.RFC3339Nano), "ResultType": "0",
		})
	}
	return d
}

var whereRange = regexp.MustCompile(`datetime\(([^)]+)\) and \w+ < datetime\(([^)]+)\)`)

func rangeOf(q string) string {
	m := whereRange.FindStringSubmatch(q)
	if m == nil {
		return "?"
	}
	return m[1][11:16] + "-" + m[2][11:16]
}

func TestPagesNewestFirst(t *testing.T) {
	data := spread(2500, winFrom, winTo)
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	got, pages, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(pages) != "[1000 1000 500]" {
		t.Errorf("pages %v", pages)
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].Created.After(got[j].Created) }) || len(got) != 2500 {
		t.Error("not every sign-in, newest first")
	}
}

// TestPartialErrorSplits: a result cut at the row limit is never delivered;
// the range is asked for again in halves (on hours, then minutes) until each
// answer is whole, and the union is exact.
func TestPartialErrorSplits(t *testing.T) {
	data := spread(300, winFrom, winTo)
	data.limit = 40
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range got {
		seen[e.ID]++
	}
	if len(got) != 300 || len(seen) != 300 {
		t.Fatalf("%d sign-ins, %d distinct; want 300 once each", len(got), len(seen))
	}
	reqs := env.fw.requests()
	var ranges []string
	for _, r := range reqs {
		ranges = append(ranges, rangeOf(r.Query))
	}
	if ranges[0] != "00:00-06:00" || ranges[1] != "03:00-06:00" || ranges[2] != "04:00-06:00" {
		t.Errorf("ranges %v: want the whole, then the newer half on an hour", ranges)
	}
	splits := 0
	for _, r := range env.rec.retries {
		if r == reasonSplit {
			splits++
		}
	}
	if splits == 0 || len(env.rec.sleeps) != 0 {
		t.Errorf("retries %v, sleeps %v: want splits and no waiting", env.rec.retries, env.rec.sleeps)
	}
	if !sort.SliceIsSorted(got, func(i, j int) bool { return got[i].Created.After(got[j].Created) }) {
		t.Error("not newest first across the halves")
	}
}

func TestRowLimitAtOneMinute(t *testing.T) {
	data := spread(50, winFrom, winFrom.Add(time.Minute))
	data.limit = 10
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	delivered := 0
	err := env.c.ListSignIns(context.Background(), signin.Interactive, winFrom, winFrom.Add(4*time.Minute), func(p []signin.Event) error {
		delivered += len(p)
		return nil
	})
	if !errors.Is(err, ErrRowLimit) || !strings.Contains(err.Error(), "500,000 rows") || !strings.Contains(err.Error(), "EngineError") && !strings.Contains(err.Error(), "record count limit") {
		t.Fatalf("err %v", err)
	}
	for _, r := range env.fw.requests() {
		if rg := rangeOf(r.Query); rg == "00:00-00:00" {
			t.Errorf("split below a minute: %q", r.Query)
		}
	}
}

func TestThrottledRetryAfterPaced(t *testing.T) {
	data := spread(10, winFrom, winTo)
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, n int) {
		if n == 0 {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, "ThrottledError", "Too many requests")
			return
		}
		data.answer(w, req)
	}, func(c *Config) { c.Pacer = pace.New(200, 30*time.Second) })
	start := time.Now()
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil || len(got) != 10 {
		t.Fatalf("%d sign-ins, %v", len(got), err)
	}
	if fmt.Sprint(env.rec.sleeps) != "[1s]" || fmt.Sprint(env.rec.retries) != "[throttled]" {
		t.Errorf("sleeps %v, retries %v: want Retry-After's 1s", env.rec.sleeps, env.rec.retries)
	}
	if got := env.c.cfg.Pacer.Charged(); got != 2 {
		t.Errorf("pacer charged %d tokens, want 2: one per HTTP attempt", got)
	}
	// The test's Sleep does not wait: the pacer, pushed back by Retry-After,
	// held the retry.
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retry sent after %s: the pacer was not pushed back", d)
	}
	if fmt.Sprint(env.rec.statuses) != "[429 200]" {
		t.Errorf("statuses %v", env.rec.statuses)
	}
}

func TestThrottledUntilDeadline(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		w.Header().Set("Retry-After", "3600")
		writeError(w, http.StatusTooManyRequests, "ThrottledError", "Too many requests")
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err := list(ctx, env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrThrottled) || !strings.Contains(err.Error(), "not waiting 1h0m0s") {
		t.Errorf("err %v", err)
	}
}

// TestGatewayTimeoutHalves: a 504 is retried with the range halved.
func TestGatewayTimeoutHalves(t *testing.T) {
	data := spread(60, winFrom, winTo)
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, n int) {
		if n == 0 {
			writeError(w, http.StatusGatewayTimeout, "GatewayTimeout", "The query exceeded the timeout")
			return
		}
		data.answer(w, req)
	})
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil || len(got) != 60 {
		t.Fatalf("%d sign-ins, %v", len(got), err)
	}
	var ranges []string
	for _, r := range env.fw.requests() {
		ranges = append(ranges, rangeOf(r.Query))
	}
	if fmt.Sprint(ranges) != "[00:00-06:00 03:00-06:00 00:00-03:00]" {
		t.Errorf("ranges %v", ranges)
	}
	if len(env.rec.sleeps) != 1 || fmt.Sprint(env.rec.retries) != "[timeout]" {
		t.Errorf("sleeps %v, retries %v", env.rec.sleeps, env.rec.retries)
	}
}

// TestTimeoutsBounded: a service that always times out is halved at most
// MaxRetries levels deep, then the listing fails with ErrTimeout.
func TestTimeoutsBounded(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeError(w, http.StatusGatewayTimeout, "GatewayTimeout", "The query exceeded the timeout")
	}, func(c *Config) { c.MaxRetries = 3 })
	_, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "giving up after 3 retries") {
		t.Fatalf("err %v", err)
	}
	if n := len(env.fw.requests()); n != 4 {
		t.Errorf("%d requests, want 4: one per level of halving, the first half failing", n)
	}
}

// TestClientTimeoutHalves: an attempt cut by RequestTimeout counts as a 504.
func TestClientTimeoutHalves(t *testing.T) {
	data := spread(6, winFrom, winTo)
	release := make(chan struct{})
	defer close(release)
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, n int) {
		if n == 0 {
			<-release
			return
		}
		data.answer(w, req)
	}, func(c *Config) { c.RequestTimeout = 300 * time.Millisecond })
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil || len(got) != 6 {
		t.Fatalf("%d sign-ins, %v", len(got), err)
	}
	if fmt.Sprint(env.rec.retries) != "[timeout]" || len(env.fw.requests()) != 3 {
		t.Errorf("retries %v, %d requests", env.rec.retries, len(env.fw.requests()))
	}
	if env.fw.requests()[0].Prefer != "wait=1" {
		t.Errorf("Prefer %q", env.fw.requests()[0].Prefer)
	}
}

func TestServerErrorsRetried(t *testing.T) {
	data := spread(3, winFrom, winTo)
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, n int) {
		switch n {
		case 0:
			writeError(w, http.StatusInternalServerError, "InternalServerError", "boom")
		case 1:
			w.Header().Set("Retry-After", "7")
			writeError(w, http.StatusServiceUnavailable, "ServiceUnavailable", "later")
		case 2:
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte(`{"tables":[{"name":"PrimaryResult","columns":[`)) // cut short
		default:
			data.answer(w, req)
		}
	})
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil || len(got) != 3 {
		t.Fatalf("%d sign-ins, %v", len(got), err)
	}
	if len(env.rec.sleeps) != 3 || env.rec.sleeps[1] != 7*time.Second {
		t.Errorf("sleeps %v", env.rec.sleeps)
	}

	env = newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeError(w, http.StatusBadGateway, "BadGateway", "no")
	})
	_, _, err = list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "giving up after 5 retries") {
		t.Errorf("err %v", err)
	}
}

func TestTableNotFound(t *testing.T) {
	data := fourTables()
	delete(data.columns, "AADServicePrincipalSignInLogs")
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	_, _, err := list(context.Background(), env.c, signin.ServicePrincipal, winFrom, winTo)
	if !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("err %v", err)
	}
	var tnf *TableNotFoundError
	if !errors.As(err, &tnf) || tnf.Table != "AADServicePrincipalSignInLogs" || tnf.Category != "ServicePrincipalSignInLogs" || tnf.LogType != signin.ServicePrincipal {
		t.Errorf("%+v", tnf)
	}
	for _, s := range []string{"AADServicePrincipalSignInLogs", "ServicePrincipalSignInLogs category", "Diagnostic settings", testWorkspace} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}
	if n := len(env.fw.requests()); n != 1 {
		t.Errorf("%d requests: a missing table is not retried", n)
	}
	// The other log types answer normally.
	if got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo); err != nil || len(got) != 1 {
		t.Errorf("interactive: %d, %v", len(got), err)
	}
}

// TestNoCreatedDateTimeFallback: a table without CreatedDateTime (as
// Microsoft's reference lists the service-principal and managed-identity
// tables) is read by TimeGenerated, and remembered as such.
func TestNoCreatedDateTimeFallback(t *testing.T) {
	data := fourTables()
	delete(data.columns["AADManagedIdentitySignInLogs"], "CreatedDateTime")
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	for range 2 {
		got, _, err := list(context.Background(), env.c, signin.ManagedIdentity, winFrom, winTo)
		if err != nil || len(got) != 1 || !got[0].Created.Equal(time.Date(2026, 3, 2, 0, 12, 30, 0, time.UTC)) {
			t.Fatalf("%+v, %v", got, err)
		}
	}
	reqs := env.fw.requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3: the refused one, then one per listing", len(reqs))
	}
	want := "AADManagedIdentitySignInLogs\n" +
		"| where TimeGenerated >= datetime(2026-03-02T00:00:00Z) and TimeGenerated < datetime(2026-03-02T06:00:00Z)\n" +
		"| summarize arg_max(TimeGenerated, *) by Id\n" +
		strings.Replace(projectGolden, "Id, CreatedDateTime,", `Id, CreatedDateTime = column_ifexists("CreatedDateTime", ""),`, 1)
	if reqs[1].Query != want || reqs[2].Query != want {
		t.Errorf("fallback query\n got %q\nwant %q", reqs[1].Query, want)
	}
	if len(env.rec.sleeps) != 0 {
		t.Errorf("waited %v before the fallback", env.rec.sleeps)
	}
}

func TestForbiddenNamesRole(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) {
		// a hostile or careless answer echoing the token
		writeError(w, http.StatusForbidden, "InsufficientAccessError",
			"The provided credentials have insufficient access to perform the requested operation ("+strings.TrimPrefix(req.Auth, "Bearer ")+")")
	})
	_, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("err %v", err)
	}
	for _, s := range []string{"Log Analytics Reader", testWorkspace, "InsufficientAccessError", "req-1234"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%q does not say %q", err, s)
		}
	}
	if strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), "test-token") {
		t.Errorf("the token is in the error: %q", err)
	}
	if n := len(env.fw.requests()); n != 1 {
		t.Errorf("%d requests: 403 is not retried", n)
	}
}

func TestUnauthorized(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeError(w, http.StatusUnauthorized, "AuthorizationRequiredError", "Valid authentication was not provided")
	})
	_, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err %v", err)
	}
	if n := len(env.fw.requests()); n != 2 {
		t.Errorf("%d requests, want 2: one retry with a fresh token", n)
	}
	if env.cred.calls != 2 {
		t.Errorf("%d token requests, want 2", env.cred.calls)
	}
}

func TestWorkspaceNotFound(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeError(w, http.StatusNotFound, "WorkspaceNotFoundError", "Workspace could not be found")
	})
	_, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrWorkspaceNotFound) || !strings.Contains(err.Error(), "workspaceId "+testWorkspace) {
		t.Errorf("err %v", err)
	}
}

func TestBadRequest(t *testing.T) {
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties", "SyntaxError", "A recognition error occurred in the query.")
	})
	_, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if !errors.Is(err, ErrBadRequest) || errors.Is(err, ErrTableNotFound) || !strings.Contains(err.Error(), "A recognition error occurred") {
		t.Errorf("err %v", err)
	}
}

func TestCallbackErrorStops(t *testing.T) {
	data := spread(2500, winFrom, winTo)
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	stop := errors.New("stop")
	calls := 0
	err := env.c.ListSignIns(context.Background(), signin.Interactive, winFrom, winTo, func([]signin.Event) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("err %v after %d calls", err, calls)
	}
}

// TestPlainHTTPOnLoopback: an http endpoint on loopback (a local stand-in)
// gets its bearer token; azcore refuses that by default.
func TestPlainHTTPOnLoopback(t *testing.T) {
	var auth atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		writeResult(w, []column{{"Id", "string"}, {"TimeGenerated", "datetime"}}, [][]any{{"a", t0}}, false)
	}))
	defer srv.Close()
	c, err := New(Config{WorkspaceID: testWorkspace, Endpoint: srv.URL, Credential: &staticCredential{token: testToken},
		HTTPClient: &http.Client{Transport: &loopbackGuard{next: http.DefaultTransport}}})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := list(context.Background(), c, signin.Interactive, winFrom, winTo)
	if err != nil || len(got) != 1 || auth.Load() != "Bearer "+testToken {
		t.Errorf("%d sign-ins, %v, Authorization %v", len(got), err, auth.Load())
	}
}

func TestCheckTables(t *testing.T) {
	data := &workspaceData{
		columns: map[string]map[string]bool{"SigninLogs": userColumns, "AADNonInteractiveUserSignInLogs": userColumns, "AADManagedIdentitySignInLogs": miColumns},
		rows: map[string][]row{"SigninLogs": {
			{"Id": "a", "TimeGenerated": "2026-03-09T10:00:00Z"},
			{"Id": "b", "TimeGenerated": "2026-03-10T11:59:00.5Z"},
			{"Id": "c", "TimeGenerated": "2026-02-01T00:00:00Z"}, // older than 7 days
		}},
	}
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) {
		if strings.HasPrefix(req.Query, "AADManagedIdentitySignInLogs") {
			writeError(w, http.StatusForbidden, "InsufficientAccessError", "no")
			return
		}
		data.answer(w, req)
	})
	st := env.c.CheckTables(context.Background())
	if len(st) != 4 {
		t.Fatalf("%d statuses", len(st))
	}
	in, non, sp, mi := st[0], st[1], st[2], st[3]
	if !in.Exists || in.Rows != 2 || !in.Newest.Equal(time.Date(2026, 3, 10, 11, 59, 0, 5e8, time.UTC)) || in.Err != nil || in.Table != "SigninLogs" {
		t.Errorf("interactive %+v", in)
	}
	if !non.Exists || non.Rows != 0 || !non.Newest.IsZero() || non.Err != nil {
		t.Errorf("non-interactive %+v", non)
	}
	if sp.Exists || !errors.Is(sp.Err, ErrTableNotFound) || sp.Category != "ServicePrincipalSignInLogs" {
		t.Errorf("service principal %+v", sp)
	}
	if mi.Exists || !errors.Is(mi.Err, ErrForbidden) {
		t.Errorf("managed identity %+v", mi)
	}
	for _, r := range env.fw.requests() {
		if r.Timespan != "2026-03-03T12:00:00Z/2026-03-10T12:01:00Z" {
			t.Errorf("health timespan %q", r.Timespan)
		}
	}
}
