package query

import (
	"context"
	"encoding/binary"
	"slices"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// MaxGroups is the default bound of the groups of one aggregation (Limits).
const MaxGroups = 200_000

// group is one combination of groupBy values with its cells.
type group struct {
	labels []string
	cells  []cell // per bucket; one cell over the whole range for tables
	total  cell   // over the whole range when there are several buckets; read it by whole
	// first and last are the earliest and latest sign-in's times, Unix ns;
	// firstFailure and lastSuccess those of its failures and successes. Kept
	// for the metrics that read times only (addSeen); 0 until one is seen.
	first, last               int64
	firstFailure, lastSuccess int64
}

// seen keeps a sign-in of outcome o at ts among the group's times.
func (g *group) seen(ts int64, o signin.Outcome) {
	g.first, g.last = earliest(g.first, ts), max(g.last, ts)
	switch o {
	case signin.Failure:
		g.firstFailure = earliest(g.firstFailure, ts)
	case signin.Success:
		g.lastSuccess = max(g.lastSuccess, ts)
	}
}

// absorbSeen folds o's times into g's, as if g had seen o's sign-ins.
func (g *group) absorbSeen(o *group) {
	g.first, g.last = earliest(g.first, o.first), max(g.last, o.last)
	g.firstFailure, g.lastSuccess = earliest(g.firstFailure, o.firstFailure), max(g.lastSuccess, o.lastSuccess)
}

// earliest is the earlier of two times where 0 is none.
func earliest(a, b int64) int64 {
	if a == 0 || (b != 0 && b < a) {
		return b
	}
	return a
}

// count adds n sign-ins of outcome o to bucket k's cell and, when the range
// has several buckets (single is false), to the total. It returns the cell.
// Every loop of the engine counts through it (and countDistinct), so a cell
// and its total never disagree.
func (g *group) count(k int32, o signin.Outcome, n int64, single bool) *cell {
	c := &g.cells[k]
	c.addN(o, n)
	if !single {
		g.total.addN(o, n)
	}
	return c
}

// countDistinct records distinct value v in c, a cell of g, and in the total.
func (g *group) countDistinct(c *cell, v uint32, single bool) {
	c.addDistinct(v)
	if !single {
		g.total.addDistinct(v)
	}
}

// whole is the group's accumulation over the whole range.
func (g *group) whole() *cell {
	if len(g.cells) == 1 {
		return &g.cells[0]
	}
	return &g.total
}

// aggregation accumulates a query's metric per group and bucket.
type aggregation struct {
	q       Query
	first   int64 // first bucket start, Unix ns
	size    int64 // bucket width, ns
	buckets int

	groups    []*group
	maxGroups int
	maxCells  int         // for the notice
	times     []time.Time // bucket starts, shared by every series of the answer
	overflow  int32       // the group that takes every group past maxGroups; -1 until needed
	noDays    bool        // read every sign-in: never days counted per profile (days.go) nor partials (partial.go)
	daysRead  bool        // days counted per profile were read

	scratch  partialScratch // counts units into partials (partial.go)
	dims     []*valueIDs    // per groupBy dimension
	lists    bool           // a groupBy dimension is list-valued: a sign-in may be in several groups
	multi    [][]int32      // the group sets of sign-ins in several groups (slot.group ≤ firstMulti)
	multiOf  map[string]int32
	byValue  []int32 // one dimension: value id → group id, -1 for none yet
	byKey    map[string]int32
	keyBuf   []byte
	codeBuf  []uint32
	distinct *valueIDs // what a distinct metric counts; nil for the others
	filter   *profileFilter
	plans    map[*block.Profiles][]slot
	cache    *planCache                      // set when planning from the cache (coded.go)
	planKey  string                          // the cache's key of the aggregation's plans
	coded    map[*block.Profiles]*codedTable // per table, when planning from the cache

	acct    *memguard.Account // the query's share of the memory guard (memory.go)
	ctx     context.Context   // the query's, for waiting for memory
	started bool              // the reservation was waited for (memory.go)
	prepaid int64             // reserved at the start, not yet charged to a group
	err     error             // the guard refused a group: the query fails with it
	notices []string          // the feed's, for the answer (where it was counted)
}

// newAggregation bounds the groups by lim.MaxGroups and by lim.MaxCells over
// the buckets: together with "other", groups × buckets stays within MaxCells
// plus one series. Callers have checked that buckets ≤ MaxCells/2.
func newAggregation(q Query, first time.Time, size time.Duration, buckets int, lim Limits) *aggregation {
	a := &aggregation{q: q, first: first.UnixNano(), size: int64(size), buckets: buckets,
		byKey: make(map[string]int32), plans: make(map[*block.Profiles][]slot), filter: newProfileFilter(q.Filters),
		maxGroups: max(1, min(lim.MaxGroups, lim.MaxCells/buckets-1)), maxCells: lim.MaxCells, overflow: -1}
	for _, d := range q.GroupBy {
		a.dims = append(a.dims, dimensionIDs(d))
		a.lists = a.lists || d.IsList()
	}
	if q.Metric.IsDistinct() {
		a.distinct = newValueIDs("distinct:"+string(q.Metric), q.Metric.distinctKey)
	}
	return a
}

// Group slots of a profile's plan besides a group id.
const (
	unplanned   = -1 // not met yet
	filteredOut = -2 // fails the filters
	firstMulti  = -3 // and below: in the groups of a.multi[firstMulti-slot.group]
)

// slot is what the per-sign-in loop needs of one profile, worked out the first
// time a sign-in in range uses the profile, so profiles outside the range make
// no groups and cost nothing. One slot is one memory access per sign-in.
type slot struct {
	group      int32 // a group id, unplanned or filteredOut
	value      int32 // distinct value id, -1 for none
	lastBucket int32 // the last bucket the value was recorded in
	outcome    signin.Outcome
}

// planOf returns the slots of a block's profile table, grown to the table's size.
func (a *aggregation) planOf(t *block.Profiles) []slot {
	pl := a.plans[t]
	if grow := t.Len() - len(pl); grow > 0 {
		pl = slices.Grow(pl, grow)
		for range grow {
			pl = append(pl, slot{group: unplanned, value: -1, lastBucket: -1})
		}
		a.plans[t] = pl
	}
	return pl
}

// planProfile works out profile p's slot.
func (a *aggregation) planProfile(sl *slot, t *block.Profiles, p uint32) {
	if !a.filter.passes(t, p) {
		sl.group = filteredOut
		return
	}
	sl.outcome = t.Outcome(p)
	if a.distinct != nil {
		if id := a.distinct.of(t, p); a.distinct.values[id] != "" {
			sl.value = int32(id) // #nosec G115 -- value ids are under maxCells-bounded tables, far below 2^31
		}
	}
	sl.group = a.groupOf(t, p) // filteredOut when the memory guard refused the group
}

// add folds the sign-ins [lo, hi) of a block into the aggregation. Blocks are
// time-sorted, so the sign-ins of one bucket are a run found by a binary
// search, and the per-sign-in loop reads no time at all; a profile's distinct
// value needs recording once per bucket, not once per sign-in. With one
// bucket, the group's total is its only cell (group.whole). Once the memory
// guard refused a group, the remaining blocks are skipped: the query fails.
func (a *aggregation) add(b *block.Block, lo, hi int) {
	if !a.start() {
		return
	}
	if a.coded != nil {
		a.addCoded(b, lo, hi)
		return
	}
	pl := a.planOf(b.Profiles)
	a.forBuckets(b, lo, hi, func(lo, end int, k int32) { a.addBucket(pl, b, lo, end, k) })
}

// forBuckets calls fn for each run [lo, end) of a block's sign-ins [lo, hi)
// that fall in one bucket, k, in order: the block's times are sorted, so a
// bucket's sign-ins are a run found by binary search.
func (a *aggregation) forBuckets(b *block.Block, lo, hi int, fn func(lo, end int, k int32)) {
	for lo < hi {
		k := int32((b.Times.At(lo) - a.first) / a.size) // #nosec G115 -- the time lies in the query's range: k < buckets <= maxCells (at most 10^8)
		end := hi
		if a.buckets > 1 {
			end = b.Times.SearchRange(lo, hi, a.first+int64(k+1)*a.size)
		}
		fn(lo, end, k)
		lo = end
	}
}

// addBucket folds the sign-ins [lo, hi) of a block, all in bucket k, reading
// the block's profile ids at the width they are held.
func (a *aggregation) addBucket(pl []slot, b *block.Block, lo, hi int, k int32) {
	if ids := b.Profile.Narrow(); ids != nil {
		addRun(a, pl, b.Profiles, ids[lo:hi], k)
	} else {
		addRun(a, pl, b.Profiles, b.Profile.Wide()[lo:hi], k)
	}
}

// addRun is addBucket's loop, one instance per id width.
func addRun[ID uint16 | uint32](a *aggregation, pl []slot, t *block.Profiles, ids []ID, k int32) {
	single := a.buckets == 1
	for _, p := range ids {
		sl := &pl[p]
		if sl.group < 0 {
			if sl.group == filteredOut {
				continue
			}
			if sl.group == unplanned {
				if a.planProfile(sl, t, uint32(p)); sl.group == filteredOut {
					continue
				}
			}
			if sl.group <= firstMulti { // in several groups: off the common path
				a.addMulti(k, sl, single)
				continue
			}
		}
		g := a.groups[sl.group]
		c := g.count(k, sl.outcome, 1, single)
		if sl.value >= 0 && sl.lastBucket != k {
			sl.lastBucket = k
			g.countDistinct(c, uint32(sl.value), single) // #nosec G115 -- sl.value >= 0 here: set only from an id
		}
	}
}

// addMulti counts one sign-in of bucket k in each group of its group set
// (list-valued groupBy dimensions); kept out of add's loop, which the
// common case of one group per sign-in keeps tight.
func (a *aggregation) addMulti(k int32, sl *slot, single bool) {
	distinct := sl.value >= 0 && sl.lastBucket != k
	if distinct {
		sl.lastBucket = k
	}
	for _, g := range a.multi[firstMulti-sl.group] {
		a.addTo(a.groups[g], k, sl, distinct, single, 1)
	}
}

// addSeen is add that also keeps each group's first and last sign-in
// times, for the metrics that read times: a second pass over the block that
// reads the slots add planned, so no other metric pays for it.
func (a *aggregation) addSeen(b *block.Block, lo, hi int) {
	a.add(b, lo, hi)
	pl := a.plans[b.Profiles]
	if pl == nil {
		return // add skipped the block (the memory guard refused a group)
	}
	for i := lo; i < hi; i++ {
		sl, ts := &pl[b.Profile.At(i)], b.Times.At(i)
		switch {
		case sl.group >= 0:
			a.groups[sl.group].seen(ts, sl.outcome)
		case sl.group <= firstMulti:
			for _, gid := range a.multi[firstMulti-sl.group] {
				a.groups[gid].seen(ts, sl.outcome)
			}
		}
	}
}

// valueOf is the metric of a group over the whole range.
func (a *aggregation) valueOf(g *group) float64 {
	switch a.q.Metric {
	case LastSignIn:
		return float64(g.last / int64(time.Millisecond))
	case FirstSignIn:
		return float64(g.first / int64(time.Millisecond))
	case SuccessAfterFailure:
		if g.firstFailure != 0 && g.lastSuccess > g.firstFailure {
			return 1
		}
		return 0
	}
	return a.q.Metric.value(g.whole())
}

// addTo counts n sign-ins of bucket k in group g.
func (a *aggregation) addTo(g *group, k int32, sl *slot, distinct, single bool, n int64) {
	c := g.count(k, sl.outcome, n, single)
	if distinct {
		g.countDistinct(c, uint32(sl.value), single) // #nosec G115 -- sl.value >= 0 here: set only from an id
	}
}

// groupOf returns the group of profile p of table t, made on first use. Once
// the groups are full, values never seen before go to the overflow group
// without an id.
func (a *aggregation) groupOf(t *block.Profiles, p uint32) int32 {
	if a.lists {
		return a.listGroupOf(t, p)
	}
	a.codeBuf = a.codeBuf[:0]
	for _, d := range a.dims {
		_, c := d.code(t, p)
		a.codeBuf = append(a.codeBuf, c)
	}
	return a.groupOfCodes(t, a.codeBuf)
}

// groupOfCodes returns the group of the values whose codes in table t's
// columns are codes, one per dimension, made on first use. Once the groups
// are full, values never seen before go to the overflow group without an id.
func (a *aggregation) groupOfCodes(t *block.Profiles, codes []uint32) int32 {
	add := !a.full()
	if len(a.dims) == 1 {
		id, ok := a.dims[0].lookupCode(t, codes[0], add)
		if !ok {
			return a.overflowGroup()
		}
		for int(id) >= len(a.byValue) {
			a.byValue = append(a.byValue, -1)
		}
		if gid := a.byValue[id]; gid >= 0 {
			return gid
		}
		gid := a.newGroup(func() []string { return []string{labelOf(a.dims[0].values[id])} })
		if gid >= 0 && gid != a.overflow {
			a.byValue[id] = gid
		}
		return gid
	}
	a.keyBuf = a.keyBuf[:0]
	for i, d := range a.dims {
		id, ok := d.lookupCode(t, codes[i], add)
		if !ok {
			return a.overflowGroup()
		}
		a.keyBuf = binary.LittleEndian.AppendUint32(a.keyBuf, id)
	}
	if gid, ok := a.byKey[string(a.keyBuf)]; ok {
		return gid
	}
	gid := a.newGroup(func() []string {
		labels := make([]string, len(a.dims))
		for i, d := range a.dims {
			labels[i] = labelOf(d.values[binary.LittleEndian.Uint32(a.keyBuf[4*i:])])
		}
		return labels
	})
	if gid >= 0 && gid != a.overflow {
		a.byKey[string(a.keyBuf)] = gid
	}
	return gid
}

// full reports whether the aggregation has its maxGroups real groups.
func (a *aggregation) full() bool { return len(a.groups)-a.overflowGroups() >= a.maxGroups }

// newGroup adds a group with the labels given, or returns the overflow group
// once there are maxGroups. It returns filteredOut when the memory guard
// refuses the group (a.err says why).
func (a *aggregation) newGroup(labels func() []string) int32 {
	if a.full() {
		return a.overflowGroup()
	}
	l := labels()
	if !a.charge(seriesBytes(a.buckets, l)) {
		return filteredOut
	}
	gid := int32(len(a.groups)) // #nosec G115 -- groups <= maxGroups (at most 2*10^6) plus other
	a.groups = append(a.groups, &group{labels: l, cells: make([]cell, a.buckets)})
	return gid
}

func (a *aggregation) overflowGroups() int {
	if a.overflow >= 0 {
		return 1
	}
	return 0
}

// overflowGroup collects the groups past maxGroups, so an adversarial groupBy
// (ipAddress × user over millions of sign-ins) costs bounded memory: the answer
// keeps the groups seen first and sums up the rest as "other".
func (a *aggregation) overflowGroup() int32 {
	if a.overflow < 0 {
		other := a.newOther()
		if other == nil {
			return filteredOut // refused by the memory guard
		}
		a.overflow = int32(len(a.groups)) // #nosec G115 -- groups <= maxGroups (at most 2*10^6) plus other
		a.groups = append(a.groups, other)
	}
	return a.overflow
}

// aggregate feeds the sign-ins of q over [from, to) into an aggregation,
// charged to the engine's memory guard. On success the caller releases the
// aggregation once its answer is built; on failure nothing stays reserved.
func (e *Engine) aggregate(ctx context.Context, q Query, from, to, first time.Time, size time.Duration, buckets int, f feed) (*aggregation, *Partial, error) {
	a, partial, err := e.aggregateOnce(ctx, q, from, to, first, size, buckets, f, false)
	if err == nil && a.daysRead && a.overflow >= 0 {
		// Which groups keep rows of their own past maxGroups depends on the
		// order they are met: in time order when sign-ins are read, in
		// profile order when days are. Read the sign-ins, so the answer is
		// the one a query that reads no days gets.
		a.release()
		return e.aggregateOnce(ctx, q, from, to, first, size, buckets, f, true)
	}
	return a, partial, err
}

// aggregateOnce is aggregate's one pass; noDays keeps the feed from reading
// days counted per profile.
func (e *Engine) aggregateOnce(ctx context.Context, q Query, from, to, first time.Time, size time.Duration, buckets int, f feed, noDays bool) (*aggregation, *Partial, error) {
	a := newAggregation(q, first, size, buckets, e.limits)
	a.noDays = noDays
	a.reserve(ctx, e.guard)
	partial, err := f(ctx, a, from, to)
	if a.err != nil {
		err = a.err // the cause: the scan went on without adding
	}
	if err != nil {
		a.release()
		return nil, nil, err
	}
	return a, partial, nil
}
