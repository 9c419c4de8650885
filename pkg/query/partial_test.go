package query

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// blockReader serves the blocks it holds, as the store serves the windows in
// memory: the same *block.Block on every scan until a window is replaced.
type blockReader map[signin.LogType][]*block.Block

func (r blockReader) Scan(_ context.Context, t signin.LogType, from, to time.Time, fn func(b *block.Block, lo, hi int)) error {
	for _, b := range r[t] {
		if lo, hi := b.Range(from, to); hi > lo {
			fn(b, lo, hi)
		}
	}
	return nil
}

func (r blockReader) Windows(from, to time.Time) int { return int(to.Sub(from) / time.Hour) }

// hourBlocks builds a block per hour of [from, to) from events, one profile
// table per log type.
func hourBlocks(events []signin.Event, from, to time.Time) blockReader {
	r := blockReader{}
	tables := map[signin.LogType]*block.Profiles{}
	for _, t := range signin.LogTypes {
		tables[t] = block.NewProfiles()
	}
	for h := from; h.Before(to); h = h.Add(time.Hour) {
		for _, t := range signin.LogTypes {
			var in []signin.Event
			for _, e := range events {
				if e.LogType == t && !e.Created.Before(h) && e.Created.Before(h.Add(time.Hour)) {
					in = append(in, e)
				}
			}
			if len(in) > 0 {
				r[t] = append(r[t], block.New(t, h, h.Add(time.Hour), in, tables[t]))
			}
		}
	}
	return r
}

// TestPartialsFollowTheBlocks: a window replaced by a new block (a refresh,
// a revalidation) is read anew, never through the partial of the block it
// replaced, and the partials of blocks gone are swept.
func TestPartialsFollowTheBlocks(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC) // a Monday's working hours
	end := start.Add(6 * time.Hour)
	events := tenantEvents(t, start, end)
	r := hourBlocks(events, start, end)
	e, reference := New(r), New(r)
	reference.noDays = true
	rng := Range{From: start, To: end, Interval: 44 * time.Minute}
	queries := []Query{
		planCacheQuery(t, `{"logType":"all","metric":"failures","groupBy":["app"]}`),
		planCacheQuery(t, `{"logType":"all","metric":"count","groupBy":["logType","status"],"timeAggregate":"auto"}`),
	}
	check := func(when string) {
		t.Helper()
		answerAlike(t, e, reference, queries, rng, when)
	}
	check("first")
	if partialsHeld(e) == 0 {
		t.Fatal("no partial was kept")
	}

	// The interactive log's third hour is replaced by a block in which every
	// sign-in failed, as a revalidation replaces a window.
	third := r[signin.Interactive][2]
	var revised []signin.Event
	for i := range third.Len() {
		ev := third.Event(i)
		ev.ErrorCode, ev.FailureReason = 50126, "Invalid username or password."
		ev.LogType = signin.Interactive
		revised = append(revised, ev)
	}
	r[signin.Interactive][2] = block.New(signin.Interactive, third.Start, third.End, revised, third.Profiles)
	check("after a window was replaced")

	// The newest window is replaced at every refresh, as the store replaces
	// an open window: partials of the blocks collected are swept, so what
	// the plans hold stays within twice the live units (and a margin).
	newest := len(r[signin.NonInteractive]) - 1
	for i := range 400 {
		b := r[signin.NonInteractive][newest]
		var again []signin.Event
		for k := range b.Len() {
			ev := b.Event(k)
			ev.LogType = signin.NonInteractive
			again = append(again, ev)
		}
		r[signin.NonInteractive][newest] = block.New(signin.NonInteractive, b.Start, b.End, again, b.Profiles)
		for _, q := range queries {
			if _, err := e.Run(context.Background(), q, rng); err != nil {
				t.Fatal(err)
			}
		}
		if i%10 == 0 {
			runtime.GC()
		}
	}
	units := 0
	for _, bs := range r {
		units += len(bs)
	}
	if n, most := partialsHeld(e), len(queries)*(2*units+64); n > most {
		t.Fatalf("the plans hold %d partials after 400 refreshes of %d units; want at most %d", n, units, most)
	}
	check("after 400 refreshes")
}

// answerAlike fails unless e answers each query over rng as reference does.
func answerAlike(t *testing.T, e, reference *Engine, queries []Query, rng Range, when string) {
	t.Helper()
	for _, q := range queries {
		got, err := e.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatal(err)
		}
		want, err := reference.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			t.Fatalf("%s: the answer through partials differs from the sign-ins'\n%s\n%s", when, g, w)
		}
	}
}

// partialsHeld is the number of partials the engine's cache holds.
func partialsHeld(e *Engine) int {
	n := 0
	e.plans.mu.Lock()
	defer e.plans.mu.Unlock()
	for _, ps := range e.plans.partials {
		ps.mu.Lock()
		n += len(ps.byUnit)
		ps.mu.Unlock()
	}
	return n
}

// cacheBytes is what the engine's cache holds in plans and in partials.
func cacheBytes(e *Engine) (plans, partials int64) {
	e.plans.mu.Lock()
	defer e.plans.mu.Unlock()
	for _, tp := range e.plans.plans {
		plans += tp.bytes
	}
	for _, ps := range e.plans.partials {
		partials += ps.bytes
	}
	return plans, partials
}

// TestPartialsOutlivePlans: tables over closed days whose plans pass the
// cache's budget together, asked in turn as a dashboard asks them, evict
// each other's plans but keep their partials, which answer the days without
// a plan.
func TestPartialsOutlivePlans(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	end := start.Add(4 * 24 * time.Hour)
	st := store.New(tenantEvents(t, start, end), store.Config{})
	defer st.Close()
	rng := Range{From: start, To: end, Interval: time.Hour}
	var queries []Query
	for _, dim := range []string{"app", "browser", "os", "clientApp", "resource"} {
		queries = append(queries, planCacheQuery(t, `{"logType":"all","metric":"failureRate","groupBy":["`+dim+`","logType"]}`))
	}
	roomy := New(st)
	for _, q := range queries {
		if _, err := roomy.Run(context.Background(), q, rng); err != nil {
			t.Fatal(err)
		}
	}
	plans, partials := cacheBytes(roomy)
	if partials*4 > plans {
		t.Fatalf("partials hold %d bytes, plans %d: the test needs partials far smaller than plans", partials, plans)
	}
	budget := partials + plans/3 // every partial and about a third of the plans
	e, reference := New(st, WithPlanCacheBytes(budget)), New(st)
	reference.noDays = true
	for round := range 3 {
		answerAlike(t, e, reference, queries, rng, fmt.Sprintf("round %d", round))
	}
	if b := e.plans.Bytes(); b > budget {
		t.Fatalf("the cache holds %d bytes; its budget is %d", b, budget)
	}
	heldPlans, heldPartials := cacheBytes(e)
	if heldPartials != partials || heldPlans >= plans {
		t.Fatalf("the cache holds %d bytes of partials (%d when roomy) and %d of plans (%d when roomy); want every partial and some plans evicted", heldPartials, partials, heldPlans, plans)
	}
}

// TestNoPartialSetsWithoutPartials: queries that keep no partial — distinct
// counts — leave nothing in the cache besides their plans.
func TestNoPartialSetsWithoutPartials(t *testing.T) {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	end := start.Add(2 * 24 * time.Hour)
	st := store.New(tenantEvents(t, start, end), store.Config{})
	defer st.Close()
	e := New(st)
	for i := range 20 {
		q := planCacheQuery(t, fmt.Sprintf(`{"logType":"all","metric":"distinctUsers","groupBy":["app"],"filters":[{"key":"user","op":"!=","value":"u%d"}]}`, i))
		if _, err := e.Run(context.Background(), q, Range{From: start, To: end, Interval: time.Hour}); err != nil {
			t.Fatal(err)
		}
	}
	e.plans.mu.Lock()
	defer e.plans.mu.Unlock()
	if n := len(e.plans.partials); n != 0 {
		t.Fatalf("the cache holds %d partial sets after distinct counts alone; want none", n)
	}
}
