package query

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// valueIDs numbers the values of one derived column (a dimension, or what a
// distinct count counts) across the profile tables a query meets. Each table
// keeps the column dictionary-encoded across queries (store.Column); a query
// translates each table's codes to its own ids once per code, so grouping,
// filtering and distinct counting compare small integers, and strings are
// hashed once per distinct value and table, not once per profile.
// It belongs to one query and is not safe for concurrent use.
type valueIDs struct {
	name   string
	value  func(*signin.Event) string
	ids    map[string]uint32
	values []string // by id

	tables map[*store.Profiles]*tableCodes
	last   *store.Profiles // the table of the previous call, and its codes
	lastTC *tableCodes
}

// tableCodes is one table's column and its codes' ids (-1 until met).
type tableCodes struct {
	col *store.Column
	ids []int32
}

func newValueIDs(name string, value func(*signin.Event) string) *valueIDs {
	return &valueIDs{name: name, value: value, ids: make(map[string]uint32), tables: make(map[*store.Profiles]*tableCodes)}
}

func dimensionIDs(d signin.Dimension) *valueIDs {
	return newValueIDs(dimensionColumn(d), d.Value)
}

// dimensionColumn names a dimension's column in the profile tables.
func dimensionColumn(d signin.Dimension) string { return "dim:" + d.String() }

// of returns the id of profile p's value in table t.
func (v *valueIDs) of(t *store.Profiles, p uint32) uint32 {
	id, _ := v.lookup(t, p, true)
	return id
}

// lookup returns the id of profile p's value in table t. A value without an id
// yet gets one when add is set, else ok is false: a query whose groups are
// full must not grow a dictionary of millions of values it will not use.
func (v *valueIDs) lookup(t *store.Profiles, p uint32, add bool) (id uint32, ok bool) {
	tc := v.lastTC
	if t != v.last {
		tc = v.tables[t]
		if tc == nil {
			tc = &tableCodes{}
			v.tables[t] = tc
		}
		v.last, v.lastTC = t, tc
	}
	if tc.col == nil || int(p) >= len(tc.col.Codes) {
		tc.col = t.Column(v.name, v.value)
	}
	c := tc.col.Codes[p]
	if int(c) >= len(tc.ids) {
		grown := make([]int32, len(tc.col.Values))
		n := copy(grown, tc.ids)
		for i := n; i < len(grown); i++ {
			grown[i] = -1
		}
		tc.ids = grown
	}
	if id := tc.ids[c]; id >= 0 {
		return uint32(id), true
	}
	s := tc.col.Values[c]
	if !add {
		id, ok = v.ids[s]
	} else {
		id, ok = v.idOf(s), true
	}
	if ok {
		tc.ids[c] = int32(id)
	}
	return id, ok
}

func (v *valueIDs) idOf(s string) uint32 {
	if id, ok := v.ids[s]; ok {
		return id
	}
	id := uint32(len(v.values))
	v.ids[s] = id
	v.values = append(v.values, s)
	return id
}
