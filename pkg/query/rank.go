package query

import (
	"sort"
	"strings"
)

// OtherLabel names the group that folds every group beyond the limit.
const OtherLabel = "other"

// EmptyLabel names the group of sign-ins without a value for a dimension (no
// device detail, no location, …): one labelled group in tables, series,
// variables and suggestions, which a filter selects by this name.
const EmptyLabel = "(empty)"

// labelOf is a dimension value as a group's label.
func labelOf(v string) string {
	if v == "" {
		return EmptyLabel
	}
	return v
}

// ranked orders groups by the metric over the whole range, largest first (ties by
// labels, so answers are stable), keeps limit of them and folds the rest into one
// "other" group (nil when nothing was folded). Folding merges cells, so a
// distinct count of "other" is exact, not a sum.
func (a *aggregation) ranked(limit int) (kept []*group, other *group) {
	groups := make([]*group, 0, len(a.groups))
	for i, g := range a.groups {
		if i != int(a.overflow) { // the overflow is no real group: it always goes to "other"
			groups = append(groups, g)
		}
	}
	kept, other = a.fold(groups, limit)
	if a.overflow >= 0 && !a.q.DropOther {
		if other == nil {
			other = a.newOther()
		}
		if other != nil {
			other.absorb(a.groups[a.overflow])
		}
	}
	return kept, other
}

// newOther returns a new "other" group, charged to the memory guard like any
// group: nil when the guard refuses it (a.err says why, callers check it).
func (a *aggregation) newOther() *group {
	labels := make([]string, len(a.q.GroupBy))
	for i := range labels {
		labels[i] = OtherLabel
	}
	if !a.charge(seriesBytes(a.buckets, labels)) {
		return nil
	}
	return &group{labels: labels, cells: make([]cell, a.buckets)}
}

// fold sorts real groups and folds those beyond limit into "other".
func (a *aggregation) fold(groups []*group, limit int) (kept []*group, other *group) {
	sort.Slice(groups, func(i, j int) bool {
		vi, vj := a.valueOf(groups[i]), a.valueOf(groups[j])
		if vi != vj {
			return vi > vj
		}
		return strings.Join(groups[i].labels, "\x00") < strings.Join(groups[j].labels, "\x00")
	})
	if limit <= 0 || len(groups) <= limit {
		return groups, nil
	}
	if a.q.DropOther {
		return groups[:limit], nil
	}
	if other = a.newOther(); other == nil {
		return groups[:limit], nil // refused by the memory guard: a.err is set
	}
	for _, g := range groups[limit:] {
		other.absorb(g)
	}
	return groups[:limit], other
}

// absorb merges group o into g.
func (g *group) absorb(o *group) {
	g.absorbSeen(o)
	for k := range o.cells {
		g.cells[k].mergeCell(&o.cells[k])
	}
	if len(g.cells) > 1 {
		g.total.mergeCell(&o.total)
	}
}
