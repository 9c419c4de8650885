package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Figure j's targets (issue "Large tenants and long ranges"; the issue calls
// the figure g, a letter figure g already has).
const (
	largePanelTarget     = 250 * time.Millisecond
	largeDashboardTarget = time.Second
)

// largeStoreConfig mirrors (*plugin.Datasource).storeConfig in
// pkg/plugin/storeconfig.go for a datasource whose only setting is cacheSizeMB:
// L1Bytes = cacheSizeMB << 20, MaxRun = maxRunWindows (24). The seal rounds
// run every 100 ms instead of every minute, so the figure measures the steady
// state without waiting minutes for it (as figure c).
func largeStoreConfig(cacheSizeMB int, now time.Time) store.Config {
	return store.Config{
		L1Bytes: cacheSizeMB << 20, MaxRun: runWindows, TimeBudget: time.Hour,
		SealEvery: sealEvery, MetricsLabel: "bench-large", Now: func() time.Time { return now },
	}
}

// countingSource lists a tiled source's sign-ins with fresh strings per
// sign-in, as decoding a Graph page gives them, and counts what it listed.
type countingSource struct {
	tiled  atomic.Pointer[tiledSource] // nil once released: listings then fail
	listed atomic.Int64
	calls  atomic.Int64
	// refuse, while set, makes every listing fail after counting the
	// sign-ins it would have listed in refused: a window the store no longer
	// holds is then counted, not fetched again (a refill would evict others).
	refuse  atomic.Bool
	refused atomic.Int64
}

var (
	errRefused  = errors.New("bench: listing refused while checking what the store holds")
	errReleased = errors.New("bench: listing after the tiled day was released (the store let a window go)")
)

func (s *countingSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	s.calls.Add(1)
	tiled := s.tiled.Load()
	if tiled == nil {
		return errReleased
	}
	if s.refuse.Load() {
		n := 0
		_ = tiled.ListSignIns(ctx, t, from, to, func(page []signin.Event) error { n += len(page); return nil })
		s.refused.Add(int64(n))
		return errRefused
	}
	return tiled.ListSignIns(ctx, t, from, to, func(page []signin.Event) error {
		for i := range page {
			cloneStrings(&page[i])
		}
		s.listed.Add(int64(len(page)))
		return fn(page)
	})
}

// resetPeak resets this process's VmHWM to its RSS (Linux, clear_refs 5), so
// that a later procStatus reads the peak from now on; false where it cannot.
func resetPeak() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// procStatus returns VmRSS and VmHWM of this process in bytes.
func procStatus() (rss, hwm int64) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "VmRSS:"):
			fmt.Sscanf(strings.TrimPrefix(line, "VmRSS:"), "%d", &kb)
			rss = kb << 10
		case strings.HasPrefix(line, "VmHWM:"):
			fmt.Sscanf(strings.TrimPrefix(line, "VmHWM:"), "%d", &kb)
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// Large measures figure j: Options.LargeDays of the large tenant in one store
// configured as the plugin configures it for cacheSizeMB = Options.LargeCacheMB,
// filled in process (no Graph JSON beyond the one real day that is tiled), then
// the overview dashboard's panels warm through query.Engine.
func Large(ctx context.Context, o Options) ([]Result, error) {
	_, panels, err := overviewInProcess(o)
	if err != nil {
		return nil, err
	}

	// One real weekday of the tenant, decoded from Graph JSON once, replayed
	// over every day of the range with ids of its own: every day a busy
	// weekday, the heavier case. Only that day is held; the store's copies
	// get fresh strings per sign-in.
	day := busyHour.Truncate(24 * time.Hour)
	set, err := events(o, o.LargeTenant, day, day.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	perDay := set.count()
	from := day
	to := day.Add(time.Duration(o.LargeDays) * 24 * time.Hour)
	src := &countingSource{}
	src.tiled.Store(&tiledSource{day: day, set: set})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	st := store.New(src, largeStoreConfig(o.LargeCacheMB, to.Add(48*time.Hour)))
	defer st.Close()

	start := time.Now()
	stopFill := profile(o, "large-fill")
	var inRange int64
	// Day by day, so no listing holds more than a day of one log.
	for d := from; d.Before(to); d = d.Add(24 * time.Hour) {
		for _, lt := range signin.LogTypes {
			if err := st.Scan(ctx, lt, d, d.Add(24*time.Hour), func(b *block.Block, lo, hi int) { inRange += int64(hi - lo) }); err != nil {
				stopFill()
				return nil, fmt.Errorf("bench: filling the store: %w", err)
			}
		}
		o.logf("  filled %s: %d sign-ins so far, %s", d.Format("2006-01-02"), inRange, time.Since(start).Round(time.Second))
	}
	stopFill()
	fill := time.Since(start)
	for st.Stats().WindowsPending > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(3 * sealEvery) // the steady state, as figure c
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	filled := st.Stats()
	rssFilled, _ := procStatus()

	// Every window read again, day by day, with the source refusing: a window
	// evicted from L1 (or never put there) asks the source, which counts the
	// sign-ins it would have listed and fails.
	callsBefore, missBefore := src.calls.Load(), st.Stats().L1Misses
	src.refuse.Store(true)
	failedScans := 0
	for d := from; d.Before(to); d = d.Add(24 * time.Hour) {
		for _, lt := range signin.LogTypes {
			if err := st.Scan(ctx, lt, d, d.Add(24*time.Hour), func(*block.Block, int, int) {}); err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				failedScans++
			}
		}
	}
	src.refuse.Store(false)
	refetched := src.refused.Load()
	refetchCalls := src.calls.Load() - callsBefore
	missed := st.Stats().L1Misses - missBefore
	held := inRange - refetched
	o.logf("  checked: %d of %d sign-ins held; %d L1 misses, %d listings refused", held, inRange, missed, refetchCalls)

	// The tiled day goes, so that the process holds what a plugin would: the
	// store. Memory the heap no longer uses is returned to the system before
	// the RSS is read.
	src.tiled.Store(nil)
	forgetEvents(o, o.LargeTenant, day, day.Add(24*time.Hour))
	debug.FreeOSMemory()
	rssHeld, hwmBefore := procStatus()

	// The plugin's memory settings for this cache: the queries' ceiling
	// (memguard's default), the plans kept across queries (an eighth of the
	// cache) and the collector's soft limit over them and the caches, as a
	// datasource of this cacheSizeMB reserves them.
	cache := int64(o.LargeCacheMB) << 20
	ceiling, plans := memguard.DefaultLimit(0), max(cache/8, 16<<20)
	limitBefore := debug.SetMemoryLimit(memguard.SoftLimit(ceiling, cache+plans))
	defer debug.SetMemoryLimit(limitBefore)
	peakReset := resetPeak()
	e := query.New(st, query.WithMemoryGuard(memguard.New(ceiling)), query.WithPlanCacheBytes(plans))
	whole := query.Range{From: from, To: to, Interval: (to.Sub(from) / 1000).Round(time.Second)}
	ps, err := parsePanels(panels, whole, to)
	if err != nil {
		return nil, err
	}
	requestsBefore := src.calls.Load()
	// As provisioned first (the dashboard's 24 hours, its panels' "this week"
	// and "24h"), then every panel over the whole range held, the heavier case.
	provisioned, err := warmPanels(ctx, o, e, ps, false, "large-panels-provisioned")
	if err != nil {
		return nil, err
	}
	allDays, err := warmPanels(ctx, o, e, ps, true, "large-panels")
	if err != nil {
		return nil, err
	}
	panelRequests := src.calls.Load() - requestsBefore
	rss, hwm := procStatus()
	if o.ProfileDir != "" {
		path := filepath.Join(o.ProfileDir, "large-heap.prof")
		if f, err := os.Create(path); err == nil {
			runtime.GC()
			if err := pprof.WriteHeapProfile(f); err == nil {
				o.logf("  heap profile written to %s", path)
			}
			f.Close()
		}
	}

	scope := fmt.Sprintf("%d days of the %s tenant (one real weekday of %d sign-ins tiled over every day), cacheSizeMB %d",
		o.LargeDays, o.LargeTenant, perDay, o.LargeCacheMB)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc) // #nosec G115 -- heap sizes, far below 2^63
	perSignIn := 0.0
	if filled.EventsCached > 0 {
		perSignIn = float64(heap) / float64(filled.EventsCached)
	}
	heldRow := Result{Figure: "j. sign-ins held ÷ in the range", Value: float64(held) / float64(max(1, inRange)), Unit: "×", Target: "= 1 (every window held)",
		Pass: refetched == 0 && missed == 0,
		Note: fmt.Sprintf("%s; %d of %d sign-ins held; reading every window again (the source refusing) missed L1 for %d windows: %d sign-ins in %d listings the store asked for again (%d of %d day × log scans failed); filled in %s; Stats after filling: %d windows, %d sign-ins, L1 %.0f MB",
			scope, held, inRange, missed, refetched, refetchCalls, failedScans, o.LargeDays*len(signin.LogTypes), fill.Round(time.Second), filled.WindowsCached, filled.EventsCached, float64(filled.BytesCached)/1e6)}
	peakNote := "VmHWM since the panels began"
	if !peakReset {
		hwm, peakNote = max(hwm, hwmBefore), "VmHWM since the process began: it could not be reset (/proc/self/clear_refs)"
	}
	out := []Result{
		heldRow,
		atMost("j. memory while panels run (VmHWM)", float64(hwm)/(1<<20), "MiB", float64(ceiling+cache+cache/2)/(1<<20),
			fmt.Sprintf("%s, every panel as provisioned then over the whole range, 4 queries at once; target 1.5 × cacheSizeMB (%d MiB) + the query memory ceiling (%d MiB), with the plugin's soft memory limit (memguard.SoftLimit: %d MiB) and ceiling",
				peakNote, o.LargeCacheMB, ceiling>>20, memguard.SoftLimit(ceiling, cache+plans)>>20)),
		info("j. bytes per cached sign-in (Go heap, as c)", perSignIn, "B",
			fmt.Sprintf("Go heap +%.0f MB for %d sign-ins; the store counts %.0f MB against cacheSizeMB", float64(heap)/1e6, filled.EventsCached, float64(filled.BytesCached)/1e6)),
		info("j. process RSS (VmRSS) holding the store", float64(rssHeld)/(1<<20), "MiB",
			fmt.Sprintf("the tiled day released and free memory returned to the system; %.0f MiB after the panels (their garbage not yet returned); %.0f MiB while filling with the tiled day of %d decoded sign-ins in memory; VmHWM before the panels %.0f MiB (the bench's own Graph JSON of that day decoded)",
				float64(rss)/(1<<20), float64(rssFilled)/(1<<20), perDay, float64(hwmBefore)/(1<<20))),
	}
	out = append(out, provisioned.rows(ps, "as provisioned", panelRequests)...)
	out = append(out, allDays.rows(ps, fmt.Sprintf("%d days", o.LargeDays), panelRequests)...)
	return out, nil
}

// largePanel is a panel of the overview dashboard, parsed, with the range it
// asks for as provisioned and over the whole range held.
type largePanel struct {
	title       string
	qs          []query.Query
	provisioned query.Range
	whole       query.Range
}

// dashboardSpan is the overview dashboard's own time range (now-24h).
const dashboardSpan = 24 * time.Hour

func parsePanels(panels []dashPanel, whole query.Range, now time.Time) ([]largePanel, error) {
	var ps []largePanel
	for _, p := range panels {
		own, err := panelRange(p.timeFrom, now)
		if err != nil {
			return nil, fmt.Errorf("bench: panel %q: %w", p.title, err)
		}
		if own.From.Before(whole.From) { // only when fewer days are held than a week (Tiny)
			own.From = whole.From
		}
		lp := largePanel{title: p.title, whole: whole, provisioned: own}
		for _, raw := range p.queries {
			js, _ := json.Marshal(raw)
			q, err := query.Parse(js)
			if err != nil {
				return nil, fmt.Errorf("bench: panel %q: %w", p.title, err)
			}
			lp.qs = append(lp.qs, q)
		}
		ps = append(ps, lp)
	}
	return ps, nil
}

// panelRange is the range Grafana asks a panel for at now: the dashboard's
// 24 hours, or the panel's relative time ("24h", "7d", "now/w": since Monday
// 00:00 UTC, the dashboard's week start and time zone).
func panelRange(timeFrom string, now time.Time) (query.Range, error) {
	from := now.Add(-dashboardSpan)
	switch {
	case timeFrom == "":
	case timeFrom == "now/w":
		midnight := now.UTC().Truncate(24 * time.Hour)
		from = midnight.AddDate(0, 0, -(int(midnight.Weekday())+6)%7)
	case strings.HasSuffix(timeFrom, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(timeFrom, "d"))
		if err != nil {
			return query.Range{}, fmt.Errorf("timeFrom %q: %w", timeFrom, err)
		}
		from = now.AddDate(0, 0, -n)
	default:
		d, err := time.ParseDuration(timeFrom)
		if err != nil {
			return query.Range{}, fmt.Errorf("timeFrom %q: %w", timeFrom, err)
		}
		from = now.Add(-d)
	}
	return query.Range{From: from, To: now, Interval: (now.Sub(from) / 1000).Round(time.Second)}, nil
}

func (p largePanel) rangeFor(whole bool) query.Range {
	if whole {
		return p.whole
	}
	return p.provisioned
}

// panelTimes are warm latencies: per panel, and of the whole dashboard.
type panelTimes struct {
	perPanel [][]time.Duration
	whole    []time.Duration
}

// warmPanels runs every panel alone, then the whole dashboard as the plugin
// answers one request (4 queries at once), Options.DashboardRepeats times
// after one untimed round, stopping early past Options.LargePanelBudget.
func warmPanels(ctx context.Context, o Options, e *query.Engine, ps []largePanel, whole bool, profileName string) (panelTimes, error) {
	runAll := func() error { return runDashboard(ctx, e, ps, whole) }
	if err := runAll(); err != nil { // once untimed
		return panelTimes{}, err
	}
	stop := profile(o, profileName)
	defer stop()
	t := panelTimes{perPanel: make([][]time.Duration, len(ps))}
	start := time.Now()
	for rep := range max(1, o.DashboardRepeats) {
		if rep > 0 && o.LargePanelBudget > 0 && time.Since(start) > o.LargePanelBudget {
			o.logf("  panel repeats stopped after %d: over the budget of %s", rep, o.LargePanelBudget)
			break
		}
		for i, p := range ps {
			t0 := time.Now()
			for _, q := range p.qs {
				if _, err := e.Run(ctx, q, q.Narrow(p.rangeFor(whole))); err != nil {
					return panelTimes{}, fmt.Errorf("bench: panel %q: %w", p.title, err)
				}
			}
			t.perPanel[i] = append(t.perPanel[i], time.Since(t0))
		}
		t0 := time.Now()
		if err := runAll(); err != nil {
			return panelTimes{}, err
		}
		t.whole = append(t.whole, time.Since(t0))
		o.logf("  %s, repeat %d: dashboard %s", profileName, rep+1, time.Since(t0).Round(time.Millisecond))
	}
	return t, nil
}

// runDashboard runs every panel's queries, 4 at once.
func runDashboard(ctx context.Context, e *query.Engine, ps []largePanel, whole bool) error {
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	var firstErr atomic.Pointer[error]
	for _, p := range ps {
		for _, q := range p.qs {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				if _, err := e.Run(ctx, q, q.Narrow(p.rangeFor(whole))); err != nil {
					firstErr.CompareAndSwap(nil, &err)
				}
			}()
		}
	}
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		return *p
	}
	return nil
}

func (t panelTimes) rows(ps []largePanel, scope string, listings int64) []Result {
	var out []Result
	for i, p := range ps {
		out = append(out, atMost(fmt.Sprintf("j. warm panel p95, %s: %s", scope, short(p.title, 48)), ms(percentile(t.perPanel[i], 95)), "ms", ms(largePanelTarget),
			fmt.Sprintf("median %.1f ms over %d repeats; %d queries", ms(median(t.perPanel[i])), len(t.perPanel[i]), len(p.qs))))
	}
	return append(out, atMost(fmt.Sprintf("j. warm dashboard p95, %s (%d panels)", scope, len(ps)), ms(percentile(t.whole, 95)), "ms", ms(largeDashboardTarget),
		fmt.Sprintf("median %.1f ms over %d repeats; in process, 4 queries at once as the plugin answers one request; %d source listings during all panel runs (windows evicted and fetched again)", ms(median(t.whole)), len(t.whole), listings)))
}
