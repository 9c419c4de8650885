package query

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// valueIDs numbers the values of one derived column (a dimension, or what a
// distinct count counts) across the profile tables a query meets. Each table
// keeps the column dictionary-encoded across queries (block.Column); a query
// translates each table's codes to its own ids once per code, so grouping,
// filtering and distinct counting compare small integers, and strings are
// hashed once per distinct value and table, not once per profile.
// It belongs to one query and is not safe for concurrent use.
type valueIDs struct {
	name   string
	value  func(*signin.Event) string
	ids    map[string]uint32
	values []string // by id

	tables map[*block.Profiles]*tableCodes
	last   *block.Profiles // the table of the previous call, and its codes
	lastTC *tableCodes
}

// tableCodes is one table's column and its codes' ids (-1 until met); for a
// list-valued dimension, each code's values' ids (nil until met).
type tableCodes struct {
	col   *block.Column
	ids   []int32
	lists [][]uint32
}

// noID stands for a value without an id in elements' answer.
const noID = ^uint32(0)

func newValueIDs(name string, value func(*signin.Event) string) *valueIDs {
	return &valueIDs{name: name, value: value, ids: make(map[string]uint32), tables: make(map[*block.Profiles]*tableCodes)}
}

func dimensionIDs(d signin.Dimension) *valueIDs {
	return newValueIDs(dimensionColumn(d), d.Value)
}

// dimensionColumn names a dimension's column in the profile tables.
func dimensionColumn(d signin.Dimension) string { return "dim:" + d.String() }

// of returns the id of profile p's value in table t.
func (v *valueIDs) of(t *block.Profiles, p uint32) uint32 {
	id, _ := v.lookup(t, p, true)
	return id
}

// lookup returns the id of profile p's value in table t. A value without an id
// yet gets one when add is set, else ok is false: a query whose groups are
// full must not grow a dictionary of millions of values it will not use.
func (v *valueIDs) lookup(t *block.Profiles, p uint32, add bool) (id uint32, ok bool) {
	tc, c := v.code(t, p)
	return v.lookupIn(tc, c, add)
}

// lookupCode is lookup by the code of the value in t's column, for callers
// that keep the codes (a cached plan, plancache.go).
func (v *valueIDs) lookupCode(t *block.Profiles, c uint32, add bool) (id uint32, ok bool) {
	tc := v.table(t)
	if tc.col == nil || int(c) >= len(tc.col.Values) {
		tc.col = t.Column(v.name, v.value) // codes are never renumbered: a newer snapshot holds c
	}
	return v.lookupIn(tc, c, add)
}

// lookupIn is lookup of column code c of a table's codes.
func (v *valueIDs) lookupIn(tc *tableCodes, c uint32, add bool) (id uint32, ok bool) {
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
		tc.ids[c] = int32(id) // #nosec G115 -- ids are at most the dictionary's values, well below 2^31
	}
	return id, ok
}

// elements returns the ids of each value of a list-valued dimension
// (signin.SplitList) for profile p of table t: one id for a sign-in without
// values, the empty value's. Values without an id yet get one when add is
// set, else noID. The slice is shared: callers must not modify it.
func (v *valueIDs) elements(t *block.Profiles, p uint32, add bool) []uint32 {
	tc, c := v.code(t, p)
	if grow := len(tc.col.Values) - len(tc.lists); grow > 0 {
		tc.lists = append(tc.lists, make([][]uint32, grow)...)
	}
	if ids := tc.lists[c]; ids != nil {
		return ids
	}
	values := signin.SplitList(tc.col.Values[c])
	if len(values) == 0 {
		values = []string{""}
	}
	ids := make([]uint32, len(values))
	complete := true
	for i, s := range values {
		id, ok := v.ids[s]
		switch {
		case ok:
		case add:
			id = v.idOf(s)
		default:
			id, complete = noID, false
		}
		ids[i] = id
	}
	if complete {
		tc.lists[c] = ids
	}
	return ids
}

// code returns the table's codes and the column code of profile p.
func (v *valueIDs) code(t *block.Profiles, p uint32) (*tableCodes, uint32) {
	tc := v.table(t)
	if tc.col == nil || int(p) >= len(tc.col.Codes) {
		tc.col = t.Column(v.name, v.value)
	}
	return tc, uint32(tc.col.Codes[p])
}

// table returns t's codes, made on first use.
func (v *valueIDs) table(t *block.Profiles) *tableCodes {
	if t == v.last {
		return v.lastTC
	}
	tc := v.tables[t]
	if tc == nil {
		tc = &tableCodes{}
		v.tables[t] = tc
	}
	v.last, v.lastTC = t, tc
	return tc
}

func (v *valueIDs) idOf(s string) uint32 {
	if id, ok := v.ids[s]; ok {
		return id
	}
	id := uint32(len(v.values)) // #nosec G115 -- the dictionary holds at most the cache's values, well below 2^32
	v.ids[s] = id
	v.values = append(v.values, s)
	return id
}
