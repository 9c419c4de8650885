package block

import (
	"encoding/binary"
	"math"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// appendProfiles writes the profiles: field dictionaries, then per group a
// dictionary of tuples and one tuple index per profile (see profileGroups).
func appendProfiles(dst []byte, ps []signin.Event) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(ps)))
	// symbols[f][p] is profile p's index in dictionary field f's dictionary.
	symbols := make([][]uint64, len(dictFields))
	for _, f := range dictFields {
		syms := make([]uint64, len(ps))
		if f.str != nil {
			values := numberValues(syms, func(p int) string { return *f.str(&ps[p]) })
			dst = binary.AppendUvarint(dst, uint64(len(values)))
			for _, s := range values {
				dst = appendString(dst, s)
			}
		} else {
			values := numberValues(syms, func(p int) uint64 { return math.Float64bits(*f.num(&ps[p])) })
			dst = binary.AppendUvarint(dst, uint64(len(values)))
			for _, v := range values {
				dst = binary.LittleEndian.AppendUint64(dst, v)
			}
		}
		symbols[f.dict] = syms
	}
	idx := make([]uint64, len(ps))
	for _, g := range profileGroups {
		dst = appendGroup(dst, g, ps, symbols, idx)
	}
	return dst
}

// numberValues numbers the distinct values of the len(syms) profiles in
// order of first use: it returns them in that order and sets syms[p] to
// profile p's number.
func numberValues[V comparable](syms []uint64, value func(p int) V) []V {
	numbers := make(map[V]uint64)
	var values []V
	for p := range syms {
		v := value(p)
		j, ok := numbers[v]
		if !ok {
			j = uint64(len(values))
			numbers[v] = j
			values = append(values, v)
		}
		syms[p] = j
	}
	return values
}

// appendGroup writes one group's tuple dictionary and each profile's tuple index.
func appendGroup(dst []byte, g []*profileField, ps []signin.Event, symbols [][]uint64, idx []uint64) []byte {
	tuples := make(map[string]uint64)
	var table []byte
	var key []byte
	for p := range ps {
		key = key[:0]
		for _, f := range g {
			if f.get != nil {
				key = binary.AppendUvarint(key, f.get(&ps[p]))
			} else {
				key = binary.AppendUvarint(key, symbols[f.dict][p])
			}
		}
		j, ok := tuples[string(key)]
		if !ok {
			j = uint64(len(tuples))
			tuples[string(key)] = j
			table = append(table, key...)
		}
		idx[p] = j
	}
	dst = binary.AppendUvarint(dst, uint64(len(tuples)))
	dst = append(dst, table...)
	for _, j := range idx {
		dst = binary.AppendUvarint(dst, j)
	}
	return dst
}

// appendProfileIndexes writes each sign-in's profile index: 0 for the next
// profile not used before, else index+1.
func appendProfileIndexes(dst []byte, profile []uint32) []byte {
	next := uint32(0)
	for _, p := range profile {
		if p == next {
			dst = append(dst, 0)
			next++
			continue
		}
		dst = binary.AppendUvarint(dst, uint64(p)+1)
	}
	return dst
}

// profiles reads what appendProfiles wrote.
func (r *reader) profiles() []signin.Event {
	// A profile costs at least one byte per group index.
	p := r.count(len(profileGroups))
	strs := make([][]string, len(dictFields))
	nums := make([][]float64, len(dictFields))
	for _, f := range dictFields {
		if f.str != nil {
			dict := make([]string, r.count(1))
			for i := range dict {
				dict[i] = r.string()
			}
			strs[f.dict] = dict
			continue
		}
		dict := make([]float64, r.count(8))
		for i := range dict {
			if b := r.bytes(8); b != nil {
				dict[i] = math.Float64frombits(binary.LittleEndian.Uint64(b))
			}
		}
		nums[f.dict] = dict
	}
	ps := make([]signin.Event, p)
	for _, g := range profileGroups {
		r.group(g, ps, strs, nums)
	}
	if r.err != nil {
		return nil
	}
	return ps
}

// group reads one group's tuples into templates, then copies each profile's tuple.
func (r *reader) group(g []*profileField, ps []signin.Event, strs [][]string, nums [][]float64) {
	tmpl := make([]signin.Event, r.count(len(g)))
	for t := range tmpl {
		for _, f := range g {
			v := r.uvarint()
			switch {
			case r.err != nil:
				return
			case f.str != nil:
				if r.inRange(v, len(strs[f.dict])) {
					*f.str(&tmpl[t]) = strs[f.dict][v]
				}
			case f.num != nil:
				if r.inRange(v, len(nums[f.dict])) {
					*f.num(&tmpl[t]) = nums[f.dict][v]
				}
			case !f.set(&tmpl[t], v):
				r.fail("field value %d out of range", v)
			}
		}
	}
	for p := range ps {
		j := r.index(len(tmpl))
		if r.err != nil {
			return
		}
		for _, f := range g {
			f.copy(&ps[p], &tmpl[j])
		}
	}
}

// inRange reports whether v indexes a dictionary of size entries and fails the read if not.
func (r *reader) inRange(v uint64, size int) bool {
	// #nosec G115 -- size is a dictionary length, non-negative
	if v < uint64(size) {
		return true
	}
	r.fail("index %d out of %d", v, size)
	return false
}

// profileIndexes reads what appendProfileIndexes wrote.
func (r *reader) profileIndexes(n, profiles int) []uint32 {
	out := make([]uint32, 0, n)
	next := uint64(0)
	for i := 0; i < n && r.err == nil; i++ {
		v := r.uvarint()
		if v == 0 {
			v = next + 1
			next++
		}
		// #nosec G115 -- profiles is a slice length, non-negative
		if v > uint64(profiles) {
			r.fail("profile index %d out of %d", v-1, profiles)
			break
		}
		out = append(out, uint32(v-1)) // #nosec G115 -- 1 <= v <= profiles, checked above
	}
	return out
}
