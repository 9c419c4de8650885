package query

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// listGroupOf returns the group, or the set of groups, of profile p of table t
// when a groupBy dimension is list-valued (authMethod, riskEventType): a
// sign-in counts once in the group of each combination of its values, so a
// sign-in with two methods is in two groups. Combinations never seen once the
// groups are full go to the overflow group. A profile in several groups gets
// a group set, shared by every profile with the same one.
func (a *aggregation) listGroupOf(t *block.Profiles, p uint32) int32 {
	add := !a.full()
	per := make([][]uint32, len(a.dims))
	for i, d := range a.dims {
		if a.q.GroupBy[i].IsList() {
			per[i] = d.elements(t, p, add)
			continue
		}
		id, ok := d.lookup(t, p, add)
		if !ok {
			id = noID
		}
		per[i] = []uint32{id}
	}
	var gids []int32
	for combo := range combinations(per) {
		gid := a.comboGroup(combo)
		if gid == filteredOut {
			return filteredOut // refused by the memory guard: the query fails
		}
		if !slices.Contains(gids, gid) {
			gids = append(gids, gid)
		}
	}
	if len(gids) == 1 {
		return gids[0]
	}
	return a.groupSet(gids)
}

// comboGroup returns the group of one combination of value ids, made on
// first use; the overflow group for a combination with a value without id.
func (a *aggregation) comboGroup(ids []uint32) int32 {
	a.keyBuf = a.keyBuf[:0]
	for _, id := range ids {
		if id == noID {
			return a.overflowGroup()
		}
		a.keyBuf = binary.LittleEndian.AppendUint32(a.keyBuf, id)
	}
	if gid, ok := a.byKey[string(a.keyBuf)]; ok {
		return gid
	}
	gid := a.newGroup(func() []string {
		labels := make([]string, len(ids))
		for i, id := range ids {
			labels[i] = labelOf(a.dims[i].values[id])
		}
		return labels
	})
	if gid >= 0 && gid != a.overflow {
		a.byKey[string(a.keyBuf)] = gid
	}
	return gid
}

// groupSet returns the slot value of a set of groups.
func (a *aggregation) groupSet(gids []int32) int32 {
	slices.Sort(gids)
	key := make([]byte, 0, 4*len(gids))
	for _, g := range gids {
		key = binary.LittleEndian.AppendUint32(key, uint32(g)) // #nosec G115 -- group ids are >= 0 and <= maxGroups
	}
	if a.multiOf == nil {
		a.multiOf = make(map[string]int32)
	}
	if i, ok := a.multiOf[string(key)]; ok {
		return firstMulti - i
	}
	i := int32(len(a.multi)) // #nosec G115 -- multi-valued groups <= maxGroups (at most 2*10^6)
	a.multi = append(a.multi, gids)
	a.multiOf[string(key)] = i
	return firstMulti - i
}

// combinations yields each combination of one id per dimension. The slice
// yielded is reused.
func combinations(per [][]uint32) func(yield func([]uint32) bool) {
	return func(yield func([]uint32) bool) {
		combo := make([]uint32, len(per))
		var walk func(i int) bool
		walk = func(i int) bool {
			if i == len(per) {
				return yield(combo)
			}
			for _, id := range per[i] {
				combo[i] = id
				if !walk(i + 1) {
					return false
				}
			}
			return true
		}
		walk(0)
	}
}

// listNotice says that sign-ins with several values of a list-valued groupBy
// dimension count in each of their groups, so the groups add up to more than
// the sign-ins; nothing when no sign-in was in two groups.
func (a *aggregation) listNotice() []string {
	if len(a.multi) == 0 {
		return nil
	}
	var names []string
	for _, d := range a.q.GroupBy {
		if d.IsList() {
			names = append(names, d.String())
		}
	}
	return []string{fmt.Sprintf("a sign-in with several %s values counts once in each of their groups: the groups add up to more than the sign-ins", strings.Join(names, " or "))}
}
