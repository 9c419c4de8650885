package loganalytics

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

const (
	testWorkspace = "0b0e2c1d-3f4a-4b5c-8d6e-7f8091a2b3c4"
	testToken     = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.test-token-1234567890"
)

// fakeWorkspace is this package's own stand-in for the Log Analytics query
// API: it serves https on 127.0.0.1, records every request, and answers with
// the test's handler.
type fakeWorkspace struct {
	srv    *httptest.Server
	mu     sync.Mutex
	reqs   []fakeRequest
	handle func(w http.ResponseWriter, req fakeRequest, n int)
}

// fakeRequest is one request as it arrived.
type fakeRequest struct {
	Method, Path, Query, Timespan, Auth, Prefer string
}

func newFakeWorkspace(t *testing.T, handle func(w http.ResponseWriter, req fakeRequest, n int)) *fakeWorkspace {
	t.Helper()
	fw := &fakeWorkspace{handle: handle}
	fw.srv = httptest.NewUnstartedServer(http.HandlerFunc(fw.serve))
	fw.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	fw.srv.StartTLS()
	t.Cleanup(fw.srv.Close)
	return fw
}

func (fw *fakeWorkspace) serve(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Query    string `json:"query"`
		Timespan string `json:"timespan"`
	}
	data, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(data, &body)
	req := fakeRequest{Method: r.Method, Path: r.URL.Path, Query: body.Query, Timespan: body.Timespan,
		Auth: r.Header.Get("Authorization"), Prefer: r.Header.Get("Prefer")}
	fw.mu.Lock()
	n := len(fw.reqs)
	fw.reqs = append(fw.reqs, req)
	fw.mu.Unlock()
	fw.handle(w, req, n)
}

func (fw *fakeWorkspace) requests() []fakeRequest {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	return append([]fakeRequest(nil), fw.reqs...)
}

// staticCredential is a test TokenCredential: one token, scopes recorded.
type staticCredential struct {
	token  string
	mu     sync.Mutex
	scopes []string
	calls  int
}

func (s *staticCredential) GetToken(_ context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	s.scopes = append(s.scopes, opts.Scopes...)
	return azcore.AccessToken{Token: s.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// loopbackGuard is a transport that refuses any request not for 127.0.0.1,
// and remembers it: no test request may leave the machine.
type loopbackGuard struct {
	next    http.RoundTripper
	mu      sync.Mutex
	refused []string
}

func (g *loopbackGuard) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Hostname() != "127.0.0.1" {
		g.mu.Lock()
		g.refused = append(g.refused, r.URL.Host)
		g.mu.Unlock()
		return nil, fmt.Errorf("test transport: refusing a request to %s", r.URL.Host)
	}
	return g.next.RoundTrip(r)
}

// recorder is an Observer and a Sleep that remember what they saw.
type recorder struct {
	mu       sync.Mutex
	sleeps   []time.Duration
	retries  []string
	statuses []int
	decoded  [][2]int
}

func (r *recorder) Request(status int, _ time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, status)
}
func (r *recorder) Retry(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.retries = append(r.retries, reason)
}
func (r *recorder) Decoded(d azure.Decoded) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.decoded = append(r.decoded, [2]int{d.Rows, d.Events})
}
func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.sleeps = append(r.sleeps, d)
	r.mu.Unlock()
	return ctx.Err()
}

// testNow is the clock of the tests' clients: well after their windows.
var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

type testEnv struct {
	fw    *fakeWorkspace
	c     *Client
	cred  *staticCredential
	guard *loopbackGuard
	rec   *recorder
}

func newTestEnv(t *testing.T, handle func(w http.ResponseWriter, req fakeRequest, n int), mod ...func(*Config)) *testEnv {
	t.Helper()
	fw := newFakeWorkspace(t, handle)
	env := &testEnv{fw: fw, cred: &staticCredential{token: testToken}, rec: &recorder{}}
	env.guard = &loopbackGuard{next: fw.srv.Client().Transport}
	cfg := Config{
		WorkspaceID: testWorkspace,
		Endpoint:    fw.srv.URL,
		Credential:  env.cred,
		HTTPClient:  &http.Client{Transport: env.guard},
		Observer:    env.rec,
		Sleep:       env.rec.sleep,
		Now:         func() time.Time { return testNow },
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env.c = c
	knownSmall(c)
	t.Cleanup(func() {
		env.guard.mu.Lock()
		defer env.guard.mu.Unlock()
		if len(env.guard.refused) > 0 {
			t.Errorf("requests left 127.0.0.1: %v", env.guard.refused)
		}
	})
	return env
}

// knownSmall tells c that every log type is small, as if it had read answers
// before: its listings are asked for without a count first (sized). The
// tests of sizing start from a client that knows nothing (forgetSizes).
func knownSmall(c *Client) {
	for _, lt := range signin.LogTypes {
		c.sizes.learnRate(lt, 1, time.Hour)
	}
}

func forgetSizes(c *Client) {
	for i := range tables {
		c.sizes.rowBytes[i].Store(0)
		c.sizes.rowsPerHour[i].Store(0)
	}
}

// list collects every sign-in ListSignIns delivers, with the page sizes.
func list(ctx context.Context, c *Client, lt signin.LogType, from, to time.Time) ([]signin.Event, []int, error) {
	var all []signin.Event
	var pages []int
	err := c.ListSignIns(ctx, lt, from, to, func(page []signin.Event) error {
		all = append(all, page...)
		pages = append(pages, len(page))
		return nil
	})
	return all, pages, err
}

// --- answers ---

type column struct{ Name, Type string }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeResult answers 200 with one PrimaryResult table; partial adds the
// top-level PartialError the service sends with a cut result.
func writeResult(w http.ResponseWriter, cols []column, rows [][]any, partial bool) {
	jcols := make([]map[string]string, len(cols))
	for i, c := range cols {
		jcols[i] = map[string]string{"name": c.Name, "type": c.Type}
	}
	if rows == nil {
		rows = [][]any{}
	}
	body := map[string]any{"tables": []any{map[string]any{"name": "PrimaryResult", "columns": jcols, "rows": rows}}}
	if partial {
		body["error"] = map[string]any{
			"code": "PartialError", "message": "There were some errors when processing your query.",
			"details": []any{map[string]any{"code": "EngineError", "message": "Query result set has exceeded the internal record count limit 500000 records"}},
		}
	}
	writeJSON(w, http.StatusOK, body)
}

// writeError answers status with the service's error body; inner, when set,
// is the innererror {code, message}.
func writeError(w http.ResponseWriter, status int, code, message string, inner ...string) {
	e := map[string]any{"code": code, "message": message, "correlationId": "c0ffee00-0000-4000-8000-000000000001"}
	if len(inner) == 2 {
		e["innererror"] = map[string]any{"code": inner[0], "message": inner[1]}
	}
	w.Header().Set("x-ms-request-id", "req-1234")
	writeJSON(w, status, map[string]any{"error": e})
}

// tableMissing answers as the service does for a table the workspace lacks.
func tableMissing(w http.ResponseWriter, table string) {
	writeError(w, http.StatusBadRequest, "BadArgumentError", "The request had some invalid properties",
		"SemanticError", fmt.Sprintf("'where' operator: Failed to resolve table or column expression named '%s'", table))
}

// --- a tiny workspace: the contract's query subset over in-memory rows ---

// row is one table row: column name → value, as the service would send it.
type row map[string]any

// workspaceData is the rows of each table, and which columns each has.
type workspaceData struct {
	rows    map[string][]row
	columns map[string]map[string]bool // table → its columns; a column not listed is absent
	limit   int                        // rows per result before PartialError; 0: none
}

var (
	queryTable   = regexp.MustCompile(`^(\w+)\n`)
	queryWhere   = regexp.MustCompile(`\n\| where (\w+) >= datetime\(([^)]+)\) and (\w+) < datetime\(([^)]+)\)\n`)
	queryProject = regexp.MustCompile(`\n\| project (.*)$`)
	projectItem  = regexp.MustCompile(`^(\w+)(?: = column_ifexists\("(\w+)", ""\))?$`)
)

// answer evaluates a sign-in query of the contract's shape: the table, the
// where on CreatedDateTime (or TimeGenerated), the timespan on
// TimeGenerated, arg_max(TimeGenerated, *) by Id, the project.
func (d *workspaceData) answer(w http.ResponseWriter, req fakeRequest) {
	m := queryTable.FindStringSubmatch(req.Query)
	if m == nil {
		writeError(w, 400, "BadArgumentError", "The request had some invalid properties", "SyntaxError", "no table")
		return
	}
	table := m[1]
	cols, ok := d.columns[table]
	if !ok {
		tableMissing(w, table)
		return
	}
	if req.Query == table+"\n| summarize Rows = count(), Newest = max(TimeGenerated)" {
		d.health(w, req, table)
		return
	}
	wm := queryWhere.FindStringSubmatch(req.Query)
	if wm != nil && strings.HasSuffix(req.Query, fmt.Sprintf("\n| summarize arg_max(TimeGenerated, *) by Id\n| summarize Rows = count() by Hour = bin(%s, 3600s)", wm[1])) {
		d.countByHour(w, req, table, wm)
		return
	}
	pm := queryProject.FindStringSubmatch(req.Query)
	if wm == nil || pm == nil || wm[1] != wm[3] || !strings.Contains(req.Query, "\n| summarize arg_max(TimeGenerated, *) by Id\n") {
		writeError(w, 400, "BadArgumentError", "The request had some invalid properties", "SyntaxError", "not the contract's shape")
		return
	}
	if !cols[wm[1]] {
		writeError(w, 400, "BadArgumentError", "The request had some invalid properties", "SemanticError",
			fmt.Sprintf("'where' operator: Failed to resolve scalar expression named '%s'", wm[1]))
		return
	}
	lo, _ := time.Parse(time.RFC3339, wm[2])
	hi, _ := time.Parse(time.RFC3339, wm[4])
	spanFrom, spanTo, _ := strings.Cut(req.Timespan, "/")
	sFrom, _ := time.Parse(time.RFC3339, spanFrom)
	sTo, _ := time.Parse(time.RFC3339, spanTo)
	latest := map[string]row{}
	for _, r := range d.rows[table] {
		at := mustTime(r[wm[1]])
		gen := mustTime(r["TimeGenerated"])
		if at.Before(lo) || !at.Before(hi) || gen.Before(sFrom) || !gen.Before(sTo) {
			continue
		}
		id := r["Id"].(string)
		if prev, ok := latest[id]; !ok || gen.After(mustTime(prev["TimeGenerated"])) {
			latest[id] = r
		}
	}
	ids := make([]string, 0, len(latest))
	for id := range latest {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []column
	var names []string
	for _, item := range strings.Split(strings.ReplaceAll(pm[1], `", "")`, `"@@)`), ", ") {
		item = strings.ReplaceAll(item, `"@@)`, `", "")`)
		im := projectItem.FindStringSubmatch(item)
		if im == nil || (im[2] != "" && im[1] != im[2]) {
			writeError(w, 400, "BadArgumentError", "The request had some invalid properties", "SyntaxError", "bad project item "+item)
			return
		}
		if im[2] == "" && !cols[im[1]] {
			writeError(w, 400, "BadArgumentError", "The request had some invalid properties", "SemanticError",
				fmt.Sprintf("'project' operator: Failed to resolve scalar expression named '%s'", im[1]))
			return
		}
		out = append(out, column{im[1], "string"})
		names = append(names, im[1])
	}
	rows := make([][]any, 0, len(ids))
	for _, id := range ids {
		r := latest[id]
		vals := make([]any, len(names))
		for i, n := range names {
			if cols[n] {
				vals[i] = r[n]
			} else {
				vals[i] = ""
			}
		}
		rows = append(rows, vals)
	}
	partial := d.limit > 0 && len(rows) > d.limit
	if partial {
		rows = rows[:d.limit]
	}
	writeResult(w, out, rows, partial)
}

// countByHour answers sized's count: the sign-ins (each Id once) whose
// where column wm[1] is in [wm[2], wm[4]) and TimeGenerated in the timespan,
// per hour of that column.
func (d *workspaceData) countByHour(w http.ResponseWriter, req fakeRequest, table string, wm []string) {
	lo, _ := time.Parse(time.RFC3339, wm[2])
	hi, _ := time.Parse(time.RFC3339, wm[4])
	spanFrom, spanTo, _ := strings.Cut(req.Timespan, "/")
	sFrom, _ := time.Parse(time.RFC3339, spanFrom)
	sTo, _ := time.Parse(time.RFC3339, spanTo)
	perHour, seen := map[time.Time]int{}, map[any]bool{}
	for _, r := range d.rows[table] {
		at, gen := mustTime(r[wm[1]]), mustTime(r["TimeGenerated"])
		if !at.Before(lo) && at.Before(hi) && !gen.Before(sFrom) && gen.Before(sTo) && !seen[r["Id"]] {
			seen[r["Id"]] = true
			perHour[at.Truncate(time.Hour)]++
		}
	}
	rows := [][]any{}
	for h, n := range perHour {
		rows = append(rows, []any{h.Format(time.RFC3339Nano), n})
	}
	writeResult(w, []column{{"Hour", "datetime"}, {"Rows", "long"}}, rows, false)
}

// health answers the health query: rows and newest TimeGenerated in the timespan.
func (d *workspaceData) health(w http.ResponseWriter, req fakeRequest, table string) {
	spanFrom, spanTo, _ := strings.Cut(req.Timespan, "/")
	sFrom, _ := time.Parse(time.RFC3339, spanFrom)
	sTo, _ := time.Parse(time.RFC3339, spanTo)
	n := 0
	var newest time.Time
	for _, r := range d.rows[table] {
		gen := mustTime(r["TimeGenerated"])
		if gen.Before(sFrom) || !gen.Before(sTo) {
			continue
		}
		n++
		if gen.After(newest) {
			newest = gen
		}
	}
	var nv any
	if n > 0 {
		nv = newest.Format(time.RFC3339Nano)
	}
	writeResult(w, []column{{"Rows", "long"}, {"Newest", "datetime"}}, [][]any{{n, nv}}, false)
}

func mustTime(v any) time.Time {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(errors.New("bad test time " + s))
	}
	return t
}

func columnSet(names ...string) map[string]bool {
	m := map[string]bool{"Id": true, "TimeGenerated": true}
	for _, n := range names {
		m[n] = true
	}
	return m
}
