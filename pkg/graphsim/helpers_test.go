package graphsim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// testNow is the simulated present of the server tests; testSignIns ends there.
var testNow = time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)

// fakeClock is a settable clock, so no test waits for real time to pass.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// testSignIns makes 5 sign-ins of every log type in each of the 48 hours
// before testNow. In each hour they are at minutes 0, 0, 7, 7 and 14 (plus one
// second per log type), so pairs share a createdDateTime and the id has to
// break the tie. Ids read "<logType>-<MMDDTHH>-<i>".
func testSignIns() []Record {
	var recs []Record
	for h := 48; h >= 1; h-- {
		hour := testNow.Add(-time.Duration(h) * time.Hour)
		for _, lt := range signin.LogTypes {
			for i := range 5 {
				created := hour.Add(time.Duration(i/2)*7*time.Minute + time.Duration(lt)*time.Second)
				recs = append(recs, testRecord(lt, fmt.Sprintf("%s-%s-%d", lt, hour.Format("0102T15"), i), created, i))
			}
		}
	}
	return recs
}

func testRecord(lt signin.LogType, id string, created time.Time, i int) Record {
	r := Record{
		Created:           created,
		Type:              lt,
		ID:                id,
		AppID:             []string{"app-a", "app-b", "app-c"}[i%3],
		UserID:            fmt.Sprintf("u-%d", i%2),
		UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i%2),
		AppDisplayName:    []string{"Azure Portal", "Graph Explorer", "Office 365"}[i%3],
		ErrorCode:         []int32{0, 50126, 0, 50074}[i%4],
	}
	r.JSON, _ = json.Marshal(map[string]any{
		"id": r.ID, "createdDateTime": created.Format(time.RFC3339Nano), "appId": r.AppID, "userId": r.UserID,
		"userPrincipalName": r.UserPrincipalName, "appDisplayName": r.AppDisplayName,
		"signInEventTypes": []string{lt.GraphEventType()}, "status": map[string]any{"errorCode": r.ErrorCode},
	})
	return r
}

// testEnv is a server over testSignIns behind httptest, on a fake clock.
type testEnv struct {
	t     *testing.T
	srv   *Server
	src   Source
	clock *fakeClock
	base  string
}

func newTestEnv(t *testing.T, o Options) *testEnv {
	t.Helper()
	e := &testEnv{t: t, clock: &fakeClock{t: testNow}}
	if o.Source == nil {
		o.Source = newFileSource(testSignIns())
	}
	o.Now = e.clock.Now
	e.src = o.Source
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	e.srv, e.base = srv, ts.URL
	return e
}

// tokenResponse posts a token request with the given form and returns status and body.
func (e *testEnv) postToken(tenant string, form url.Values) (int, map[string]any) {
	e.t.Helper()
	resp, err := http.PostForm(e.base+"/"+tenant+"/oauth2/v2.0/token", form)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		e.t.Fatalf("token response: %v", err)
	}
	return resp.StatusCode, body
}

func secretForm(clientID, secret string) url.Values {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {clientID},
		"client_secret": {secret}, "scope": {"https://graph.microsoft.com/.default"}}
}

// token gets a token for tenant from the token endpoint.
func (e *testEnv) token(tenant string) string {
	e.t.Helper()
	status, body := e.postToken(tenant, secretForm("app-1", "s3cret"))
	tok, _ := body["access_token"].(string)
	if status != http.StatusOK || tok == "" {
		e.t.Fatalf("token: status %d, body %v", status, body)
	}
	return tok
}

// get fetches a URL (absolute, or a path on the server) with a bearer token.
func (e *testEnv) get(target, token string) (*http.Response, []byte) {
	e.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = e.base + target
	}
	req, _ := http.NewRequest(http.MethodGet, target, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, body
}

// graphPage is a decoded sign-ins page.
type graphPage struct {
	Context  string            `json:"@odata.context"`
	NextLink string            `json:"@odata.nextLink"`
	Value    []json.RawMessage `json:"value"`
}

// getPage fetches one page and fails the test unless it is a 200.
func (e *testEnv) getPage(target, token string) graphPage {
	e.t.Helper()
	resp, body := e.get(target, token)
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: status %d: %s", target, resp.StatusCode, body)
	}
	var p graphPage
	if err := json.Unmarshal(body, &p); err != nil {
		e.t.Fatalf("GET %s: %v", target, err)
	}
	return p
}

// allPages follows nextLinks from target to the last page.
func (e *testEnv) allPages(target, token string) []graphPage {
	e.t.Helper()
	var pages []graphPage
	for target != "" {
		p := e.getPage(target, token)
		pages = append(pages, p)
		target = p.NextLink
	}
	return pages
}

// rawRecords returns the records of pages, in order.
func rawRecords(pages []graphPage) [][]byte {
	var out [][]byte
	for _, p := range pages {
		for _, v := range p.Value {
			out = append(out, v)
		}
	}
	return out
}

// idsOfRaw returns the "id" of each record.
func idsOfRaw(t *testing.T, raws [][]byte) []string {
	t.Helper()
	ids := make([]string, len(raws))
	for i, raw := range raws {
		var r struct{ ID string }
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		ids[i] = r.ID
	}
	return ids
}

// truth returns the ids of the source's records of the given types in
// [from, to), newest first.
func truth(t *testing.T, src Source, from, to time.Time, types ...signin.LogType) []Record {
	t.Helper()
	var all []Record
	for _, lt := range types {
		recs, err := Collect(src, lt, from, to)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, recs...)
	}
	slices.SortFunc(all, func(a, b Record) int { return compareNewest(&a, &b) })
	return all
}

func recordIDs(recs []Record) []string {
	ids := make([]string, len(recs))
	for i := range recs {
		ids[i] = recs[i].ID
	}
	return ids
}

// graphErrorOf decodes a Graph error body.
func graphErrorOf(t *testing.T, body []byte) graphErrorDetail {
	t.Helper()
	var ge graphError
	if err := json.Unmarshal(body, &ge); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return ge.Error
}

// signInsURL builds a sign-ins path with the given query options.
func signInsURL(version string, opts ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(opts); i += 2 {
		q.Set(opts[i], opts[i+1])
	}
	return "/" + version + "/auditLogs/signIns?" + q.Encode()
}

// loadFile is what `graphsim serve --file` does with a file, for tests.
func loadFile(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return FileSource(f)
}
