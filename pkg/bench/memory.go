package bench

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// memoryTarget is the bar for the memory a cached sign-in costs.
const memoryTarget = 32

// week returns the range of figures c and f: Options.Days ending on a busy
// Wednesday afternoon, and the range of sign-ins to generate for it: whole
// hours, and one more at the end for an hour of refreshes.
func week(o Options) (from, to, genFrom, genTo time.Time) {
	to = busyHour.Add(5 * time.Minute)
	from = to.Add(-time.Duration(o.Days) * 24 * time.Hour)
	return from, to, from.Truncate(time.Hour), to.Truncate(time.Hour).Add(2 * time.Hour)
}

// memUse is what one store holds and costs.
type memUse struct {
	signIns   int64 // sign-ins of the closed windows held (Stats.EventsCached)
	profiles  int64 // distinct profiles in the tables of the blocks (sign-ins that differ in id and time only share one)
	windows   int64
	hot       int64 // sign-ins of the decoded windows kept on the heap
	l1Bytes   int64 // Stats.BytesCached: fastcache chunks, outside the Go heap
	heapBytes int64 // Go heap in use after GC, after minus before filling the store
}

func (m memUse) perSignIn() float64 { return float64(m.l1Bytes+m.heapBytes) / float64(m.signIns) }

// Memory measures figure c: the bytes a cached sign-in costs, for Options.Days
// of the tenant held in a store: L1's bytes (Stats.BytesCached) plus the Go
// heap the store keeps (live heap after GC, after filling it minus before),
// divided by the sign-ins held. Once with the plugin's default hot set (decoded
// windows on the heap, 2,000,000 sign-ins) and once with it off (HotEvents 1:
// only the last window decoded), which separates the encoded cache from the
// decoded one. The source gives every sign-in its own strings, as decoding a
// Graph page does, so the heap holds what it would in production.
func Memory(ctx context.Context, o Options) ([]Result, error) {
	from, to, genFrom, genTo := week(o)
	set, err := events(o, o.Tenant, genFrom, genTo)
	if err != nil {
		return nil, err
	}
	def, err := memoryOf(ctx, set, from, to, 0)
	if err != nil {
		return nil, err
	}
	off, err := memoryOf(ctx, set, from, to, 1)
	if err != nil {
		return nil, err
	}
	breakdown := func(m memUse) string {
		return fmt.Sprintf("L1 %.1f + heap %.1f B/sign-in; %d sign-ins in %d windows, %d decoded; %.0f profiles per 100 sign-ins; L1 %.1f MB",
			float64(m.l1Bytes)/float64(m.signIns), float64(m.heapBytes)/float64(m.signIns), m.signIns, m.windows, m.hot,
			100*float64(m.profiles)/float64(m.signIns), float64(m.l1Bytes)/1e6)
	}
	hotPer := 0.0
	if d := def.hot - off.hot; d > 0 {
		hotPer = float64(def.heapBytes-off.heapBytes) / float64(d)
	}
	days := fmt.Sprintf("%d days of %s", o.Days, o.Tenant)
	return []Result{
		atMost("c. bytes per cached sign-in, plugin default (hot set 2,000,000)", def.perSignIn(), "B", memoryTarget, days+"; "+breakdown(def)),
		atMost("c. bytes per cached sign-in, hot set off (HotEvents 1)", off.perSignIn(), "B", memoryTarget, days+"; "+breakdown(off)),
		info("c. decoded hot set alone, per decoded sign-in", hotPer, "B",
			"heap of the default store minus the hot-off store, per sign-in it keeps decoded: Block columns (time, id, profile index) and profiles"),
	}, nil
}

// memoryOf fills a store with every log of [from, to), all windows closed, and
// measures what it holds and costs.
func memoryOf(ctx context.Context, set eventSet, from, to time.Time, hotEvents int) (memUse, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	st := store.New(&memSource{set: set, clone: true}, store.Config{
		TimeBudget: time.Hour, MaxRun: 24, HotEvents: hotEvents,
		MetricsLabel: "bench-memory", Now: func() time.Time { return to.Add(24 * time.Hour) },
	})
	defer st.Close()
	tables := profileTables{}
	for _, lt := range signin.LogTypes {
		if err := st.Scan(ctx, lt, from, to, func(b *block.Block, _, _ int) { tables.add(b) }); err != nil {
			return memUse{}, fmt.Errorf("bench: filling the store: %w", err)
		}
	}
	// Counted now and dropped: the tables must live only as long as the
	// store's blocks refer to them, as in the plugin.
	profiles := int64(tables.profiles())
	tables = nil
	// Fetches settle their windows just before they return; let them end.
	for st.Stats().WindowsPending > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	s := st.Stats()
	runtime.KeepAlive(st)
	if s.EventsCached == 0 {
		return memUse{}, fmt.Errorf("bench: the store holds no sign-ins")
	}
	return memUse{signIns: s.EventsCached, profiles: profiles, windows: s.WindowsCached, hot: s.HotEvents, l1Bytes: s.BytesCached,
		heapBytes: int64(after.HeapAlloc) - int64(before.HeapAlloc)}, nil
}

// profileTables collects the profile tables of scanned blocks, to count the
// distinct profiles the store holds for them.
type profileTables map[*block.Profiles]struct{}

func (pt profileTables) add(b *block.Block) { pt[b.Profiles] = struct{}{} }

func (pt profileTables) profiles() int {
	n := 0
	for t := range pt {
		n += t.Len()
	}
	return n
}
