package block

import "sort"

// Times is a block's creation times, ascending, in Unix nanoseconds. They are
// held as 32-bit ticks after the first time in the largest unit that divides
// every difference — Graph's times are whole seconds, and an hour in
// microseconds still fits 32 bits — so a sign-in's time costs 4 bytes instead
// of 8. Times that do not fit (an hour of 100 ns ticks) keep 64 bits (wide).
// Exact either way.
type Times struct {
	base  int64
	unit  int64
	ticks []uint32
	wide  []int64 // instead of ticks, when a difference does not fit
}

// NewTimes holds ascending times.
func NewTimes(times []int64) Times {
	if len(times) == 0 {
		return Times{}
	}
	base := times[0]
	var unit uint64
	for _, t := range times[1:] {
		unit = gcd(unit, uint64(t-base))
	}
	if unit == 0 {
		unit = 1
	}
	if uint64(times[len(times)-1]-base)/unit > 1<<32-1 {
		return Times{wide: append([]int64(nil), times...)}
	}
	ts := Times{base: base, unit: int64(unit), ticks: make([]uint32, len(times))}
	for i, t := range times {
		ts.ticks[i] = uint32(uint64(t-base) / unit)
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
	return t.base + int64(t.ticks[i])*t.unit
}

// Search returns the index of the first time at or after ns.
func (t *Times) Search(ns int64) int {
	return sort.Search(t.Len(), func(i int) bool { return t.At(i) >= ns })
}

// Bytes is the memory of the times.
func (t *Times) Bytes() int { return 4*len(t.ticks) + 8*len(t.wide) }

// appendTo appends the times to dst.
func (t *Times) appendTo(dst []int64) []int64 {
	for i := range t.Len() {
		dst = append(dst, t.At(i))
	}
	return dst
}
