package bench

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"slices"
	"sort"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// freshness is how long a window stays open after its end: the plugin's default.
const freshness = 15 * time.Minute

// Figure f's targets: one request per log type, 5 ms of CPU.
const (
	refreshRequestsTarget = 1
	refreshCPUTarget      = 5 * time.Millisecond
)

// Refresh measures figure f: dashboard refreshes a minute apart, in process,
// with a source that costs about nothing (sign-ins in memory that appear as a
// simulated clock passes their creation time). The last Options.Days of the
// tenant are loaded at 14:05 on a busy day; then, Options.Refreshes times
// (default 60: an hour, so the open window grows from a few minutes of
// sign-ins to a full hour and the previous window closes), the clock moves on a
// minute and every log is scanned over the range again. A refresh must ask for
// the open window's new sign-ins only — one request per log type — and its CPU
// time (getrusage, the whole process) must stay within 5 ms. The whole re-read
// of a window when it closes (at hh:15) is reported apart.
func Refresh(ctx context.Context, o Options) ([]Result, error) {
	from0, now0, genFrom, genTo := week(o)
	if limit := int(genTo.Sub(now0) / time.Minute); o.Refreshes > limit {
		return nil, fmt.Errorf("bench: %d refreshes; at most %d", o.Refreshes, limit)
	}
	set, err := events(o, o.Tenant, genFrom, genTo)
	if err != nil {
		return nil, err
	}
	span := now0.Sub(from0)
	var clock atomic.Int64
	clock.Store(now0.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	src := &memSource{set: set, clock: now}
	st := store.New(src, store.Config{TimeBudget: time.Hour, MaxRun: runWindows,
		Freshness: freshness, MetricsLabel: "bench-refresh", Now: now, RevalidateEvery: benchRevalidateEvery})
	defer st.Close()
	scan := func() error {
		t := now()
		for _, lt := range signin.LogTypes {
			if err := st.Scan(ctx, lt, t.Add(-span), t, func(*block.Block, int, int) {}); err != nil {
				return err
			}
		}
		return nil
	}
	if err := scan(); err != nil {
		return nil, fmt.Errorf("bench: loading the range: %w", err)
	}

	var tail, closing refreshes
	stop := profile(o, "refresh")
	for range max(1, o.Refreshes) {
		prev := now()
		clock.Add(int64(time.Minute))
		seen := len(src.snapshot())
		runtime.GC()
		c0, w0 := cpuTime(), time.Now()
		var err error
		// Labelled, so that a profile can be read for the measured
		// refreshes alone (-tagfocus section=refresh), apart from the
		// forced collections between them.
		pprof.Do(ctx, pprof.Labels("section", "refresh"), func(context.Context) { err = scan() })
		if err != nil {
			stop()
			return nil, err
		}
		cpu, wall := cpuTime()-c0, time.Since(w0)
		r := refreshOf(refreshCalls(src.snapshot()[seen:]), prev, now(), cpu, wall)
		if r.closing {
			closing.add(r)
			continue
		}
		r.fresh = arrived(set, prev, now())
		tail.add(r)
	}
	stop()
	runtime.GC()
	c0 := cpuTime()
	if err := scan(); err != nil {
		return nil, err
	}
	idle := cpuTime() - c0

	scope := fmt.Sprintf("%d days × 4 logs", o.Days)
	out := []Result{
		atMost("f. refresh: Graph requests per log type", float64(tail.maxPerType), "", refreshRequestsTarget,
			fmt.Sprintf("%d refreshes 1 min apart from %s: %d listings, %d sign-ins fetched for %d new; each starts 5 min or half a page (500 sign-ins) before the newest sign-in held, whichever is later: at most %s before the previous refresh",
				len(tail.cpus), now0.Format("15:04Z"), tail.listings, tail.fetched, tail.fresh, tail.earliest.Round(time.Millisecond))),
		atMost("f. refresh: CPU, median minute", ms(median(tail.cpus)), "ms", ms(refreshCPUTarget),
			fmt.Sprintf("scan of %s, the open window's tail refetched from memory; wall %.2f ms; the same scan with nothing to refresh: %.2f ms",
				scope, ms(median(tail.walls)), ms(idle))),
		atMost("f. refresh: CPU, worst minute", ms(percentile(tail.cpus, 100)), "ms", ms(refreshCPUTarget),
			fmt.Sprintf("at %s, the open window holding %d sign-ins (each tail is appended to its block); p90 %.2f ms",
				tail.worstAt.Format("15:04Z"), arrived(set, tail.worstAt.Truncate(time.Hour).Add(-time.Nanosecond), tail.worstAt), ms(percentile(tail.cpus, 90)))),
	}
	out = append(out, revalidationCost(src.snapshot(), st.Stats().Revalidations))
	if len(closing.cpus) > 0 {
		out = append(out, info("f. window close (hh:15): Graph requests per log type", float64(closing.maxPerType), "",
			fmt.Sprintf("once an hour the window that closes is read whole again, so late sign-ins count: %d requests in all, %d sign-ins, CPU %.1f ms",
				closing.requests, closing.fetched, ms(percentile(closing.cpus, 100)))))
	}
	return out, nil
}

// benchRevalidateEvery is the revalidation period of figure f's store: a
// quarter of the default hour, so the run of about an hour sees a few.
const benchRevalidateEvery = 15 * time.Minute

// refreshCalls are the listings of refreshes: the revalidations', which run
// in the background, are reported apart (revalidationCost).
func refreshCalls(cs []listCall) []listCall {
	return slices.DeleteFunc(cs, func(c listCall) bool { return c.changed })
}

// revalidationCost is what the revalidations of the run asked of Graph, as
// requests an hour at the default period.
func revalidationCost(cs []listCall, rounds int64) Result {
	requests, listed := 0, 0
	for _, c := range cs {
		if c.changed {
			requests += c.pages
			listed += c.events
		}
	}
	// Each log type is revalidated in turn, so a round of all of them is
	// len(LogTypes) revalidations; at the default period, one an hour.
	hourly := 0.0
	if rounds > 0 {
		hourly = float64(requests) * float64(len(signin.LogTypes)) / float64(rounds) * float64(time.Hour/store.DefaultRevalidateEvery)
	}
	return info("f. revalidation: Graph requests an hour", hourly, "",
		fmt.Sprintf("the closed windows of the last 24 h asked for sign-ins in a risk state, every %s per log type (the default; every %s in this run: %d revalidations of a log type, %d requests, %d sign-ins listed); the refreshes above leave them out",
			store.DefaultRevalidateEvery, benchRevalidateEvery, rounds, requests, listed))
}

// refresh is what one refresh cost and asked for.
type refresh struct {
	at        time.Time
	cpu, wall time.Duration
	perType   map[signin.LogType]int // requests
	listings  int
	fetched   int
	fresh     int
	earliest  time.Duration
	closing   bool // a closed window was read whole
}

func refreshOf(cs []listCall, prev, at time.Time, cpu, wall time.Duration) refresh {
	r := refresh{at: at, cpu: cpu, wall: wall, perType: make(map[signin.LogType]int), listings: len(cs)}
	for _, c := range cs {
		r.perType[c.t] += c.pages
		r.fetched += c.events
		r.earliest = max(r.earliest, prev.Sub(c.from))
		// A listing from the start of a window that has closed by now is the
		// whole re-read; an empty open window's tail also starts at its start.
		if c.from.Equal(c.from.Truncate(time.Hour)) && !c.from.Add(time.Hour+freshness).After(at) {
			r.closing = true
		}
	}
	return r
}

// refreshes sums refreshes of one kind.
type refreshes struct {
	cpus, walls []time.Duration
	maxPerType  int
	requests    int
	listings    int
	fetched     int
	fresh       int
	earliest    time.Duration
	worst       time.Duration
	worstAt     time.Time
}

func (s *refreshes) add(r refresh) {
	s.cpus, s.walls = append(s.cpus, r.cpu), append(s.walls, r.wall)
	for _, n := range r.perType {
		s.maxPerType = max(s.maxPerType, n)
		s.requests += n
	}
	s.listings += r.listings
	s.fetched += r.fetched
	s.fresh += r.fresh
	s.earliest = max(s.earliest, r.earliest)
	if r.cpu >= s.worst {
		s.worst, s.worstAt = r.cpu, r.at
	}
}

// arrived counts the sign-ins of every log created in (after, upTo].
func arrived(set eventSet, after, upTo time.Time) int {
	n := 0
	for _, evs := range set {
		lo := sort.Search(len(evs), func(i int) bool { return evs[i].Created.After(after) })
		hi := sort.Search(len(evs), func(i int) bool { return evs[i].Created.After(upTo) })
		n += hi - lo
	}
	return n
}
