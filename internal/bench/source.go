package bench

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// pageSize is Graph's page size for sign-ins.
const pageSize = 1000

var (
	_ store.Source = (*memSource)(nil)
	_ store.Source = (*tiledSource)(nil)
)

// listCall is one ListSignIns call a source answered.
type listCall struct {
	t        signin.LogType
	from, to time.Time
	events   int
	pages    int  // Graph requests it stands for: at least one, then one per 1,000
	changed  bool // a listing of ListChanged (the store's revalidation)
}

// calls records a source's listings.
type calls struct {
	mu   sync.Mutex
	list []listCall
}

func (c *calls) add(lc listCall) {
	c.mu.Lock()
	c.list = append(c.list, lc)
	c.mu.Unlock()
}

func (c *calls) snapshot() []listCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]listCall(nil), c.list...)
}

// memSource lists sign-ins held in memory as Graph would: newest first, 1,000
// a page, at no cost but copying. With a clock, only sign-ins created at or
// before the clock's time are listed, so new ones appear as it advances.
type memSource struct {
	set   eventSet
	clock func() time.Time // nil: everything is listed
	clone bool             // give each listed sign-in its own strings, as decoding does
	calls

	// The sign-ins in a risk state, indexed once: ListChanged would
	// otherwise read a day of every log, which Graph does on its side, and
	// figure f's minutes with a revalidation would measure this source.
	riskyOnce sync.Once
	risky     eventSet
}

// pageBuffers are memSource's pages, reused: the store keeps nothing of a
// page after its fn returns (store.Source), and a page allocated and zeroed
// for every listing (0.8 MB a full one) is a cost of this source that figure f
// would count as the plugin's.
var pageBuffers = sync.Pool{New: func() any { return new([]signin.Event) }}

// ListSignIns implements store.Source.
func (s *memSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if s.clock != nil {
		to = earlier(to, s.clock().Add(time.Nanosecond))
	}
	sel := s.createdIn(t, from, to)
	lc := listCall{t: t, from: from, to: to, events: len(sel), pages: 1}
	buf := pageBuffers.Get().(*[]signin.Event)
	defer pageBuffers.Put(buf)
	for end := len(sel); end > 0; end -= pageSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		start := max(0, end-pageSize)
		page := (*buf)[:0]
		for i := end - 1; i >= start; i-- {
			page = append(page, sel[i])
			if s.clone {
				cloneStrings(&page[len(page)-1])
			}
		}
		*buf = page
		if start > 0 {
			lc.pages++
		}
		if err := fn(page); err != nil {
			return err
		}
	}
	s.add(lc)
	return nil
}

// createdIn returns t's sign-ins created in [from, to), oldest first.
func (s *memSource) createdIn(t signin.LogType, from, to time.Time) []signin.Event {
	return createdIn(s.set[t], from, to)
}

// createdIn returns the sign-ins of evs, oldest first, created in [from, to).
func createdIn(evs []signin.Event, from, to time.Time) []signin.Event {
	lo := sort.Search(len(evs), func(i int) bool { return !evs[i].Created.Before(from) })
	hi := sort.Search(len(evs), func(i int) bool { return !evs[i].Created.Before(to) })
	return evs[lo:max(lo, hi)]
}

// ListChanged implements store.ChangeLister as Graph's client does: one
// listing per risk state but none, none for managed identities; each
// recorded as a listing of at least one page.
func (s *memSource) ListChanged(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if t == signin.ManagedIdentity {
		return nil
	}
	s.riskyOnce.Do(func() { s.risky = inRiskStates(s.set) })
	sel := createdIn(s.risky[t], from, to)
	for _, state := range graph.RiskStates {
		if err := ctx.Err(); err != nil {
			return err
		}
		var page []signin.Event
		for i := len(sel) - 1; i >= 0; i-- { // newest first
			if sel[i].RiskState == state {
				page = append(page, sel[i])
			}
		}
		s.add(listCall{t: t, from: from, to: to, events: len(page), pages: max(1, (len(page)+pageSize-1)/pageSize), changed: true})
		if err := fn(page); err != nil {
			return err
		}
	}
	return nil
}

// tiledSource serves one real day of sign-ins again and again, shifted by whole
// days, each copy with ids of its own: realistic profiles at any volume without
// generating and decoding gigabytes of JSON. Profiles and strings other than
// ids are shared between the copies, so it is for timing, not for memory.
type tiledSource struct {
	day time.Time // the UTC midnight the events are from
	set eventSet
}

// ListSignIns implements store.Source.
func (s *tiledSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	evs := s.set[t]
	page := make([]signin.Event, 0, pageSize)
	for d := from.UTC().Truncate(24 * time.Hour); d.Before(to); d = d.Add(24 * time.Hour) {
		shift := d.Sub(s.day)
		k := int64(shift / (24 * time.Hour))
		lo := sort.Search(len(evs), func(i int) bool { return !evs[i].Created.Add(shift).Before(from) })
		for _, e := range evs[lo:] {
			e.Created = e.Created.Add(shift)
			if !e.Created.Before(to) {
				break
			}
			e.ID = tileID(e.ID, k)
			page = append(page, e)
			if len(page) == pageSize {
				if err := fn(page); err != nil {
					return err
				}
				page = make([]signin.Event, 0, pageSize)
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}

// tileID makes the id of copy k of a sign-in. A canonical UUID stays one (its
// first group is changed), so the codec stores it as compactly as the original.
func tileID(id string, k int64) string {
	if k == 0 {
		return id
	}
	if len(id) == 36 && id[8] == '-' {
		if v, err := strconv.ParseUint(id[:8], 16, 32); err == nil {
			return fmt.Sprintf("%08x", uint32(v)^uint32(k*0x9e3779b1)) + id[8:] // #nosec G115 -- v has 32 bits (ParseUint's size); k*0x9e3779b1 is a hash: the low bits are the point
		}
	}
	return id + "-" + strconv.FormatInt(k, 10)
}

// inRiskStates returns the sign-ins of set in a state ListChanged lists, in
// their order.
func inRiskStates(set eventSet) eventSet {
	out := make(eventSet, len(set))
	for t, evs := range set {
		for _, e := range evs {
			if slices.Contains(graph.RiskStates, e.RiskState) {
				out[t] = append(out[t], e)
			}
		}
	}
	return out
}
