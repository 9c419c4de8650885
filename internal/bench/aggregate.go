package bench

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// aggregations are figure b's queries and targets (DuckDB 1.4 on this machine
// class takes about 150 and 120 ms).
var aggregations = []struct {
	figure, profile, json string
	target                time.Duration
}{
	{"b. count by 1h × app (timeSeries)", "aggregate-count",
		`{"logType":"all","format":"timeSeries","metric":"count","groupBy":["app"],"timeAggregate":"1h","limit":10000}`, 150 * time.Millisecond},
	{"b. distinct users per app (table)", "aggregate-distinct",
		`{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["app"],"limit":10000}`, 120 * time.Millisecond},
}

// Aggregate measures figure b: the engine's two reference queries over
// Options.AggregateSignIns sign-ins held decoded in the store. The sign-ins are
// one real day of the tenant, decoded once and replayed shifted by whole days
// (tiledSource). Each query runs once untimed, then AggregateReps times; the
// row is the median wall time, and the note gives sign-ins per second per core
// from the process's CPU time over the repetitions. The engine keeps no plans
// and no partials across queries, so each run aggregates what it reads (the
// work DuckDB is compared with); a second row per query gives the time of
// the same query asked again of an engine that keeps them, as a refreshed
// panel is.
func Aggregate(ctx context.Context, o Options) ([]Result, error) {
	a, err := aggregationStore(ctx, o)
	if err != nil {
		return nil, err
	}
	e, kept := query.New(a.st, query.WithPlanCacheBytes(-1)), query.New(a.st)
	var out []Result
	var engineMedians []time.Duration
	for _, ag := range aggregations {
		q, err := query.Parse([]byte(ag.json))
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", ag.figure, err)
		}
		res, err := e.Run(ctx, q, a.r)
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", ag.figure, err)
		}
		if res.Partial != nil {
			return nil, fmt.Errorf("bench: %s: partial answer over a store that holds everything", ag.figure)
		}
		cpu0 := cpuTime()
		walls, err := timedRuns(ctx, e, q, a.r, max(1, o.AggregateReps))
		if err != nil {
			return nil, err
		}
		cpu := (cpuTime() - cpu0) / time.Duration(len(walls))
		if o.ProfileDir != "" {
			stop := profile(o, ag.profile)
			for range max(20, o.AggregateReps) {
				if _, err := e.Run(ctx, q, a.r); err != nil {
					return nil, err
				}
			}
			stop()
		}
		med := median(walls)
		engineMedians = append(engineMedians, med)
		groups := len(res.Series)
		if res.Table != nil {
			groups = len(res.Table.Rows)
		}
		perCore := "n/a (no getrusage here)"
		if cpuTimeKnown && cpu > 0 {
			perCore = fmt.Sprintf("%.1f M", float64(a.n)/cpu.Seconds()/1e6)
		}
		out = append(out, atMost(ag.figure, ms(med), "ms", ms(ag.target),
			fmt.Sprintf("%.1f M sign-ins, %.1f M profiles; %s sign-ins/s per core (CPU %.0f ms a query, GOMAXPROCS %d; wall %.1f M/s); %d groups; %d days × 4 logs × 24 windows; no plans or partials kept across queries",
				float64(a.n)/1e6, float64(a.profiles)/1e6, perCore, ms(cpu), runtime.GOMAXPROCS(0), float64(a.n)/med.Seconds()/1e6, groups, a.days)))
		again, err := repeatedTimes(ctx, kept, q, a.r, max(1, o.AggregateReps))
		if err != nil {
			return nil, fmt.Errorf("bench: %s: %w", ag.figure, err)
		}
		out = append(out, info(ag.figure+", asked again", ms(median(again)), "ms",
			"the same query again of an engine that keeps plans and partials across queries (query.planCache), as a refreshed panel is; median after one untimed run"))
	}
	return append(out, referenceRows(ctx, a, o, engineMedians)...), nil
}

// repeatedTimes runs q once untimed, then n times, and returns the wall times.
func repeatedTimes(ctx context.Context, e *query.Engine, q query.Query, r query.Range, n int) ([]time.Duration, error) {
	if _, err := e.Run(ctx, q, r); err != nil {
		return nil, err
	}
	return timedRuns(ctx, e, q, r, n)
}

// timedRuns runs q n times and returns the wall times.
func timedRuns(ctx context.Context, e *query.Engine, q query.Query, r query.Range, n int) ([]time.Duration, error) {
	walls := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		if _, err := e.Run(ctx, q, r); err != nil {
			return nil, err
		}
		walls = append(walls, time.Since(start))
	}
	return walls, nil
}

// referenceRows runs figure b's queries in the reference engine over the same
// rows, when the benchmark has one (the duckdb build tag), and gives its times
// and the ratio to the engine's measured in the same run: the engine must stay
// faster.
func referenceRows(ctx context.Context, a *aggregation, o Options, engine []time.Duration) []Result {
	if reference == nil {
		return []Result{info("b. reference engine", 0, "", "not built: make bench-duckdb runs figure b against DuckDB on the same rows")}
	}
	rows := func(fn func(referenceRow)) error {
		for _, lt := range signin.LogTypes {
			err := a.st.Scan(ctx, lt, a.r.From, a.r.To, func(b *block.Block, lo, hi int) {
				var p signin.Event
				for i := lo; i < hi; i++ {
					b.Profiles.Load(b.Profile.At(i), &p)
					fn(referenceRow{Time: time.Unix(0, b.Times.At(i)).UTC(), App: p.AppDisplayName, User: p.UserID})
				}
			})
			if err != nil {
				return err
			}
		}
		return nil
	}
	name, medians, err := reference(ctx, rows, o.AggregateReps)
	if err != nil {
		return []Result{info("b. reference engine", 0, "", "failed: "+err.Error())}
	}
	var out []Result
	for i, ag := range aggregations {
		what := strings.TrimPrefix(ag.figure, "b. ")
		out = append(out,
			info("b. "+what+", reference", ms(medians[i]), "ms", fmt.Sprintf("%s, the same %.1f M rows (time, app, user), answer read whole", name, float64(a.n)/1e6)),
			atLeast("b. "+what+", reference ÷ SignInLens", float64(medians[i])/float64(engine[i]), "×", 1,
				fmt.Sprintf("%s %.0f ms ÷ SignInLens %.0f ms, measured in the same run", name, ms(medians[i]), ms(engine[i]))))
	}
	return out
}

// aggregation is figure b's store, built once per process.
type aggregation struct {
	key      string
	st       *store.Store
	r        query.Range
	n        int
	profiles int // distinct profiles of the blocks: the engine's per-profile work
	days     int
}

var agg struct {
	mu sync.Mutex
	a  *aggregation
}

// aggregationStore fills a store with at least Options.AggregateSignIns
// sign-ins, all held (L1Bytes above their size), all windows closed.
// Listings cover a day each: MaxRun changes how the store is filled, not what
// it holds, and a day of events is what one listing should hold in memory.
func aggregationStore(ctx context.Context, o Options) (*aggregation, error) {
	key := fmt.Sprintf("%s/%d/%d", o.Tenant, o.Seed, o.AggregateSignIns)
	agg.mu.Lock()
	defer agg.mu.Unlock()
	if agg.a != nil && agg.a.key == key {
		return agg.a, nil
	}
	if agg.a != nil {
		agg.a.st.Close()
		agg.a = nil
	}
	day := busyHour.Truncate(24 * time.Hour)
	set, err := events(o, o.Tenant, day, day.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	perDay := set.count()
	if perDay == 0 {
		return nil, errors.New("bench: the tenant has no sign-ins on the tiled day")
	}
	days := (o.AggregateSignIns + perDay - 1) / perDay
	from, to := day, day.Add(time.Duration(days)*24*time.Hour)
	st := store.New(&tiledSource{day: day, set: set}, store.Config{
		TimeBudget: time.Hour, MaxRun: 24,
		L1Bytes: 16 << 30, MetricsLabel: "bench-aggregate", // holds every window
		Now: func() time.Time { return to.Add(48 * time.Hour) },
	})
	start := time.Now()
	stop := profile(o, "aggregate-fill")
	defer stop()
	n, tables := 0, profileTables{}
	for _, lt := range signin.LogTypes {
		if err := st.Scan(ctx, lt, from, to, func(b *block.Block, lo, hi int) { n = n + hi - lo; tables.add(b) }); err != nil {
			st.Close()
			return nil, fmt.Errorf("bench: filling the store: %w", err)
		}
	}
	o.logf("  store filled with %d sign-ins (%d days of %d) in %s", n, days, perDay, time.Since(start).Round(time.Millisecond))
	agg.a = &aggregation{key: key, st: st, r: query.Range{From: from, To: to, Interval: time.Hour}, n: n, profiles: tables.profiles(), days: days}
	return agg.a, nil
}

func freeAggregation() {
	agg.mu.Lock()
	defer agg.mu.Unlock()
	if agg.a != nil {
		agg.a.st.Close()
		agg.a = nil
	}
}
