package query

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// profileFilter evaluates a query's filters once per profile of each profile
// table the scan meets, and each filter once per distinct value of its
// dimension: a dashboard's `app =~ $app` meets a few hundred apps in a million
// profiles. It belongs to one query and is not safe for concurrent use.
type profileFilter struct {
	filters []Filter
	values  []*valueIDs // per filter
	verdict [][]int8    // per filter, per value id: 0 not yet, 1 pass, -1 fail
	tables  map[*store.Profiles]*passTable
}

// passTable is a table's verdicts so far, indexed by profile id.
type passTable struct {
	pass, known []bool
}

func newProfileFilter(filters []Filter) *profileFilter {
	f := &profileFilter{tables: make(map[*store.Profiles]*passTable)}
	for _, flt := range filters {
		if flt.matchesEverything() {
			continue // Grafana's All value: no filter, and no work
		}
		f.filters = append(f.filters, flt)
		f.values = append(f.values, dimensionIDs(flt.Dim))
		f.verdict = append(f.verdict, nil)
	}
	return f
}

// of returns the verdicts of the profiles of b's table, settled for those of
// the sign-ins [lo, hi); index it by b.Profile[i].
func (f *profileFilter) of(b *store.Block, lo, hi int) []bool {
	pt := f.tables[b.Profiles]
	if pt == nil {
		pt = &passTable{}
		f.tables[b.Profiles] = pt
	}
	if n := b.Profiles.Len(); len(pt.pass) < n {
		pt.pass = append(pt.pass, make([]bool, n-len(pt.pass))...)
		pt.known = append(pt.known, make([]bool, n-len(pt.known))...)
	}
	for _, p := range b.Profile[lo:hi] {
		if !pt.known[p] {
			pt.known[p] = true
			pt.pass[p] = f.match(b.Profiles, p)
		}
	}
	return pt.pass
}

func (f *profileFilter) match(t *store.Profiles, p uint32) bool {
	for i := range f.filters {
		vs := f.values[i]
		id := vs.of(t, p)
		for int(id) >= len(f.verdict[i]) {
			f.verdict[i] = append(f.verdict[i], 0)
		}
		v := f.verdict[i][id]
		if v == 0 {
			v = -1
			if f.filters[i].matchValue(vs.values[id]) {
				v = 1
			}
			f.verdict[i][id] = v
		}
		if v < 0 {
			return false
		}
	}
	return true
}
