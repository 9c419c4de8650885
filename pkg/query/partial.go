package query

import (
	"slices"
	"sync"
	"unsafe"
	"weak"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// A partial is one unit's sign-ins — a whole block, or a closed day counted
// per profile — counted per code of a cached plan, outcome and bucket: all a
// metric that adds up (every metric but the distinct counts; the time metrics
// and list-valued groups never use a cached plan) needs of the unit. Kept in
// the plan cache beside the plan that counted it (partialSet), it answers the
// next query with the same filters and groupBy over the unit in a handful of
// entries where reading the unit costs a pass over its sign-ins or profiles:
// the panels of a dashboard over 30 days read the same closed units at every
// refresh, and most group by a few hundred values (BENCHMARKS.md, finding 15).
//
// A unit is never modified (a revised or refreshed window is a new block, a
// recounted day new counts), so its partial stays true as long as the unit
// lives; the key holds the unit weakly, and partials of units collected are
// swept as partials are added.
type partial struct {
	entries []partialEntry
	// codes are each entry's column codes, one per groupBy dimension in
	// turn: the entries are added through them while the plan that counted
	// them may have been evicted (planCache).
	codes    []uint32
	bucketed bool // the unit spans buckets: each entry names its own
	// tooMany marks a unit whose partial would cost more than a quarter of
	// its plan (a groupBy of users over an hour, a nearly empty hour): kept
	// as a mark alone, so the next query reads the unit at once instead of
	// counting it again.
	tooMany bool
}

type partialEntry struct {
	bucket int64 // the bucket's start, Unix ns, when the partial is bucketed
	code   int32 // the plan's code<<2 | outcome (plan codes never change: plancache.go)
	n      uint32
}

// partialKey names a unit and how its buckets were cut. A unit lying in one
// bucket of the query is counted as a whole (size 0), which every query
// whose buckets do not cut it shares: tables, day and hour buckets.
type partialKey struct {
	block  weak.Pointer[block.Block]
	counts weak.Pointer[uint32] // the first of a day's counts
	size   int64                // the bucket width, ns, and the buckets' offset
	phase  int64
}

func (k partialKey) collected() bool {
	if k.counts != (weak.Pointer[uint32]{}) {
		return k.counts.Value() == nil
	}
	return k.block.Value() == nil
}

const (
	partialEntryBytes = int64(unsafe.Sizeof(partialEntry{}))
	// partialBytes is a partial besides its entries: its struct and map entry.
	partialBytes = int64(unsafe.Sizeof(partial{})+unsafe.Sizeof(partialKey{})) + mapEntryBytes
	// partialSetBytes is a partial set besides its partials and key: its
	// struct and its entry in the cache.
	partialSetBytes = int64(unsafe.Sizeof(partialSet{})+unsafe.Sizeof(planKey{})) + mapEntryBytes
	// keptBytesPer is what a unit's partial may cost per sign-in or counted
	// profile of the unit to be kept: a quarter of what the plan reading the
	// unit costs (4 bytes a profile), so that partials stay far smaller than
	// the plans they spare.
	keptBytesPer = 1
	// maxScratchCodes bounds the per-query scratch that counts a unit by code
	// (4 bytes a code and outcome): tables with more codes are read directly.
	maxScratchCodes = 1 << 20
)

// partialSet holds the partials of one table and plan key, an entry of the
// plan cache of its own. Safe for concurrent use.
type partialSet struct {
	mu      sync.Mutex
	byUnit  map[partialKey]*partial
	sweepAt int

	cacheEntry // under cache.mu
}

func (ps *partialSet) get(k partialKey) *partial {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.byUnit[k]
}

// put keeps p under k and sweeps the partials of collected units once the
// map has doubled since the last sweep. It returns the bytes it added, less
// those it swept.
func (ps *partialSet) put(k partialKey, p *partial) (grown int64) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.byUnit == nil {
		ps.byUnit = make(map[partialKey]*partial)
	}
	if _, ok := ps.byUnit[k]; ok {
		return 0 // another query counted it at the same time
	}
	ps.byUnit[k] = p
	grown = p.bytes()
	if len(ps.byUnit) >= ps.sweepAt {
		for uk, up := range ps.byUnit {
			if uk.collected() {
				delete(ps.byUnit, uk)
				grown -= up.bytes()
			}
		}
		ps.sweepAt = 2*len(ps.byUnit) + 64
	}
	return grown
}

func (p *partial) bytes() int64 {
	return partialBytes + int64(cap(p.entries))*partialEntryBytes + int64(cap(p.codes))*4
}

// partialScratch counts a unit by plan code and outcome: n per code<<2 |
// outcome, and the codes met in the order met, so that groups are made in
// the order a direct read makes them.
type partialScratch struct {
	n   []uint32
	met []int32
}

// countingPartials reports whether the aggregation reads units through
// partials: a metric that adds up, with a cache to keep them.
func (a *aggregation) countingPartials() bool {
	return a.distinct == nil && !a.noDays && !a.cache.off()
}

// partialOf returns the partial the cache keeps of a unit of ct's table, nil
// when it keeps none.
func (a *aggregation) partialOf(ct *codedTable, key partialKey) *partial {
	if !ct.looked {
		ct.partials, ct.looked = a.cache.partialSet(ct.table, a.planKey, false), true
	}
	if ct.partials == nil {
		return nil
	}
	return ct.partials.get(key)
}

// planFits plans ct and reports whether its codes fit the scratch that
// counts units by code.
func (a *aggregation) planFits(ct *codedTable) bool {
	return a.planned(ct).snap.codes*4 <= maxScratchCodes
}

// addBlockPartial adds a whole block through its partial, counting and
// keeping it when missing. It reports false when the block is to be read
// directly: its partial would be about as long as the block.
func (a *aggregation) addBlockPartial(ct *codedTable, b *block.Block) bool {
	k0 := a.bucketOf(b.Times.At(0))
	key := partialKey{block: weak.Make(b)}
	if a.bucketOf(b.Times.At(b.Len()-1)) != k0 {
		key.size, key.phase = a.size, ((a.first%a.size)+a.size)%a.size
	}
	return a.addThroughPartial(ct, key, b.Len(), k0, func() []partialEntry { return countBlock(a, ct, b, key.size != 0) })
}

// addDayPartial adds a day's counts of one table to bucket k through their
// partial, counting and keeping it when missing. It reports false when the
// counts are to be read directly.
func (a *aggregation) addDayPartial(ct *codedTable, counts []uint32, k int32) bool {
	if len(counts) == 0 {
		return true
	}
	key := partialKey{counts: weak.Make(&counts[0])}
	return a.addThroughPartial(ct, key, len(counts), k, func() []partialEntry { return a.countDay(ct, counts) })
}

// addThroughPartial adds a unit of held sign-ins or profiles through its
// partial under key, counted by count and kept when missing; a unit in one
// bucket goes to bucket k. It reports false when the unit is to be read
// directly.
func (a *aggregation) addThroughPartial(ct *codedTable, key partialKey, held int, k int32, count func() []partialEntry) bool {
	p := a.partialOf(ct, key)
	if p == nil {
		if !a.planFits(ct) {
			return false
		}
		if !a.growScratch(ct.snap.codes) {
			return true // a.err is set: the query fails
		}
		p = a.keepPartial(ct, key, count(), key.size != 0, held)
	}
	if p.tooMany {
		return false
	}
	a.addPartial(ct, p, k)
	return true
}

// keepPartial keeps the entries counted of a unit holding held sign-ins or
// profiles beside the plan, or the mark that they are too many; the entries
// are added either way.
func (a *aggregation) keepPartial(ct *codedTable, key partialKey, entries []partialEntry, bucketed bool, held int) *partial {
	counted := &partial{entries: entries, bucketed: bucketed}
	for _, e := range entries {
		counted.codes = ct.snap.appendColumnCodes(counted.codes, e.code>>2, len(a.dims))
	}
	kept := &partial{entries: slices.Clone(entries), codes: slices.Clone(counted.codes), bucketed: bucketed}
	if kept.bytes() > int64(held)*keptBytesPer {
		kept = &partial{tooMany: true}
	}
	if ct.partials == nil {
		ct.partials = a.cache.partialSet(ct.table, a.planKey, true)
	}
	ct.partials.cache.grew(&ct.partials.cacheEntry, ct.partials.put(key, kept))
	return counted
}

// addPartial counts a partial's entries; those of a unit in one bucket go to
// bucket k.
func (a *aggregation) addPartial(ct *codedTable, p *partial, k int32) {
	single, dims := a.buckets == 1, len(a.dims)
	for i, e := range p.entries {
		gid := a.groupOfPartialCode(ct, e.code>>2, p.codes[i*dims:(i+1)*dims])
		if gid < 0 {
			continue
		}
		bk := k
		if p.bucketed {
			bk = a.bucketOf(e.bucket)
		}
		a.groups[gid].count(bk, codedOutcome(e.code), int64(e.n), single)
	}
}

// groupOfPartialCode is the group of a plan's code met in a partial, whose
// column codes are codes: planned when first met, without the plan.
func (a *aggregation) groupOfPartialCode(ct *codedTable, code int32, codes []uint32) int32 {
	for int(code) >= len(ct.groups) {
		ct.groups = append(ct.groups, unplanned)
	}
	if gid := ct.groups[code]; gid != unplanned {
		return gid
	}
	gid := a.groupOfCodes(ct.table, codes)
	ct.groups[code] = gid
	return gid
}

// bucketOf is the bucket of a time of the range, Unix ns.
func (a *aggregation) bucketOf(ts int64) int32 {
	return int32((ts - a.first) / a.size) // #nosec G115 -- the time lies in the query's range: k < buckets <= maxCells (at most 10^8)
}

// growScratch makes the scratch hold codes codes, charged to the memory guard.
func (a *aggregation) growScratch(codes int) bool {
	if n := codes * 4; n > len(a.scratch.n) {
		if !a.charge(int64(n-len(a.scratch.n)) * 4) {
			return false
		}
		a.scratch.n = append(a.scratch.n, make([]uint32, n-len(a.scratch.n))...)
	}
	return true
}

// countBlock counts a block's sign-ins by code and outcome, per bucket when
// bucketed (the block spans several), else as one.
func countBlock(a *aggregation, ct *codedTable, b *block.Block, bucketed bool) []partialEntry {
	var entries []partialEntry
	a.forBuckets(b, 0, b.Len(), func(lo, end int, k int32) {
		if ids := b.Profile.Narrow(); ids != nil {
			countRun(&a.scratch, ct.snap.profiles, ids[lo:end])
		} else {
			countRun(&a.scratch, ct.snap.profiles, b.Profile.Wide()[lo:end])
		}
		if bucketed {
			entries = a.scratch.drain(entries, a.first+int64(k)*a.size)
		}
	})
	return a.scratch.drain(entries, 0)
}

// countRun counts sign-ins by their profiles' plan entries, one instance per
// id width.
func countRun[ID uint16 | uint32](s *partialScratch, plan []int32, ids []ID) {
	for _, p := range ids {
		if v := plan[p]; v >= 0 { // else filteredOutCode
			s.add(v, 1)
		}
	}
}

// add counts n under plan entry v.
func (s *partialScratch) add(v int32, n uint32) {
	if s.n[v] == 0 {
		s.met = append(s.met, v)
	}
	s.n[v] += n
}

// countDay counts a day's profiles counted by code and outcome.
func (a *aggregation) countDay(ct *codedTable, counts []uint32) []partialEntry {
	s, plan := &a.scratch, ct.snap.profiles
	for p, n := range counts {
		if v := plan[p]; n != 0 && v >= 0 {
			s.add(v, n)
		}
	}
	return s.drain(nil, 0)
}

// drain appends what the scratch counted as entries of bucket and clears it.
func (s *partialScratch) drain(entries []partialEntry, bucket int64) []partialEntry {
	for _, v := range s.met {
		entries = append(entries, partialEntry{bucket: bucket, code: v, n: s.n[v]})
		s.n[v] = 0
	}
	s.met = s.met[:0]
	return entries
}
