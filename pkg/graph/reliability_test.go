package graph_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// backoff in a case's sleeps stands for the client's first backoff delay,
// which is jittered within [1 s, 2 s).
const backoff = time.Duration(-1)

// faultCase is one no-loss proof: inject the rules, list a day, and compare.
type faultCase struct {
	name    string
	rules   []graphsim.FaultRule
	timeout time.Duration // RequestTimeout, for the slow pages

	injected []graphsim.Injection // exactly the faults that must have fired
	retries  []string             // exactly the retries the client must report
	sleeps   []time.Duration      // exactly its waits (backoff: jittered)
	sizes    []int                // page sizes delivered, when the fault changes them
}

// inject is the log entry of rule 0 firing on the nth request.
func inject(kind graphsim.FaultKind, status, n int) graphsim.Injection {
	return graphsim.Injection{Kind: kind, Status: status, Request: n}
}

func status(code int, n int, retryAfter int) graphsim.FaultRule {
	return graphsim.FaultRule{Kind: graphsim.FaultStatus, Status: code, Nth: n, RetryAfter: retryAfter}
}

func rule(kind graphsim.FaultKind, n int) graphsim.FaultRule {
	return graphsim.FaultRule{Kind: kind, Nth: n}
}

// simType is the log type the single-fault proofs list: a day of it is 841
// sign-ins, 9 pages of 100, enough pages for faults in the middle of paging.
const (
	simType  = signin.ManagedIdentity
	simTotal = 841
)

// TestNoLossUnderFaults lists a day of managed-identity sign-ins once per fault, over HTTP/1.1 and HTTP/2, and checks that the
// client delivered exactly the truth — same ids, same order, each once — and
// that the fault fired and was handled the way the case says.
func TestNoLossUnderFaults(t *testing.T) {
	truth := truthIDs(t, simType, simDayFrom, simDayTo)
	if len(truth) != simTotal {
		t.Fatalf("the tenant has %d %s sign-ins that day; the cases below assume %d", len(truth), simType, simTotal)
	}
	st := graphsim.FaultStatus
	cases := []faultCase{
		{name: "no fault", sizes: pageSizes(simTotal, 100)},
		{name: "429 with Retry-After", rules: []graphsim.FaultRule{status(429, 3, 2)},
			injected: []graphsim.Injection{inject(st, 429, 3)}, retries: []string{"throttled"}, sleeps: []time.Duration{2 * time.Second}},
		{name: "429 without Retry-After", rules: []graphsim.FaultRule{status(429, 3, 0)},
			injected: []graphsim.Injection{inject(st, 429, 3)}, retries: []string{"throttled"}, sleeps: []time.Duration{backoff}},
		{name: "500", rules: []graphsim.FaultRule{status(500, 3, 0)},
			injected: []graphsim.Injection{inject(st, 500, 3)}, retries: []string{"server"}, sleeps: []time.Duration{backoff}},
		{name: "502 from a gateway (HTML)", rules: []graphsim.FaultRule{status(502, 3, 0)},
			injected: []graphsim.Injection{inject(st, 502, 3)}, retries: []string{"server"}, sleeps: []time.Duration{backoff}},
		{name: "503 with Retry-After", rules: []graphsim.FaultRule{status(503, 3, 1)},
			injected: []graphsim.Injection{inject(st, 503, 3)}, retries: []string{"server"}, sleeps: []time.Duration{time.Second}},
		{name: "504 halves $top", rules: []graphsim.FaultRule{status(504, 3, 0)},
			injected: []graphsim.Injection{inject(st, 504, 3)}, retries: []string{"timeout"}, sleeps: []time.Duration{backoff},
			sizes: pageSizes(simTotal, 100, 100, 50)},
		{name: "5xx in a row", rules: []graphsim.FaultRule{status(500, 3, 0), status(502, 4, 0), status(503, 5, 0), status(500, 6, 0)},
			injected: []graphsim.Injection{inject(st, 500, 3), {Rule: 1, Kind: st, Status: 502, Request: 4}, {Rule: 2, Kind: st, Status: 503, Request: 5}, {Rule: 3, Kind: st, Status: 500, Request: 6}},
			retries:  []string{"server", "server", "server", "server"}},
		{name: "truncated, full Content-Length", rules: []graphsim.FaultRule{rule(graphsim.FaultTruncate, 3)},
			injected: []graphsim.Injection{inject(graphsim.FaultTruncate, 0, 3)}, retries: []string{"truncated"}, sleeps: []time.Duration{backoff}},
		{name: "truncated, chunked", rules: []graphsim.FaultRule{rule(graphsim.FaultTruncateChunked, 3)},
			injected: []graphsim.Injection{inject(graphsim.FaultTruncateChunked, 0, 3)}, retries: []string{"truncated"}, sleeps: []time.Duration{backoff}},
		{name: "truncated JSON in a whole response", rules: []graphsim.FaultRule{rule(graphsim.FaultTruncateJSON, 3)},
			injected: []graphsim.Injection{inject(graphsim.FaultTruncateJSON, 0, 3)}, retries: []string{"truncated"}, sleeps: []time.Duration{backoff}},
		{name: "slow page halves $top", rules: []graphsim.FaultRule{rule(graphsim.FaultSlow, 3)}, timeout: time.Second,
			injected: []graphsim.Injection{inject(graphsim.FaultSlow, 0, 3)}, retries: []string{"timeout"}, sleeps: []time.Duration{backoff},
			sizes: pageSizes(simTotal, 100, 100, 50)},
		{name: "invalid skip token once", rules: []graphsim.FaultRule{rule(graphsim.FaultBadSkipToken, 2)},
			injected: []graphsim.Injection{inject(graphsim.FaultBadSkipToken, 0, 3)}, retries: []string{"skiptoken"},
			sizes: pageSizes(simTotal, 100, 100, 99, 100)}, // the resumed page starts with the last sign-in delivered, dropped
		{name: "token revoked mid-paging (CAE challenge)", rules: []graphsim.FaultRule{rule(graphsim.FaultRevokeToken, 3)},
			injected: []graphsim.Injection{inject(graphsim.FaultRevokeToken, 0, 3)}, retries: []string{"unauthorized"}},
		{name: "same sign-in on two pages", rules: []graphsim.FaultRule{rule(graphsim.FaultDuplicate, 2)},
			injected: []graphsim.Injection{inject(graphsim.FaultDuplicate, 0, 2)}, sizes: pageSizes(simTotal, 100)},
	}
	for _, h2 := range []bool{false, true} {
		for _, c := range cases {
			t.Run(protoName(h2)+"/"+c.name, func(t *testing.T) { runFaultCase(t, c, h2, truth) })
		}
	}
}

func protoName(h2 bool) string {
	if h2 {
		return "HTTP2"
	}
	return "HTTP1"
}

func runFaultCase(t *testing.T, c faultCase, h2 bool, truth []string) {
	e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: c.rules}, http2: h2, timeout: c.timeout})
	pages, err := e.list(simType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	checkExact(t, pages, truth)
	e.wantProto(t, h2)
	if got := e.srv.Injections(); !slices.Equal(got, c.injected) {
		t.Fatalf("injected %+v; want %+v", got, c.injected)
	}
	if !slices.Equal(e.obs.retries, c.retries) {
		t.Fatalf("retries %q; want %q", e.obs.retries, c.retries)
	}
	if c.sleeps != nil || len(c.retries) == 0 {
		checkSleeps(t, e.obs.sleeps, c.sleeps)
	}
	if c.sizes != nil && !slices.Equal(lens(pages), c.sizes) {
		t.Fatalf("page sizes %v; want %v", lens(pages), c.sizes)
	}
}

func checkSleeps(t *testing.T, got, want []time.Duration) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		if want[i] == backoff {
			ok = got[i] >= time.Second && got[i] < 2*time.Second
		} else {
			ok = got[i] == want[i]
		}
	}
	if !ok {
		t.Fatalf("waits %v; want %v (-1ns: a first backoff in [1s, 2s))", got, want)
	}
}

// TestNoLossReset resets the connection mid-body. Over HTTP/1.1 the reset may
// overtake the headers, and net/http then silently resends the GET on a fresh
// connection, so the client sees a truncated page, a network error, or
// nothing; whichever, it must deliver the truth.
func TestNoLossReset(t *testing.T) {
	truth := truthIDs(t, simType, simDayFrom, simDayTo)
	for _, h2 := range []bool{false, true} {
		t.Run(protoName(h2), func(t *testing.T) {
			e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: []graphsim.FaultRule{rule(graphsim.FaultReset, 3)}}, http2: h2})
			pages, err := e.list(simType, simDayFrom, simDayTo)
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			checkExact(t, pages, truth)
			e.wantProto(t, h2)
			if got, want := e.srv.Injections(), []graphsim.Injection{inject(graphsim.FaultReset, 0, 3)}; !slices.Equal(got, want) {
				t.Fatalf("injected %+v; want %+v", got, want)
			}
			r := e.obs.retries
			if len(r) > 1 || (len(r) == 1 && r[0] != "truncated" && r[0] != "network") || (h2 && !slices.Equal(r, []string{"truncated"})) {
				t.Fatalf("retries %q; want [truncated] (HTTP/1.1 also [network] or none)", r)
			}
		})
	}
}

// TestNoLossSkipTokenNeverWorks fails every nextLink with "Invalid skip token":
// the client must get the whole day by resuming from the last delivered
// createdDateTime each time, without a duplicate.
func TestNoLossSkipTokenNeverWorks(t *testing.T) {
	truth := truthIDs(t, simType, simDayFrom, simDayTo)
	e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: []graphsim.FaultRule{{Kind: graphsim.FaultBadSkipToken}}}, http2: true})
	pages, err := e.list(simType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	checkExact(t, pages, truth)
	// 100 on the first page, then 99 new per resumed page: 9 pages
	if want := pageSizes(simTotal, 100, 99); !slices.Equal(lens(pages), want) {
		t.Fatalf("page sizes %v; want %v", lens(pages), want)
	}
	if n := len(e.srv.Injections()); n != 8 || !slices.Equal(e.obs.retries, slices.Repeat([]string{"skiptoken"}, 8)) {
		t.Fatalf("%d injections, retries %q; want 8 and 8 × skiptoken", n, e.obs.retries)
	}
}

// TestNoLossDuplicateEveryPage serves the last sign-in of every page again on
// the next one (8 duplicates); the client drops each, so the store never has to.
func TestNoLossDuplicateEveryPage(t *testing.T) {
	truth := truthIDs(t, simType, simDayFrom, simDayTo)
	e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: []graphsim.FaultRule{{Kind: graphsim.FaultDuplicate}}}, http2: true})
	pages, err := e.list(simType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	checkExact(t, pages, truth)
	if n := len(e.srv.Injections()); n != 9 || len(e.obs.retries) != 0 {
		t.Fatalf("%d injections, retries %q; want 9 (one per page) and none", n, e.obs.retries)
	}
}

// TestNoLossTokenExpiredMidPaging ends the token's lifetime on the server
// while the client still holds it. The client invalidates its cached token
// and asks azidentity once more; whether azidentity hands out a new token or
// its own cached one, the listing must either deliver the truth or fail with
// ErrUnauthorized after a prefix of it — never end short without an error.
func TestNoLossTokenExpiredMidPaging(t *testing.T) {
	truth := truthIDs(t, simType, simDayFrom, simDayTo)
	e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: []graphsim.FaultRule{rule(graphsim.FaultExpireToken, 3)}}, http2: true})
	// The client rebuilds its credential after a 401 without a claims challenge,
	// so azidentity's cached copy of the rejected token is not handed out again.
	pages, err := e.list(simType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatalf("unexpected error after %d sign-ins: %v; want recovery with a fresh token", len(flat(t, pages)), err)
	}
	checkExact(t, pages, truth)
	if !slices.Equal(e.obs.retries, []string{"unauthorized"}) {
		t.Fatalf("retries %q; want one unauthorized", e.obs.retries)
	}
}

// TestFaultsExhaustRetries keeps failing every nextLink: the listing must end
// with an error of the right class after exactly the first page, so nothing
// downstream can take the day for complete.
func TestFaultsExhaustRetries(t *testing.T) {
	truth := truthIDs(t, simType, simDayFrom, simDayTo)
	f := func(r graphsim.FaultRule, maxRetries int, timeout time.Duration, class error, prefix string) {
		t.Helper()
		r.SkipToken = true
		e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: []graphsim.FaultRule{r}}, http2: true, maxRetries: maxRetries, timeout: timeout})
		pages, err := e.list(simType, simDayFrom, simDayTo)
		if err == nil || (class != nil && !errors.Is(err, class)) || !strings.HasPrefix(err.Error(), prefix) {
			t.Fatalf("%s: error %v; want %v starting %q", r.Kind, err, class, prefix)
		}
		if got := flat(t, pages); !slices.Equal(got, truth[:100]) {
			t.Fatalf("%s: delivered %d sign-ins; want exactly the first page", r.Kind, len(got))
		}
		if n := len(e.srv.Injections()); n != max(maxRetries, 0)+1 {
			t.Fatalf("%s: %d injections; want %d", r.Kind, n, max(maxRetries, 0)+1)
		}
	}
	f(status(429, 0, 0), 5, 0, graph.ErrThrottled, "giving up after 5 retries: microsoft graph: status 429: TooManyRequests: Too many requests, please retry later. (")
	f(status(503, 0, 1), 5, 0, graph.ErrUnavailable, "giving up after 5 retries: microsoft graph: status 503: ServiceUnavailable: ")
	f(status(502, 0, 0), 5, 0, graph.ErrUnavailable, "giving up after 5 retries: microsoft graph: status 502: Bad Gateway (")
	f(status(504, 0, 0), 5, 0, graph.ErrUnavailable, "giving up after 5 retries: microsoft graph: status 504: GatewayTimeout: ")
	f(rule(graphsim.FaultTruncate, 0), 5, 0, graph.ErrNetwork, "giving up after 5 retries: network error: cannot reach 127.0.0.1:")
	f(rule(graphsim.FaultTruncateJSON, 0), 5, 0, nil, "giving up after 5 retries: decoding sign-ins page from 127.0.0.1:")
	f(rule(graphsim.FaultSlow, 0), 1, 500*time.Millisecond, graph.ErrTimeout, "giving up after 1 retries: timeout: no page within 500ms at $top=50")
	f(status(403, 0, 0), -1, 0, graph.ErrForbidden, "microsoft graph: status 403: Authorization_RequestDenied: ")
	f(rule(graphsim.FaultRevokeToken, 0), 1, 0, graph.ErrUnauthorized, "microsoft graph: status 401: InvalidAuthenticationToken: Continuous access evaluation")
}

// TestNoLossChaos lists three log types' day with several faults firing at
// random (seeded, so a failure reproduces) and a client allowed 8 retries.
func TestNoLossChaos(t *testing.T) {
	seeds := []int64{1}
	if longTests() {
		seeds = make([]int64, 32)
		for i := range seeds {
			seeds[i] = int64(i + 1)
		}
	}
	for _, seed := range seeds {
		for _, h2 := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/seed%d", protoName(h2), seed), func(t *testing.T) { runChaos(t, seed, h2) })
		}
	}
}

func runChaos(t *testing.T, seed int64, h2 bool) {
	p := func(kind graphsim.FaultKind, code int, prob float64) graphsim.FaultRule {
		seed++
		return graphsim.FaultRule{Kind: kind, Status: code, Prob: prob, Seed: seed}
	}
	st := graphsim.FaultStatus
	rules := []graphsim.FaultRule{
		p(st, 429, 0.05), p(st, 500, 0.05), p(st, 502, 0.03), p(st, 503, 0.05), p(st, 504, 0.03),
		p(graphsim.FaultReset, 0, 0.03), p(graphsim.FaultTruncate, 0, 0.03), p(graphsim.FaultTruncateChunked, 0, 0.03),
		p(graphsim.FaultTruncateJSON, 0, 0.03), p(graphsim.FaultBadSkipToken, 0, 0.1), p(graphsim.FaultRevokeToken, 0, 0.02),
		p(graphsim.FaultDuplicate, 0, 0.15),
	}
	e := newSimEnv(t, simOptions{faults: graphsim.Faults{Rules: rules}, http2: h2, maxRetries: 8})
	types := []signin.LogType{signin.Interactive, signin.ServicePrincipal, signin.ManagedIdentity}
	if longTests() {
		types = signin.LogTypes
	}
	for _, lt := range types {
		pages, err := e.list(lt, simDayFrom, simDayTo)
		if err != nil {
			t.Fatalf("%s: unexpected error: %v", lt, err)
		}
		checkExact(t, pages, truthIDs(t, lt, simDayFrom, simDayTo))
	}
	if n := len(e.srv.Injections()); n < 10 {
		t.Fatalf("only %d faults fired; the test would prove little", n)
	}
	t.Logf("%d faults injected, %d retries", len(e.srv.Injections()), len(e.obs.retries))
}
