package query

import (
	"sort"
	"strings"
)

// OtherLabel names the group that folds every group beyond the limit.
const OtherLabel = "other"

// ranked orders groups by the metric over the whole range, largest first (ties by
// labels, so answers are stable), keeps limit of them and folds the rest into one
// "other" group (nil when nothing was folded). Folding merges cells, so a
// distinct count of "other" is exact, not a sum.
func (a *aggregation) ranked(limit int) (kept []*group, other *group) {
	groups := append([]*group(nil), a.groups...)
	m := a.q.Metric
	sort.Slice(groups, func(i, j int) bool {
		vi, vj := m.value(&groups[i].total), m.value(&groups[j].total)
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
	other = &group{labels: make([]string, len(a.q.GroupBy)), cells: make([]cell, a.buckets)}
	for i := range other.labels {
		other.labels[i] = OtherLabel
	}
	for _, g := range groups[limit:] {
		for k := range g.cells {
			other.cells[k].mergeCell(&g.cells[k])
		}
		other.total.mergeCell(&g.total)
	}
	return groups[:limit], other
}
