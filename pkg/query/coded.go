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
	plan   *tablePlan
	snap   *planSnap
	groups []int32
}

// usePlanCache makes the aggregation plan from c when it can (cacheable).
func (a *aggregation) usePlanCache(c *planCache) {
	if !a.cacheable() {
		return
	}
	a.cache = c
	a.planKey = planKeyOf(a.filter.filters, a.q.GroupBy)
	a.coded = make(map[*block.Profiles]*codedTable)
}

// codedOf returns the table's coded view, covering every profile t holds now
// (a block's profiles are all in its table before the block is scanned).
func (a *aggregation) codedOf(t *block.Profiles) *codedTable {
	ct := a.coded[t]
	if ct == nil {
		ct = &codedTable{plan: a.cache.plan(t, a.planKey, a.filter.filters, a.q.GroupBy)}
		a.coded[t] = ct
	}
	if n := t.Len(); ct.snap == nil || len(ct.snap.profiles) < n {
		ct.snap = ct.plan.covering(t, n)
		for len(ct.groups) < ct.snap.codes {
			ct.groups = append(ct.groups, unplanned)
		}
	}
	return ct
}

// addCoded is add over a cached plan.
func (a *aggregation) addCoded(b *block.Block, lo, hi int) {
	ct := a.codedOf(b.Profiles)
	for lo < hi {
		k := int32((b.Times.At(lo) - a.first) / a.size)
		end := hi
		if a.buckets > 1 {
			end = b.Times.SearchRange(lo, hi, a.first+int64(k+1)*a.size)
		}
		if ids := b.Profile.Narrow(); ids != nil {
			addCodedRun(a, ct, b.Profiles, ids[lo:end], k)
		} else {
			addCodedRun(a, ct, b.Profiles, b.Profile.Wide()[lo:end], k)
		}
		lo = end
	}
}

// addCodedRun is addRun over a cached plan, one instance per id width.
func addCodedRun[ID uint16 | uint32](a *aggregation, ct *codedTable, t *block.Profiles, ids []ID, k int32) {
	single := a.buckets == 1
	plan, groups := ct.snap.profiles, ct.groups
	for _, p := range ids {
		v := plan[p]
		if v < 0 { // filteredOutCode
			continue
		}
		gid := groups[v>>2]
		if gid < 0 {
			if gid == filteredOut {
				continue
			}
			if gid = a.planCode(ct, t, v>>2); gid < 0 {
				continue
			}
		}
		o := signin.Outcome(v & 3)
		g := a.groups[gid]
		g.cells[k].add(o)
		if !single {
			g.total.add(o)
		}
	}
}

// planCode works out the group of a plan's code, as planProfile does for a
// profile: filteredOut when the memory guard refused the group.
func (a *aggregation) planCode(ct *codedTable, t *block.Profiles, code int32) int32 {
	a.codeBuf = ct.snap.columnCodes(code, len(a.dims), a.codeBuf)
	gid := a.groupOfCodes(t, a.codeBuf)
	ct.groups[code] = gid
	return gid
}
