package graph_test

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The no-loss tests list one day of a small synthetic tenant, two hours after
// it ended on the simulator's clock, so every sign-in of the day has arrived.
var (
	simDayFrom = time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)
	simDayTo   = simDayFrom.Add(24 * time.Hour)
	simNow     = simDayTo.Add(2 * time.Hour)
)

const (
	simTenant   = "contoso.onmicrosoft.com"
	simClientID = "11111111-2222-3333-4444-555555555555"
	simSecret   = "reliability~Secret.0123456789abcdef"
)

// simSource is the tenant every test reads, built once: the generator is
// deterministic, so the truth is the same whichever test asks first.
var simSource = sync.OnceValue(func() graphsim.Source {
	tenant, err := synth.New(7, "small")
	if err != nil {
		panic(err)
	}
	return graphsim.TenantSource(tenant)
})

// simClock is the simulator's settable clock, so no test waits for time to pass.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *simClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// simObserver records what the client reports and stands in for its Sleep,
// so retries cost no real time.
type simObserver struct {
	mu       sync.Mutex
	retries  []string
	sleeps   []time.Duration
	statuses []int
}

func (o *simObserver) Request(status int, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.statuses = append(o.statuses, status)
}

func (o *simObserver) Retry(reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.retries = append(o.retries, reason)
}

func (o *simObserver) Decoded(azure.Decoded) {}

func (o *simObserver) sleep(ctx context.Context, d time.Duration) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sleeps = append(o.sleeps, d)
	return ctx.Err()
}

// simOptions shape one environment; zero values are the defaults below.
type simOptions struct {
	faults     graphsim.Faults
	http2      bool
	pageSize   int           // default 100: a day is 17 pages
	timeout    time.Duration // RequestTimeout; default 10 s, only the slow-page tests shorten it
	maxRetries int           // default the client's
	delay      time.Duration // the simulator's ingestion delay
	now        time.Time     // the simulator's clock; default simNow
}

// simEnv is the simulator behind an httptest TLS server, speaking HTTP/1.1 or
// HTTP/2, and the real client configured as the plugin configures it: client
// secret through the simulator's token endpoint, the server's certificate as
// tlsCACert.
type simEnv struct {
	srv    *graphsim.Server
	client *graph.Client
	obs    *simObserver
	clock  *simClock

	mu     sync.Mutex
	protos []int // HTTP major version of each sign-ins request
}

func newSimEnv(t *testing.T, o simOptions) *simEnv {
	t.Helper()
	if o.now.IsZero() {
		o.now = simNow
	}
	e := &simEnv{obs: &simObserver{}, clock: &simClock{t: o.now}}
	srv, err := graphsim.New(graphsim.Options{Source: simSource(), Now: e.clock.Now, Delay: o.delay,
		Credentials: map[string]string{simClientID: simSecret}, Faults: o.faults})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			e.mu.Lock()
			e.protos = append(e.protos, r.ProtoMajor)
			e.mu.Unlock()
		}
		srv.ServeHTTP(w, r)
	}))
	ts.EnableHTTP2 = o.http2
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // cut connections are the point
	ts.StartTLS()
	t.Cleanup(ts.Close)
	cfg := graph.Config{
		TenantID: simTenant, ClientID: simClientID, ClientSecret: simSecret,
		GraphEndpoint: ts.URL, AuthorityHost: ts.URL,
		TLSCACert:      pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw}),
		PageSize:       cmpOr(o.pageSize, 100),
		RequestTimeout: cmpOr(o.timeout, 10*time.Second),
		MaxRetries:     o.maxRetries,
		Observer:       e.obs,
		Sleep:          e.obs.sleep,
	}
	if e.client, err = graph.New(cfg); err != nil {
		t.Fatal(err)
	}
	return e
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// list runs ListSignIns and returns the ids of each page delivered.
func (e *simEnv) list(lt signin.LogType, from, to time.Time) ([][]string, error) {
	var pages [][]string
	err := e.client.ListSignIns(context.Background(), lt, from, to, func(events []signin.Event) error {
		ids := make([]string, len(events))
		for i, ev := range events {
			if ev.LogType != lt || ev.Created.Before(from) || !ev.Created.Before(to) {
				ids[i] = "OUT OF QUERY: " + ev.ID
			} else {
				ids[i] = ev.ID
			}
		}
		pages = append(pages, ids)
		return nil
	})
	return pages, err
}

// wantProto checks that every sign-ins request went over the intended HTTP
// version, so the HTTP/2 cases do test HTTP/2.
func (e *simEnv) wantProto(t *testing.T, http2 bool) {
	t.Helper()
	want := 1
	if http2 {
		want = 2
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, p := range e.protos {
		if p != want {
			t.Fatalf("request %d went over HTTP/%d; want HTTP/%d", i+1, p, want)
		}
	}
}

// truthIDs are the ids graphsim.Collect gives for [from, to): the ground
// truth, newest first, straight from the source.
func truthIDs(t *testing.T, lt signin.LogType, from, to time.Time) []string {
	t.Helper()
	recs, err := graphsim.Collect(simSource(), lt, from, to)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(recs))
	for i := range recs {
		ids[i] = recs[i].ID
	}
	if len(ids) == 0 {
		t.Fatalf("no %s sign-ins in [%s, %s): the test would prove nothing", lt, from, to)
	}
	return ids
}

// flat joins pages, failing on an id delivered twice.
func flat(t *testing.T, pages [][]string) []string {
	t.Helper()
	var all []string
	seen := make(map[string]bool)
	for p, page := range pages {
		for _, id := range page {
			if seen[id] {
				t.Fatalf("sign-in %s delivered twice (again on page %d)", id, p+1)
			}
			seen[id] = true
			all = append(all, id)
		}
	}
	return all
}

// checkExact asserts the pages hold exactly want, in order, each once.
func checkExact(t *testing.T, pages [][]string, want []string) {
	t.Helper()
	got := flat(t, pages)
	if slices.Equal(got, want) {
		return
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("delivered %d sign-ins, truth has %d; first difference at %d: got %s, want %s", len(got), len(want), i, got[i], want[i])
		}
	}
	t.Fatalf("delivered %d sign-ins, truth has %d; one is a prefix of the other", len(got), len(want))
}

// pageSizes lists the page sizes of a listing of total sign-ins whose pages
// have the given sizes, the last size repeating until the total is reached.
func pageSizes(total int, sizes ...int) []int {
	var out []int
	for i := 0; total > 0; i++ {
		n := min(sizes[min(i, len(sizes)-1)], total)
		out, total = append(out, n), total-n
	}
	return out
}

func lens(pages [][]string) []int {
	out := make([]int, len(pages))
	for i, p := range pages {
		out[i] = len(p)
	}
	return out
}
