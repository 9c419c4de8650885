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
	signIns     int64 // sign-ins of the closed windows held (Stats.EventsCached)
	profiles    int64 // distinct profiles in the tables of the blocks (sign-ins that differ in id and time only share one)
	windows     int64
	storeBytes  int64 // Stats.BytesCached: what the store counts of its blocks and tables
	heapBytes   int64 // Go heap in use after GC, after minus before filling the store
	columnBytes int64 // of the blocks' time, id and profile columns
}

func (m memUse) perSignIn() float64 { return float64(m.heapBytes) / float64(m.signIns) }

// sealEvery stands for the plugin's minute between seal rounds, so the
// figure measures the store as it holds closed days, not while loading them.
const sealEvery = 100 * time.Millisecond

// cacheSizeMB is the plugin's default cacheSizeMB (README, Sizing): the store
// measured is configured as the plugin configures it.
const cacheSizeMB = 256

// Memory measures figure c: the bytes a cached sign-in costs, for Options.Days
// of the tenant held in a store configured as the plugin's default: the Go
// heap the store keeps (live heap after GC, after filling it minus before),
// everything included, divided by the sign-ins held. The store holds one copy
// of each closed window, decoded, on the heap (no encoded copy beside it), so
// the heap is the whole cost. The source gives every sign-in its own strings,
// as decoding a Graph page does, so the heap holds what it would in production.
func Memory(ctx context.Context, o Options) ([]Result, error) {
	from, to, genFrom, genTo := week(o)
	set, err := events(o, o.Tenant, genFrom, genTo)
	if err != nil {
		return nil, err
	}
	m, err := memoryOf(ctx, set, from, to, cacheSizeMB<<20)
	if err != nil {
		return nil, err
	}
	n := float64(m.signIns)
	note := fmt.Sprintf("%d days of %s; %d sign-ins in %d windows, all held; columns %.1f + profile tables and the rest %.1f B/sign-in; %.0f profiles per 100 sign-ins; the store counts %.1f B/sign-in (Stats.BytesCached, what cacheSizeMB bounds)",
		o.Days, o.Tenant, m.signIns, m.windows, float64(m.columnBytes)/n, float64(m.heapBytes-m.columnBytes)/n,
		100*float64(m.profiles)/n, float64(m.storeBytes)/n)
	return []Result{
		atMost("c. bytes per cached sign-in, everything included (Go heap)", m.perSignIn(), "B", memoryTarget, note),
	}, nil
}

// memoryOf fills a store with every log of [from, to), all windows closed, and
// measures what it holds and costs.
func memoryOf(ctx context.Context, set eventSet, from, to time.Time, cacheBytes int) (memUse, error) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&before)
	st := store.New(&memSource{set: set, clone: true}, store.Config{
		TimeBudget: time.Hour, MaxRun: 24, L1Bytes: cacheBytes, SealEvery: sealEvery,
		MetricsLabel: "bench-memory", Now: func() time.Time { return to.Add(24 * time.Hour) },
	})
	defer st.Close()
	tables := profileTables{}
	var columns int64
	for _, lt := range signin.LogTypes {
		if err := st.Scan(ctx, lt, from, to, func(b *block.Block, _, _ int) {
			tables.add(b)
			columns += int64(b.Times.Bytes() + b.IDs.Bytes() + b.Profile.Bytes())
		}); err != nil {
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
	// The steady state: two seal rounds free the past days' intern indexes,
	// as a minute does in the plugin (store.Config.SealEvery).
	time.Sleep(3 * sealEvery)
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&after)
	s := st.Stats()
	runtime.KeepAlive(st)
	if s.EventsCached == 0 {
		return memUse{}, fmt.Errorf("bench: the store holds no sign-ins")
	}
	return memUse{signIns: s.EventsCached, profiles: profiles, windows: s.WindowsCached, storeBytes: s.BytesCached,
		heapBytes: int64(after.HeapAlloc) - int64(before.HeapAlloc), columnBytes: columns}, nil // #nosec G115 -- heap sizes, far below 2^63
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
