package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/plugin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Graph's throttle for sign-in reports (README, "Limits"), which the simulator
// enforces in figure e and the store must live with.
const (
	throttleRequests = 5
	throttleWindow   = 10 * time.Second
	throttleCost     = throttleWindow / throttleRequests // 2 s a request
	runWindows       = 24                                // the plugin's MaxRun: a day of hour windows per listing
)

// Figure e's targets.
const (
	requestsTarget = 1.02 // requests made ÷ the fewest that could do
	timeTarget     = 1.10 // time taken ÷ requests × 2 s
)

// ColdLoad measures figure e: Options.ColdRange of the ColdTenant loaded cold
// through the Graph client and the store, sharing one request budget as the
// plugin wires them (plugin.ShareBudget), from a simulator that throttles as
// Graph does (5 requests per 10 s). It counts the sign-in requests Graph saw
// against the fewest the store's listings could have made (one per 1,000
// sign-ins, at least one per listing), the time taken against what the
// throttle allows (2 s a request), and the 429s that reached the store instead
// of being waited out by the client. The medium tenant's week is not loaded
// (about an hour of throttle): its minimum is computed from its sign-in counts
// instead.
func ColdLoad(ctx context.Context, o Options) ([]Result, error) {
	tn, secret, err := tenantAndSecret(o.Seed, o.ColdTenant)
	if err != nil {
		return nil, err
	}
	sim, err := graphsim.New(graphsim.Options{Source: graphsim.TenantSource(tn), Throttle: throttleRequests,
		ThrottleWindow: throttleWindow, Credentials: map[string]string{clientID: secret}})
	if err != nil {
		return nil, err
	}
	url, err := sim.Start("127.0.0.1:0", true)
	if err != nil {
		return nil, err
	}
	defer sim.Close()
	obs := &statusObserver{}
	// Wired as the plugin wires them: one request budget, charged by the
	// client for every HTTP attempt.
	gcfg := plugin.ShareBudget(graph.Config{TenantID: benchTenantID, ClientID: clientID,
		AuthType: graph.AuthClientSecret, ClientSecret: secret, GraphEndpoint: url, AuthorityHost: url,
		TLSCACert: sim.CACertPEM(), Observer: obs}, throttleRequests, throttleWindow)
	// Revalidation due at once: the cold load's scans find nothing held and
	// do not start one; the scan after it does (revalidationAfter).
	scfg := store.Config{MaxRun: runWindows, TimeBudget: 4 * time.Hour, MetricsLabel: "bench-coldload", RevalidateEvery: time.Nanosecond}
	client, err := graph.New(gcfg)
	if err != nil {
		return nil, err
	}
	src := &recordingSource{next: client}
	st := store.New(src, scfg)
	defer st.Close()

	to := time.Now().UTC()
	from := to.Add(-o.ColdRange)
	start := time.Now()
	perType, perWindowMin, err := loadAll(ctx, st, from, to)
	elapsed := time.Since(start)
	if err != nil && src.throttled.Load() == 0 {
		return nil, err
	}
	made := obs.requests.Load()
	ss := sim.Stats()
	charged := gcfg.Pacer.Charged()
	minRuns := 0
	for _, c := range src.snapshot() {
		minRuns += requestsFor(c.events)
	}
	minTypes := 0
	total := 0
	for _, n := range perType {
		minTypes += requestsFor(n)
		total += n
	}
	scope := fmt.Sprintf("%s tenant, %s", o.ColdTenant, o.ColdRange)
	// The throttle lets P pages through in P × 2 s, or (P − 5) × 2 s from a
	// full bucket; requests it refused with 429 are not part of the allowance.
	pages := ss.Pages
	allowed := time.Duration(pages) * throttleCost
	floor := time.Duration(max(0, pages-throttleRequests)) * throttleCost
	out := []Result{
		atMost("e. cold load: Graph requests ÷ minimum", float64(made)/float64(max(1, minRuns)), "×", requestsTarget,
			fmt.Sprintf("%s: %d sign-in requests (simulator: %d pages + %d 429s; the shared budget charged %d) for %d sign-ins; minimum for the store's %d listings Σmax(1,⌈n/1000⌉) = %d (pages ÷ minimum %.2f); one listing per log type = %d; Σ over hour windows ⌈n/1000⌉ = %d",
				scope, made, pages, ss.ByStatus["429"], charged, total, len(src.snapshot()), minRuns, float64(pages)/float64(max(1, minRuns)), minTypes, perWindowMin)),
		atMost("e. cold load: time ÷ throttle allowance", elapsed.Seconds()/allowed.Seconds(), "×", timeTarget,
			fmt.Sprintf("%s: %.1f s for %d pages; the throttle allows %d × 2 s = %.0f s, from a full bucket of %d (%d − %d) × 2 s = %.0f s (÷ %.2f)",
				scope, elapsed.Seconds(), pages, pages, allowed.Seconds(), throttleRequests, pages, throttleRequests, floor.Seconds(), elapsed.Seconds()/max(1, floor.Seconds()))),
		{Figure: "e. cold load: 429s reaching the store unhandled", Value: float64(src.throttled.Load()), Unit: "", Target: "= 0",
			Pass: src.throttled.Load() == 0, Note: fmt.Sprintf("%d 429s answered by the simulator, retried by the client after Retry-After (%d retries); source errors: %d",
				obs.byStatus(http.StatusTooManyRequests), obs.retries.Load(), src.failures.Load())},
	}
	revalidation, err := revalidationAfter(ctx, st, src, obs, to, o.ColdRange)
	if err != nil {
		return nil, err
	}
	out = append(out, revalidation)
	if o.Tenant != o.ColdTenant {
		est, err := coldEstimate(o, o.Tenant, o.ColdRange)
		if err != nil {
			return nil, err
		}
		out = append(out, est)
	}
	return out, nil
}

// revalidationAfter scans the loaded range once more, which starts a
// revalidation of every log type (RevalidateEvery is a nanosecond here),
// waits for them and reports what they asked of Graph through the same
// throttle: the cost, every revalidateEverySeconds, of keeping the last day
// current.
func revalidationAfter(ctx context.Context, st *store.Store, src *recordingSource, obs *statusObserver, to time.Time, span time.Duration) (Result, error) {
	before, listed, start := obs.requests.Load(), len(src.snapshot()), time.Now()
	for _, lt := range signin.LogTypes {
		if err := st.Scan(ctx, lt, to.Add(-span), to, func(*block.Block, int, int) {}); err != nil {
			return Result{}, fmt.Errorf("bench: the scan after the cold load: %w", err)
		}
	}
	for src.revalidated.Load() < int64(len(signin.LogTypes)) {
		if time.Since(start) > 5*time.Minute {
			return Result{}, errors.New("bench: the revalidations after the cold load did not end within 5 minutes")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The scan also refreshed the open windows: their listings are not the
	// revalidation's (a listing is a request even when it delivers no page).
	refreshes := 0
	for _, c := range src.snapshot()[listed:] {
		refreshes += max(1, c.pages)
	}
	stats := st.Stats()
	return info("e. revalidation after the cold load: Graph requests", float64(obs.requests.Load()-before-int64(refreshes)), "",
		fmt.Sprintf("one revalidation of each log type, the last 24 h of closed windows (at most every revalidateEverySeconds, default an hour): %.1f s through the same throttle, with the scan's %d refreshes of the open windows; %d revalidations, %d windows revised",
			time.Since(start).Seconds(), refreshes, stats.Revalidations, stats.WindowsRevised)), nil
}

// loadAll scans every log of [from, to) at once, as a dashboard's panels do,
// and returns the sign-ins per log and Σ⌈n/1000⌉ over the hour windows.
func loadAll(ctx context.Context, st *store.Store, from, to time.Time) (map[signin.LogType]int, int, error) {
	var mu sync.Mutex
	perType := make(map[signin.LogType]int)
	perWindow := 0
	errs := make([]error, len(signin.LogTypes))
	var wg sync.WaitGroup
	for i, lt := range signin.LogTypes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.Scan(ctx, lt, from, to, func(_ *block.Block, lo, hi int) {
				mu.Lock()
				perType[lt] += hi - lo
				perWindow += (hi - lo + pageSize - 1) / pageSize
				mu.Unlock()
			})
		}()
	}
	wg.Wait()
	return perType, perWindow, errors.Join(errs...)
}

// requestsFor is the fewest Graph requests that list n sign-ins: one per
// 1,000, and one for an empty answer.
func requestsFor(n int) int { return max(1, (n+pageSize-1)/pageSize) }

// recordingSource records the store's listings and the errors that reach it,
// from Graph's client (figure e) or the workspace's (g).
type recordingSource struct {
	next      store.Source
	throttled atomic.Int64 // listings that failed with a 429 the client did not absorb
	failures  atomic.Int64
	// revalidated counts the ListChanged calls that returned.
	revalidated atomic.Int64
	calls
}

// ListSignIns implements store.Source.
func (s *recordingSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	lc := listCall{t: t, from: from, to: to}
	err := s.next.ListSignIns(ctx, t, from, to, func(page []signin.Event) error {
		lc.events += len(page)
		lc.pages++
		return fn(page)
	})
	if err != nil {
		s.failures.Add(1)
		var ge *graph.Error
		if errors.Is(err, graph.ErrThrottled) || errors.Is(err, loganalytics.ErrThrottled) || errors.As(err, &ge) && ge.StatusCode == http.StatusTooManyRequests {
			s.throttled.Add(1)
		}
	}
	s.add(lc)
	return err
}

// ListChanged implements store.ChangeLister when the source does; each call
// is counted done when it returns.
func (s *recordingSource) ListChanged(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	defer s.revalidated.Add(1)
	if cl, ok := s.next.(store.ChangeLister); ok {
		return cl.ListChanged(ctx, t, from, to, fn)
	}
	return nil
}

// statusObserver counts the Graph client's requests by status.
type statusObserver struct {
	requests atomic.Int64
	retries  atomic.Int64
	mu       sync.Mutex
	statuses map[int]int64
}

var _ azure.Observer = (*statusObserver)(nil)

func (o *statusObserver) Request(status int, _ time.Duration) {
	o.requests.Add(1)
	o.mu.Lock()
	if o.statuses == nil {
		o.statuses = make(map[int]int64)
	}
	o.statuses[status]++
	o.mu.Unlock()
}

func (o *statusObserver) Retry(string)          { o.retries.Add(1) }
func (o *statusObserver) Decoded(azure.Decoded) {}

// statusCounts is a copy of the answers counted by status.
func (o *statusObserver) statusCounts() map[int]int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.statuses)
}

func (o *statusObserver) byStatus(status int) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.statuses[status]
}

// clientID is the app the benchmarks' simulated tenants know.
const clientID = "signinlens-bench"

// tenantAndSecret is a synthetic tenant and a client secret for its simulator.
func tenantAndSecret(seed int64, size string) (*synth.Tenant, string, error) {
	tn, err := newTenant(seed, size)
	if err != nil {
		return nil, "", err
	}
	secret, err := secretHex()
	return tn, secret, err
}

func secretHex() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// coldEstimates caches the medium tenant's estimate: counting its week means
// generating it.
var coldEstimates sync.Map

// coldEstimate is the fewest requests a cold load of span of the tenant needs
// with the store's listings (a day of hour windows each, per log type), and the
// time the throttle takes for them.
func coldEstimate(o Options, size string, span time.Duration) (Result, error) {
	key := fmt.Sprintf("%s/%d/%d", size, o.Seed, span)
	if r, ok := coldEstimates.Load(key); ok {
		return r.(Result), nil
	}
	tn, err := newTenant(o.Seed, size)
	if err != nil {
		return Result{}, err
	}
	to := busyHour.Truncate(24 * time.Hour)
	from := to.Add(-span)
	start := time.Now()
	reqs, total := 0, 0
	for _, lt := range signin.LogTypes {
		n := counts(tn, lt, from, to)
		for i := 0; i < len(n); i += runWindows {
			run := 0
			for _, c := range n[i:min(i+runWindows, len(n))] {
				run += c
			}
			reqs += requestsFor(run)
			total += run
		}
	}
	o.logf("  counted the %s tenant's %s in %s", size, span, time.Since(start).Round(time.Millisecond))
	d := time.Duration(max(0, reqs-throttleRequests)) * throttleCost
	r := info(fmt.Sprintf("e. %s tenant, %s cold: minimum at the throttle", size, span), d.Minutes(), "min",
		fmt.Sprintf("computed, not loaded: %d sign-ins need at least %d requests in day-long listings; (%d − %d burst) × 2 s", total, reqs, reqs, throttleRequests))
	coldEstimates.Store(key, r)
	return r, nil
}

// counts returns the sign-ins of each hour of [from, to), generated on every core.
func counts(tn *synth.Tenant, lt signin.LogType, from, to time.Time) []int {
	hours := int(to.Sub(from) / time.Hour)
	out := make([]int, hours)
	var wg sync.WaitGroup
	var next atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < hours; i = int(next.Add(1) - 1) {
				out[i] = len(tn.Hour(lt, from.Add(time.Duration(i)*time.Hour)))
			}
		}()
	}
	wg.Wait()
	return out
}
