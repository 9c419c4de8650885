package query

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// codedTable is an aggregation's view of one table's cached plan
// (plancache.go): the plan's snapshot and, per code, the query's group
// (unplanned until met). Only this map from codes to groups is the query's
// own: a repeated panel plans nothing per profile, and its loop reads a
// 4-byte entry per sign-in that the other queries of the dashboard share,
// where a per-query plan held 16 bytes per profile.
type codedTable struct {
	table    *block.Profiles
	plan     *tablePlan // nil until the query reads a unit of the table without a partial
	snap     *planSnap
	partials *partialSet // nil until met (partialsOf)
	looked   bool        // the cache was asked for partials
	groups   []int32
	distinct []distinctSlot // per profile, for a distinct metric
}

// distinctSlot is a profile's distinct value for the query: what a distinct
// count counts varies within a group, so it stays per profile and query, and
// is recorded once per bucket.
type distinctSlot struct {
	value      int32 // the query's value id, -1 for none, unknownValue until met
	lastBucket int32
}

const unknownValue = -2

// usePlanCache makes the aggregation plan from c when it can (cacheable).
func (a *aggregation) usePlanCache(c *planCache) {
	if !a.cacheable() {
		return
	}
	a.cache = c
	a.planKey = planKeyOf(a.filter.filters, a.q.GroupBy)
	a.coded = make(map[*block.Profiles]*codedTable)
}

// codedOf returns the table's coded view. Its plan is fetched (and made or
// extended) only by planned: a unit read through its partial needs none.
func (a *aggregation) codedOf(t *block.Profiles) *codedTable {
	ct := a.coded[t]
	if ct == nil {
		ct = &codedTable{table: t}
		a.coded[t] = ct
	}
	return ct
}

// planned returns ct with its plan covering every profile its table holds
// now (a block's profiles are all in its table before the block is scanned).
func (a *aggregation) planned(ct *codedTable) *codedTable {
	t := ct.table
	if ct.plan == nil {
		ct.plan = a.cache.plan(t, a.planKey, a.filter.filters, a.q.GroupBy)
	}
	if n := t.Len(); ct.snap == nil || len(ct.snap.profiles) < n {
		ct.snap = ct.plan.covering(t, n)
		for len(ct.groups) < ct.snap.codes {
			ct.groups = append(ct.groups, unplanned)
		}
	}
	return ct
}

// slotted returns ct with a distinct slot per profile it plans, for a read
// of blocks (a read of days needs none: addCodedCounts).
func (a *aggregation) slotted(ct *codedTable) *codedTable {
	for a.distinct != nil && len(ct.distinct) < len(ct.snap.profiles) {
		ct.distinct = append(ct.distinct, distinctSlot{value: unknownValue, lastBucket: -1})
	}
	return ct
}

// addCoded is add over a cached plan.
func (a *aggregation) addCoded(b *block.Block, lo, hi int) {
	ct := a.codedOf(b.Profiles)
	if lo == 0 && hi == b.Len() && hi > 0 && a.countingPartials() && a.addBlockPartial(ct, b) {
		return
	}
	a.slotted(a.planned(ct))
	a.forBuckets(b, lo, hi, func(lo, end int, k int32) {
		if ids := b.Profile.Narrow(); ids != nil {
			addCodedRun(a, ct, ids[lo:end], k)
		} else {
			addCodedRun(a, ct, b.Profile.Wide()[lo:end], k)
		}
	})
}

// addCodedRun is addRun over a cached plan, one instance per id width. A
// distinct metric also records each sign-in's value, once per profile and
// bucket; for a count the check costs one predicted branch a sign-in.
func addCodedRun[ID uint16 | uint32](a *aggregation, ct *codedTable, ids []ID, k int32) {
	single, distinct := a.buckets == 1, a.distinct != nil
	plan, groups := ct.snap.profiles, ct.groups
	for _, p := range ids {
		v := plan[p]
		if v < 0 { // filteredOutCode
			continue
		}
		gid := groups[v>>2]
		if gid == unplanned {
			gid = a.planCode(ct, v>>2)
		}
		if gid < 0 { // filteredOut, or the memory guard refused the group
			continue
		}
		g := a.groups[gid]
		c := g.count(k, codedOutcome(v), 1, single)
		if distinct {
			a.countCodedDistinct(ct, g, c, uint32(p), k)
		}
	}
}

// countCodedDistinct records profile p's distinct value in bucket k's cell c
// of group g, once per profile and bucket.
func (a *aggregation) countCodedDistinct(ct *codedTable, g *group, c *cell, p uint32, k int32) {
	d := &ct.distinct[p]
	if d.value == unknownValue {
		d.value = a.distinctValue(ct.table, p)
	}
	if d.value >= 0 && d.lastBucket != k {
		d.lastBucket = k
		g.countDistinct(c, uint32(d.value), a.buckets == 1) // #nosec G115 -- d.value >= 0 here: set only from an id
	}
}

// codedOutcome is the outcome a plan code carries in its low two bits.
func codedOutcome(v int32) signin.Outcome {
	return signin.Outcome(v & 3) // #nosec G115 -- v >= 0 where it is read; v&3 is an outcome, 0 to 3
}

// distinctValue is the id of profile p's distinct value, -1 when it has none
// (the empty value counts as no user, app...).
func (a *aggregation) distinctValue(t *block.Profiles, p uint32) int32 {
	if id := a.distinct.of(t, p); a.distinct.values[id] != "" {
		return int32(id) // #nosec G115 -- distinct ids are held in memory the guard bounds, far below 2^31
	}
	return -1
}

// groupOfCode is the group of a plan's code, planned when first met;
// negative when it fails the filters or the memory guard refused its group.
func (a *aggregation) groupOfCode(ct *codedTable, code int32) int32 {
	if gid := ct.groups[code]; gid != unplanned {
		return gid
	}
	return a.planCode(ct, code)
}

// planCode works out the group of a plan's code, as planProfile does for a
// profile: filteredOut when the memory guard refused the group.
func (a *aggregation) planCode(ct *codedTable, code int32) int32 {
	a.codeBuf = ct.snap.columnCodes(code, len(a.dims), a.codeBuf)
	gid := a.groupOfCodes(ct.table, a.codeBuf)
	ct.groups[code] = gid
	return gid
}
