package query

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// profileFilter evaluates a query's filters once per profile of each profile
// table the scan meets, and each regular expression once per distinct value:
// a dashboard's `app =~ $app` meets a few hundred apps in a million profiles.
// It belongs to one query and is not safe for concurrent use.
type profileFilter struct {
	filters []Filter
	memo    []map[string]bool // per filter, for regular expressions; nil for the others
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
		var memo map[string]bool
		if flt.re != nil {
			memo = make(map[string]bool)
		}
		f.memo = append(f.memo, memo)
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
			pt.pass[p] = f.match(b.Profiles.At(p))
		}
	}
	return pt.pass
}

func (f *profileFilter) match(e *signin.Event) bool {
	for i := range f.filters {
		flt := &f.filters[i]
		v := flt.Dim.Value(e)
		memo := f.memo[i]
		if memo == nil {
			if !flt.matchValue(v) {
				return false
			}
			continue
		}
		ok, seen := memo[v]
		if !seen {
			ok = flt.matchValue(v)
			memo[v] = ok
		}
		if !ok {
			return false
		}
	}
	return true
}
