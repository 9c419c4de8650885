package query

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// defaultPlanCacheBytes bounds an engine's plan cache (WithPlanCacheBytes):
// a plan costs about 4 bytes per profile of its table, so this holds about
// nine panels' plans over 30 days of a large tenant (67 M sign-ins, some 6.7 M
// profiles: 27 MB a plan key) and every panel's over a week.
const defaultPlanCacheBytes = 256 << 20

// WithPlanCacheBytes bounds the memory the engine keeps plans in between
// queries (planCache); 0 keeps the default, a negative value turns the cache
// off.
func WithPlanCacheBytes(n int64) Option {
	return func(e *Engine) {
		if n != 0 {
			e.plans = newPlanCache(max(n, 0))
		}
	}
}

// planCache keeps, across queries, what planning a profile table for an
// aggregation works out that does not depend on the query's own group
// numbering: per profile, whether it passes the filters, its outcome and a
// code for its groupBy values in the table (tablePlan). Dashboards ask the
// same panels again on every refresh and over the same closed days, which
// were planned again per query: about 40% of a warm panel's time over 30
// days (BENCHMARKS.md, finding 10). A query then only maps the codes it meets
// to its groups, once per code and table.
//
// Beside each plan it keeps the table's units counted with it (partialSet,
// partial.go) as an entry of their own: a plan costs 4 bytes a profile, a
// unit's partial a few entries, so when a dashboard's plans over 30 days pass
// the budget the plans go first (least recently used first) and the
// partials, which answer closed units without them, stay.
//
// Entries are kept per table and plan key (filters and groupBy dimensions),
// hold their table weakly (an entry never keeps a table of evicted windows
// alive) and are evicted once their bytes pass the budget. A plan of a table still growing (an open day) is extended by the
// next query that meets the new profiles. Safe for concurrent use.
type planCache struct {
	mu       sync.Mutex
	budget   int64
	bytes    int64 // of the entries held
	partial  int64 // of them, the partial sets'
	clock    uint64
	plans    map[planKey]*tablePlan
	partials map[planKey]*partialSet
}

type planKey struct {
	table weak.Pointer[block.Profiles]
	key   string // planKeyOf
}

// cacheEntry is what the cache counts of an entry, under its lock.
type cacheEntry struct {
	cache  *planCache // nil for an entry made outside the cache
	bytes  int64      // the entry's
	cached bool       // counted in cache.bytes
	used   uint64     // the cache's clock at the last use
	// partial marks a partial set, counted in cache.partial too.
	partial bool
}

func newPlanCache(budget int64) *planCache {
	return &planCache{budget: budget, plans: make(map[planKey]*tablePlan), partials: make(map[planKey]*partialSet)}
}

// cacheable reports whether the aggregation can be planned from the cache:
// list-valued dimensions put a profile in several groups and the time
// metrics read the per-profile slots; those plan per query as before.
func (a *aggregation) cacheable() bool {
	return !a.lists && !a.q.Metric.readsTimes()
}

// planKeyOf is what determines a plan: the filters that filter, and the
// groupBy dimensions in order. Each field is prefixed with its length, so no
// filter value, whatever bytes it holds, makes the key of other filters: a
// key shared by two filter sets would answer one with the other's plans.
func planKeyOf(filters []Filter, dims []signin.Dimension) string {
	var b []byte
	field := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(filters)))
	for _, f := range filters {
		field(f.Dim.String())
		field(string(f.Op))
		field(f.Value)
	}
	for _, d := range dims {
		field(d.String())
	}
	return string(b)
}

// off reports whether the cache keeps nothing (nil or turned off).
func (c *planCache) off() bool { return c == nil || c.budget == 0 }

// plan returns the plan of table t for key, made when missing. A cache
// turned off makes a plan for the query alone.
func (c *planCache) plan(t *block.Profiles, key string, filters []Filter, dims []signin.Dimension) *tablePlan {
	if c.off() {
		return newTablePlan(filters, dims)
	}
	k := planKey{table: weak.Make(t), key: key}
	c.mu.Lock()
	defer c.mu.Unlock()
	tp := c.plans[k]
	if tp == nil {
		tp = newTablePlan(filters, dims)
		tp.cache, tp.cached = c, true
		c.plans[k] = tp
	}
	c.touch(&tp.cacheEntry)
	return tp
}

// partialSet returns the partials of table t for key, made when missing and
// make is set; nil when the cache is off or there are none. A set is made
// only to keep a partial in it, and counted from then on, so queries that
// keep none (distinct counts, units cut by their range) leave nothing behind.
func (c *planCache) partialSet(t *block.Profiles, key string, make bool) *partialSet {
	if c.off() {
		return nil
	}
	k := planKey{table: weak.Make(t), key: key}
	c.mu.Lock()
	ps := c.partials[k]
	made := ps == nil && make
	if made {
		ps = &partialSet{cacheEntry: cacheEntry{cache: c, cached: true, partial: true}}
		c.partials[k] = ps
	}
	if ps != nil {
		c.touch(&ps.cacheEntry)
	}
	c.mu.Unlock()
	if made {
		c.grew(&ps.cacheEntry, partialSetBytes+int64(len(key)))
	}
	return ps
}

// touch marks an entry used now; callers hold c.mu.
func (c *planCache) touch(e *cacheEntry) {
	c.clock++
	e.used = c.clock
}

// grew counts n more bytes of entry e and evicts the least recently used
// entries (and those of tables collected) while the budget is passed. The
// entry that grew may go too: the query using it keeps it, the next one
// makes it again. Bytes are counted under c.mu alone, so an entry evicted
// while it grew is never counted twice.
func (c *planCache) grew(e *cacheEntry, n int64) {
	if c == nil || n == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e.bytes += n
	if !e.cached {
		return
	}
	c.bytes += n
	if e.partial {
		c.partial += n
	}
	for k, p := range c.plans {
		if k.table.Value() == nil {
			c.evict(&p.cacheEntry, func() { delete(c.plans, k) })
		}
	}
	for k, ps := range c.partials {
		if k.table.Value() == nil {
			c.evict(&ps.cacheEntry, func() { delete(c.partials, k) })
		}
	}
	for c.bytes > c.budget && len(c.plans)+len(c.partials) > 0 {
		c.evictOldest()
	}
}

// evictOldest evicts the plan used least recently, or the partial set used
// least recently when partials hold more than half the budget or no plan is
// left: partials are kept only when they cost far less than their plan
// (partial.go) and answer without it, so plans go first — a dashboard whose
// plans pass the budget, asked panel after panel, would otherwise evict each
// panel's plans and partials just before it asks again — but partials of
// panels no longer asked never crowd the plans out. Callers hold c.mu.
func (c *planCache) evictOldest() {
	if (c.partial > c.budget/2 || len(c.plans) == 0) && len(c.partials) > 0 {
		k, ps := oldestOf(c.partials)
		c.evict(ps.entry(), func() { delete(c.partials, k) })
		return
	}
	k, tp := oldestOf(c.plans)
	c.evict(tp.entry(), func() { delete(c.plans, k) })
}

// oldestOf returns the entry of m used least recently; m is not empty.
func oldestOf[E interface{ entry() *cacheEntry }](m map[planKey]E) (oldestKey planKey, oldest E) {
	first := true
	for k, e := range m {
		if first || e.entry().used < oldest.entry().used {
			oldestKey, oldest, first = k, e, false
		}
	}
	return oldestKey, oldest
}

// entry is the cache's count of a plan or partial set, which embed it.
func (e *cacheEntry) entry() *cacheEntry { return e }

// evict drops an entry with drop, which deletes it from its map; callers
// hold c.mu.
func (c *planCache) evict(e *cacheEntry, drop func()) {
	drop()
	c.bytes -= e.bytes
	if e.partial {
		c.partial -= e.bytes
	}
	e.cached = false
}

// Bytes is the memory the cache's entries hold.
func (c *planCache) Bytes() int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// tablePlan is the plan of one profile table for one plan key. Readers take
// snapshots without locks; extending appends past a snapshot's length, which
// no reader of it reads (as block.Column).
type tablePlan struct {
	mu      sync.Mutex // serialises extend
	snap    atomic.Pointer[planSnap]
	filters []Filter // the filters that filter
	dims    []signin.Dimension
	tupleOf map[string]int32 // two or more dimensions: a tuple of column codes → its code
	key     []byte
	pending int64 // bytes added by extend, not yet told to the cache; under mu

	cacheEntry // under cache.mu
}

// planSnap is a plan up to a number of profiles.
type planSnap struct {
	// profiles is per profile id filteredOutCode, or its code<<2 | outcome.
	// The code is the profile's column code with one dimension, its tuple's
	// code with several, 0 without any.
	profiles []int32
	tuples   []uint32 // several dimensions: the column codes of each code, len(dims) apiece
	codes    int      // the codes so far: group arrays are this long
}

const filteredOutCode = -1

func newTablePlan(filters []Filter, dims []signin.Dimension) *tablePlan {
	tp := &tablePlan{filters: filters, dims: dims}
	if len(dims) > 1 {
		tp.tupleOf = make(map[string]int32)
	}
	return tp
}

// covering returns a snapshot of the plan covering the first n profiles of t.
func (tp *tablePlan) covering(t *block.Profiles, n int) *planSnap {
	if s := tp.snap.Load(); s != nil && len(s.profiles) >= n {
		return s
	}
	s, grown := tp.extend(t, n)
	tp.cache.grew(&tp.cacheEntry, grown) // not under tp.mu: evict runs under the cache's lock
	return s
}

// extend plans the profiles of t not planned yet, at least up to n. It plans
// them all, in id order: reading the table's columns in order is several
// times cheaper than the random order sign-ins meet profiles in, and the plan
// is made once per table and key, not per query.
func (tp *tablePlan) extend(t *block.Profiles, n int) (s *planSnap, grown int64) {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	old := tp.snap.Load()
	if old != nil && len(old.profiles) >= n {
		return old, 0
	}
	n = max(n, t.Len())
	next := &planSnap{}
	if old != nil {
		*next = *old
	}
	cols := make([]*block.Column, len(tp.dims))
	for i, d := range tp.dims {
		cols[i] = t.Column(dimensionColumn(d), d.Value) // covers n: Len was read before
	}
	before := int64(4 * (cap(next.profiles) + cap(next.tuples)))
	// A filter of the extension alone: one kept in the plan would hold the
	// table (its verdicts are per table), and the cache must never keep a
	// table of evicted windows alive. Its verdicts cost once per value.
	filter := newProfileFilter(tp.filters)
	// #nosec G115 -- a table holds fewer than 2^32 profiles (codes are uint32)
	for p := uint32(len(next.profiles)); int(p) < n; p++ {
		next.profiles = append(next.profiles, tp.planProfile(t, filter, cols, p, next))
	}
	next.codes = tp.codes(cols, next)
	tp.snap.Store(next)
	grown, tp.pending = tp.pending+int64(4*(cap(next.profiles)+cap(next.tuples)))-before, 0
	return next, grown
}

// planProfile works out profile p's entry of the plan.
func (tp *tablePlan) planProfile(t *block.Profiles, filter *profileFilter, cols []*block.Column, p uint32, s *planSnap) int32 {
	if !filter.passes(t, p) {
		return filteredOutCode
	}
	var code int32
	switch len(cols) {
	case 0:
	case 1:
		code = int32(cols[0].Codes[p]) // #nosec G115 -- a column has fewer values than the table's profiles, well below 2^31
	default:
		code = tp.tupleCode(cols, p, s)
	}
	return code<<2 | int32(t.Outcome(p))
}

// tupleCode returns the code of profile p's tuple of column codes, new ones
// numbered in order of appearance.
func (tp *tablePlan) tupleCode(cols []*block.Column, p uint32, s *planSnap) int32 {
	tp.key = tp.key[:0]
	for _, col := range cols {
		c := col.Codes[p]
		tp.key = append(tp.key, byte(c), byte(c>>8), byte(c>>16), byte(c>>24)) // #nosec G115 -- the four bytes of a uint32 code
	}
	if code, ok := tp.tupleOf[string(tp.key)]; ok {
		return code
	}
	code := int32(len(tp.tupleOf)) // #nosec G115 -- tuples are at most the table's profiles, well below 2^31
	tp.tupleOf[string(tp.key)] = code
	for _, col := range cols {
		s.tuples = append(s.tuples, col.Codes[p])
	}
	tp.pending += int64(len(tp.key)) + 16 + mapEntryBytes
	return code
}

// mapEntryBytes is about what a Go map spends on a small entry, slack included.
const mapEntryBytes = 32

// codes is the number of codes the plan's profiles use so far.
func (tp *tablePlan) codes(cols []*block.Column, s *planSnap) int {
	switch len(cols) {
	case 0:
		return 1
	case 1:
		return len(cols[0].Values)
	}
	return len(tp.tupleOf)
}

// columnCodes returns the column codes, one per dimension, of code.
func (s *planSnap) columnCodes(code int32, dims int, buf []uint32) []uint32 {
	return s.appendColumnCodes(buf[:0], code, dims)
}

// appendColumnCodes appends the column codes, one per dimension, of code.
func (s *planSnap) appendColumnCodes(buf []uint32, code int32, dims int) []uint32 {
	switch dims {
	case 0:
	case 1:
		buf = append(buf, uint32(code)) // #nosec G115 -- code >= 0: a column code
	default:
		buf = append(buf, s.tuples[int(code)*dims:int(code+1)*dims]...)
	}
	return buf
}
