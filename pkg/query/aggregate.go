package query

import (
	"context"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Bounds of one aggregation's memory: groups, and groups × buckets.
const (
	MaxGroups = 200_000
	maxCells  = 4_000_000
)

// group is one combination of groupBy values with its cells.
type group struct {
	labels []string
	cells  []cell // per bucket; one cell over the whole range for tables
	total  cell   // over the whole range when there are several buckets; read it by whole
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
	byKey     map[string]int32
	maxGroups int
	overflow  int32             // the group that takes every group past maxGroups; -1 until needed
	values    map[string]uint32 // distinct values → ids
	plans     map[*store.Profiles]*profilePlan
	keyBuf    strings.Builder
	scratch   []string
}

func newAggregation(q Query, first time.Time, size time.Duration, buckets int) *aggregation {
	return &aggregation{q: q, first: first.UnixNano(), size: int64(size), buckets: buckets,
		byKey: make(map[string]int32), values: make(map[string]uint32), plans: make(map[*store.Profiles]*profilePlan),
		maxGroups: min(MaxGroups, max(1000, maxCells/buckets)), overflow: -1}
}

// unplanned marks a profile the aggregation has not met yet.
const unplanned = -1

// profilePlan is what the per-sign-in loop needs of each profile of a table,
// worked out the first time a sign-in in range uses the profile, so profiles
// outside the range make no groups and cost nothing.
type profilePlan struct {
	group      []int32 // a group id, or unplanned
	outcome    []signin.Outcome
	value      []int64 // distinct value id, -1 for none
	lastBucket []int32 // the last bucket a profile's value was recorded in
}

// planOf returns the plan of a block's profile table, grown to the table's size.
func (a *aggregation) planOf(t *store.Profiles) *profilePlan {
	pl := a.plans[t]
	if pl == nil {
		pl = &profilePlan{}
		a.plans[t] = pl
	}
	n := t.Len()
	for len(pl.group) < n {
		pl.group = append(pl.group, unplanned)
		pl.outcome = append(pl.outcome, 0)
		pl.value = append(pl.value, -1)
		pl.lastBucket = append(pl.lastBucket, -1)
	}
	return pl
}

// planProfile works out profile p's group, outcome and distinct value.
func (a *aggregation) planProfile(pl *profilePlan, e *signin.Event, p uint32) int32 {
	pl.outcome[p] = e.Outcome()
	if a.q.Metric.IsDistinct() {
		if v := a.q.Metric.distinctKey(e); v != "" {
			pl.value[p] = int64(a.valueID(v))
		}
	}
	gid := a.groupOf(e)
	pl.group[p] = gid
	return gid
}

// add folds the sign-ins [lo, hi) of a block into the aggregation. Blocks are
// time-sorted, so a profile's distinct value needs recording once per bucket,
// not once per sign-in. With one bucket, the group's total is its only cell
// (group.whole).
func (a *aggregation) add(b *store.Block, lo, hi int, pass []bool) {
	pl := a.planOf(b.Profiles)
	single := a.buckets == 1
	for i := lo; i < hi; i++ {
		p := b.Profile[i]
		if !pass[p] {
			continue
		}
		gid := pl.group[p]
		if gid == unplanned {
			gid = a.planProfile(pl, b.Profiles.At(p), p)
		}
		g := a.groups[gid]
		k := int32((b.Times[i] - a.first) / a.size)
		o := pl.outcome[p]
		c := &g.cells[k]
		c.add(o)
		if !single {
			g.total.add(o)
		}
		if v := pl.value[p]; v >= 0 && pl.lastBucket[p] != k {
			pl.lastBucket[p] = k
			c.addDistinct(uint32(v))
			if !single {
				g.total.addDistinct(uint32(v))
			}
		}
	}
}

func (a *aggregation) groupOf(e *signin.Event) int32 {
	a.keyBuf.Reset()
	a.scratch = a.scratch[:0]
	for _, d := range a.q.GroupBy {
		v := d.Value(e)
		a.scratch = append(a.scratch, v)
		a.keyBuf.WriteString(v)
		a.keyBuf.WriteByte(0)
	}
	key := a.keyBuf.String()
	if gid, ok := a.byKey[key]; ok {
		return gid
	}
	if len(a.byKey) >= a.maxGroups {
		return a.overflowGroup()
	}
	g := &group{labels: append([]string(nil), a.scratch...), cells: make([]cell, a.buckets)}
	gid := int32(len(a.groups))
	a.groups = append(a.groups, g)
	a.byKey[key] = gid
	return gid
}

// overflowGroup collects the groups past maxGroups, so an adversarial groupBy
// (ipAddress × user over millions of sign-ins) costs bounded memory: the answer
// keeps the groups seen first and sums up the rest as "other".
func (a *aggregation) overflowGroup() int32 {
	if a.overflow < 0 {
		a.overflow = int32(len(a.groups))
		a.groups = append(a.groups, a.newOther())
	}
	return a.overflow
}

func (a *aggregation) valueID(v string) uint32 {
	if id, ok := a.values[v]; ok {
		return id
	}
	id := uint32(len(a.values))
	a.values[v] = id
	return id
}

// aggregate runs the scan of q over [from, to) into an aggregation.
func (e *Engine) aggregate(ctx context.Context, q Query, from, to, first time.Time, size time.Duration, buckets int) (*aggregation, *store.PartialError, error) {
	a := newAggregation(q, first, size, buckets)
	partial, err := splitPartial(e.scanMatching(ctx, q, from, to, a.add))
	return a, partial, err
}
