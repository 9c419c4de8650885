package query

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// profileFilter evaluates a query's filters once per profile of each profile
// table the scan meets, and each filter once per distinct value of its
// dimension in a table (the table's column codes): a dashboard's
// `app =~ $app` meets a few hundred apps in a million profiles. Verdicts are
// kept per table code, so a filter on a dimension with millions of values
// (ipAddress) costs no query-wide dictionary. It belongs to one query and is
// not safe for concurrent use.
type profileFilter struct {
	filters []Filter
	tables  map[*block.Profiles]*passTable
}

// passTable is a table's verdicts so far: per profile id, and per filter and
// column code (0 not yet, 1 pass, -1 fail).
type passTable struct {
	pass, known []bool
	cols        []*block.Column
	verdict     [][]int8
}

func newProfileFilter(filters []Filter) *profileFilter {
	f := &profileFilter{tables: make(map[*block.Profiles]*passTable)}
	for _, flt := range filters {
		if !flt.matchesEverything() { // Grafana's All value: no filter, and no work
			f.filters = append(f.filters, flt)
		}
	}
	return f
}

// of returns the verdicts of the profiles of b's table, settled for those of
// the sign-ins [lo, hi); index it by b.Profile.At(i).
func (f *profileFilter) of(b *block.Block, lo, hi int) []bool {
	pt := f.table(b.Profiles)
	if n := b.Profiles.Len(); len(pt.pass) < n {
		pt.pass = append(pt.pass, make([]bool, n-len(pt.pass))...)
		pt.known = append(pt.known, make([]bool, n-len(pt.known))...)
	}
	for i := lo; i < hi; i++ {
		if p := b.Profile.At(i); !pt.known[p] {
			pt.known[p] = true
			pt.pass[p] = f.match(b.Profiles, pt, p)
		}
	}
	return pt.pass
}

// passes reports whether profile p of table t passes, for callers that keep
// the verdict themselves.
func (f *profileFilter) passes(t *block.Profiles, p uint32) bool {
	if len(f.filters) == 0 {
		return true
	}
	return f.match(t, f.table(t), p)
}

func (f *profileFilter) table(t *block.Profiles) *passTable {
	pt := f.tables[t]
	if pt == nil {
		pt = &passTable{cols: make([]*block.Column, len(f.filters)), verdict: make([][]int8, len(f.filters))}
		f.tables[t] = pt
	}
	return pt
}

func (f *profileFilter) match(t *block.Profiles, pt *passTable, p uint32) bool {
	for i := range f.filters {
		flt := &f.filters[i]
		col := pt.cols[i]
		if col == nil || int(p) >= len(col.Codes) {
			col = t.Column(dimensionColumn(flt.Dim), flt.Dim.Value)
			pt.cols[i] = col
		}
		c := col.Codes[p]
		if grow := len(col.Values) - len(pt.verdict[i]); grow > 0 {
			pt.verdict[i] = append(pt.verdict[i], make([]int8, grow)...)
		}
		v := pt.verdict[i][c]
		if v == 0 {
			v = -1
			if flt.matches(col.Values[c]) {
				v = 1
			}
			pt.verdict[i][c] = v
		}
		if v < 0 {
			return false
		}
	}
	return true
}
