package graph

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fakeGraph is an in-package stand-in for Graph: each test answers requests with
// its own handler; the fake records what arrived.
type fakeGraph struct {
	srv     *httptest.Server
	mu      sync.Mutex
	urls    []string // path?query of every request, as sent
	bearers []string
}

func newFakeGraph(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *fakeGraph {
	t.Helper()
	g := &fakeGraph{}
	g.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		n := len(g.urls)
		g.urls = append(g.urls, r.URL.RequestURI())
		g.bearers = append(g.bearers, r.Header.Get("Authorization"))
		g.mu.Unlock()
		handle(w, r, n)
	}))
	g.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // TLS tests provoke handshake errors on purpose
	g.srv.StartTLS()
	t.Cleanup(g.srv.Close)
	return g
}

func (g *fakeGraph) requests() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.urls...)
}

// fakeCredential hands out token-1, token-2, ... and counts the calls.
type fakeCredential struct {
	mu    sync.Mutex
	calls int
}

func (f *fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return azcore.AccessToken{Token: fmt.Sprintf("token-%d", f.calls), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

// recorder is an Observer and a Sleep that remember what they saw.
type recorder struct {
	mu       sync.Mutex
	sleeps   []time.Duration
	retries  []string
	statuses []int
	decoded  []int
}

func (r *recorder) Request(status int, _ time.Duration) {
	r.mu.Lock()
	r.statuses = append(r.statuses, status)
	r.mu.Unlock()
}
func (r *recorder) Retry(reason string) {
	r.mu.Lock()
	r.retries = append(r.retries, reason)
	r.mu.Unlock()
}
func (r *recorder) Decoded(d azure.Decoded) {
	r.mu.Lock()
	r.decoded = append(r.decoded, d.Events)
	r.mu.Unlock()
}
func (r *recorder) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.sleeps = append(r.sleeps, d)
	r.mu.Unlock()
	return ctx.Err()
}

// testClient is a client of g with a fake credential and recorded sleeps.
func testClient(t *testing.T, g *fakeGraph, mods ...func(*Config)) (*Client, *fakeCredential, *recorder) {
	t.Helper()
	cred, rec := &fakeCredential{}, &recorder{}
	cfg := Config{GraphEndpoint: g.srv.URL, Credential: cred, HTTPClient: g.srv.Client(), Observer: rec, Sleep: rec.sleep}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, cred, rec
}

// record is one sign-in as the fake serves it.
type record struct {
	id      string
	created string
}

// pageBody renders a Graph page of records with an optional nextLink.
func pageBody(next string, recs ...record) string {
	items := make([]string, len(recs))
	for i, r := range recs {
		items[i] = fmt.Sprintf(`{"id":%q,"createdDateTime":%q,"appDisplayName":"App","status":{"errorCode":0}}`, r.id, r.created)
	}
	nl := ""
	if next != "" {
		nl = fmt.Sprintf(`"@odata.nextLink":%q,`, next)
	}
	return `{"@odata.context":"https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",` + nl + `"value":[` + strings.Join(items, ",") + `]}`
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// collect runs ListSignIns and returns the ids per page.
func collect(ctx context.Context, c *Client, from, to time.Time) ([][]string, error) {
	var pages [][]string
	err := c.ListSignIns(ctx, signin.NonInteractive, from, to, func(events []signin.Event) error {
		ids := make([]string, len(events))
		for i, e := range events {
			ids[i] = e.ID
		}
		pages = append(pages, ids)
		return nil
	})
	return pages, err
}

var (
	winFrom = time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC)
	winTo   = time.Date(2026, 1, 13, 15, 0, 0, 0, time.UTC)
)

// firstURL is the request URI of the first page of the test window.
func firstURL(top int) string {
	return "/beta/auditLogs/signIns?$filter=" + escapeQuery(WindowFilter(signin.NonInteractive, winFrom, winTo)) + fmt.Sprintf("&$top=%d", top)
}
