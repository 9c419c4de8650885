package block

import (
	"slices"
	"sort"
)

// Times is a block's creation times, ascending, in Unix nanoseconds, held in
// 4 bytes each instead of 8: as ticks after the first time, in the largest
// unit that divides every difference, of which each keeps the low 32 bits.
// Graph's times are whole seconds or 100 ns ticks; an hour of 100 ns ticks
// needs 36 bits, and since the times ascend, the high bits only ever step up:
// steps records the index where each step happens, at most nine in an hour.
// Times that would need more steps than maxSteps keep 64 bits (wide). Exact
// either way.
type Times struct {
	base  int64
	unit  int64
	ticks []uint32
	steps []int32 // index of the first tick of each next 2³² ticks
	wide  []int64 // instead of ticks
}

// maxSteps bounds the high-bit steps of one block: a window of an hour at
// 100 ns has 8, a day's 202.
const maxSteps = 256

// newTimes holds ascending times.
func newTimes(times []int64) Times {
	if len(times) == 0 {
		return Times{}
	}
	base := times[0]
	var unit uint64
	for _, t := range times[1:] {
		unit = gcd(unit, uint64(t-base)) // #nosec G115 -- times are sorted (checked below before use), so t-base >= 0; unsorted ones take the wide form
	}
	if unit == 0 {
		unit = 1
	}
	// #nosec G115 -- the last time is the largest of sorted times, so the difference is >= 0
	if !slices.IsSorted(times) || uint64(times[len(times)-1]-base)/unit>>32 > maxSteps {
		// Out of order, the ticks would wrap; Encode refuses such a block.
		return Times{wide: append([]int64(nil), times...)}
	}
	ts := Times{base: base, unit: int64(unit), ticks: make([]uint32, len(times))} // #nosec G115 -- unit divides a difference of two times in a window: far below 2^63
	for i, t := range times {
		v := uint64(t-base) / unit // #nosec G115 -- times are sorted here (checked above), so t-base >= 0
		for uint64(len(ts.steps)) < v>>32 {
			ts.steps = append(ts.steps, int32(i)) // #nosec G115 -- i indexes a window's sign-ins, far fewer than 2^31
		}
		ts.ticks[i] = uint32(v) // #nosec G115 -- the low 32 bits: steps hold the high part
	}
	return ts
}

// Len is the number of times.
func (t *Times) Len() int {
	if t.wide != nil {
		return len(t.wide)
	}
	return len(t.ticks)
}

// At returns time i in Unix nanoseconds.
func (t *Times) At(i int) int64 {
	if t.wide != nil {
		return t.wide[i]
	}
	v := int64(t.ticks[i])
	if len(t.steps) > 0 {
		// The steps at or before i: a handful in an hour, hundreds in a day.
		k, _ := slices.BinarySearch(t.steps, int32(i)+1) // #nosec G115 -- i < the block's length, under 2^31 (ticks are indexed by int32 steps)
		v += int64(k) << 32
	}
	return t.base + v*t.unit
}

// Search returns the index of the first time at or after ns.
func (t *Times) Search(ns int64) int { return t.SearchRange(0, t.Len(), ns) }

// SearchRange returns the index of the first time in [lo, hi) at or after ns,
// or hi. The ends are looked at first: most searches are of a window wholly
// inside a query's range or of a bucket that ends with its block, and those
// need no binary search.
func (t *Times) SearchRange(lo, hi int, ns int64) int {
	switch {
	case lo >= hi || t.At(lo) >= ns:
		return lo
	case t.At(hi-1) < ns:
		return hi
	}
	// The answer is in (lo, hi-1]: time hi-1 is at or after ns.
	return lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return t.At(lo+1+i) >= ns })
}

// Bytes is the memory of the times.
func (t *Times) Bytes() int { return 4*len(t.ticks) + 4*len(t.steps) + 8*len(t.wide) }

// appendTo appends the times to dst.
func (t *Times) appendTo(dst []int64) []int64 { return t.appendRange(dst, 0, t.Len()) }

// appendRange appends times [lo, hi) to dst, walking the steps along (At
// searches them for every time).
func (t *Times) appendRange(dst []int64, lo, hi int) []int64 {
	if t.wide != nil {
		return append(dst, t.wide[lo:hi]...)
	}
	k := 0 // the steps at or before i
	for i := lo; i < hi; i++ {
		for k < len(t.steps) && int(t.steps[k]) <= i {
			k++
		}
		dst = append(dst, t.base+(int64(t.ticks[i])+int64(k)<<32)*t.unit)
	}
	return dst
}

// withTail returns times [0, cut) of t followed by tail, which ascends from
// time cut-1 on. When the tail keeps t's base and unit — a refresh adds a
// minute's sign-ins to an hour held — t's ticks are copied as they are and
// only the tail's are worked out, instead of every time read out, divided
// again and checked for order; otherwise the times are built anew.
func (t *Times) withTail(cut int, tail []int64) Times {
	if ts, ok := t.extended(cut, tail); ok {
		return ts
	}
	return newTimes(append(t.appendRange(make([]int64, 0, cut+len(tail)), 0, cut), tail...))
}

// extended is withTail in t's base and unit; false when the tail does not
// fit them (a time off the unit, out of order, or past maxSteps).
func (t *Times) extended(cut int, tail []int64) (Times, bool) {
	if t.wide != nil || cut == 0 {
		return Times{}, false
	}
	ts := Times{base: t.base, unit: t.unit, ticks: make([]uint32, cut, cut+len(tail))}
	copy(ts.ticks, t.ticks[:cut])
	k, _ := slices.BinarySearch(t.steps, int32(cut)) // #nosec G115 -- cut <= the block's length, under 2^31
	ts.steps = slices.Clone(t.steps[:k])             // t's own may be read beyond k: never appended to
	prev := t.At(cut - 1)
	for i, x := range tail {
		if x < prev || (x-t.base)%t.unit != 0 {
			return Times{}, false
		}
		v := uint64(x-t.base) / uint64(t.unit) // #nosec G115 -- x >= prev >= base, and unit > 0
		if v>>32 > maxSteps {
			return Times{}, false
		}
		for uint64(len(ts.steps)) < v>>32 {
			ts.steps = append(ts.steps, int32(cut+i)) // #nosec G115 -- an index of the block, under 2^31
		}
		ts.ticks = append(ts.ticks, uint32(v)) // #nosec G115 -- the low 32 bits: steps hold the high part
		prev = x
	}
	return ts, true
}
