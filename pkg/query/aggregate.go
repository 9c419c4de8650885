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
	total  cell   // over the whole range, for ranking and tables
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
	keyBuf    strings.Builder
	scratch   []string
}

func newAggregation(q Query, first time.Time, size time.Duration, buckets int) *aggregation {
	return &aggregation{q: q, first: first.UnixNano(), size: int64(size), buckets: buckets,
		byKey: make(map[string]int32), values: make(map[string]uint32),
		maxGroups: min(MaxGroups, max(1000, maxCells/buckets)), overflow: -1}
}

// Group slots of a profile plan besides a group id.
const (
	filteredOut = -1 // the profile fails the filters
	ungrouped   = -2 // passes, but its group is made only when a sign-in in range uses it
)

// profilePlan is what the per-sign-in loop needs of each profile of a block.
type profilePlan struct {
	group      []int32 // a group id, filteredOut or ungrouped
	outcome    []signin.Outcome
	value      []int64 // distinct value id, -1 for none
	lastBucket []int   // the last bucket a profile's value was recorded in
}

func (a *aggregation) plan(b *store.Block, pass []bool) profilePlan {
	n := len(b.Profiles)
	pl := profilePlan{group: make([]int32, n), outcome: make([]signin.Outcome, n), value: make([]int64, n), lastBucket: make([]int, n)}
	for p := range b.Profiles {
		pl.lastBucket[p] = -1
		pl.value[p] = -1
		if !pass[p] {
			pl.group[p] = filteredOut
			continue
		}
		// A block holds a whole window; its profiles may have no sign-in inside a
		// range that starts or ends mid-window, and must not make empty groups.
		e := &b.Profiles[p]
		pl.group[p] = ungrouped
		pl.outcome[p] = e.Outcome()
		if a.q.Metric.IsDistinct() {
			if v := a.q.Metric.distinctKey(e); v != "" {
				pl.value[p] = int64(a.valueID(v))
			}
		}
	}
	return pl
}

// add folds the sign-ins [lo, hi) of a block into the aggregation. Blocks are
// time-sorted, so a profile's distinct value needs recording once per bucket,
// not once per sign-in.
func (a *aggregation) add(b *store.Block, lo, hi int, pass []bool) {
	pl := a.plan(b, pass)
	for i := lo; i < hi; i++ {
		p := b.Profile[i]
		gid := pl.group[p]
		if gid == filteredOut {
			continue
		}
		if gid == ungrouped {
			gid = a.groupOf(&b.Profiles[p])
			pl.group[p] = gid
		}
		g := a.groups[gid]
		k := int((b.Times[i] - a.first) / a.size)
		o := pl.outcome[p]
		g.cells[k].add(o)
		g.total.add(o)
		if v := pl.value[p]; v >= 0 && pl.lastBucket[p] != k {
			pl.lastBucket[p] = k
			g.cells[k].addDistinct(uint32(v))
			g.total.addDistinct(uint32(v))
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
