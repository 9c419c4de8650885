package query

import "math/bits"

// distinctSet is a set of value ids. It starts as a map, which suits the sparse
// cells of a time series, and turns into a bitset once that is smaller — a
// table's group meeting thousands of users — where adding is a bit operation
// instead of a hash insert.
type distinctSet struct {
	small map[uint32]struct{}
	bits  []uint64 // non-nil once dense
	n     int      // members, when dense
}

// denseAfter is the size from which a set considers a bitset.
const denseAfter = 64

func (d *distinctSet) add(v uint32) {
	if d.bits != nil {
		d.setBit(v)
		return
	}
	if d.small == nil {
		d.small = make(map[uint32]struct{})
	}
	d.small[v] = struct{}{}
	if len(d.small) >= denseAfter && int(v/64) < len(d.small) {
		d.densify()
	}
}

func (d *distinctSet) setBit(v uint32) {
	w := int(v / 64)
	if w >= len(d.bits) {
		d.bits = append(d.bits, make([]uint64, w+1-len(d.bits))...)
	}
	if m := uint64(1) << (v % 64); d.bits[w]&m == 0 {
		d.bits[w] |= m
		d.n++
	}
}

// densify moves the members into a bitset. A map's 8+ bytes a member cost
// more than a bitset's words as long as the largest id is below 64 × members.
func (d *distinctSet) densify() {
	d.bits = make([]uint64, 0, len(d.small))
	for v := range d.small {
		d.setBit(v)
	}
	d.small = nil
}

func (d *distinctSet) len() int {
	if d.bits != nil {
		return d.n
	}
	return len(d.small)
}

func (d *distinctSet) merge(o *distinctSet) {
	if o.bits != nil {
		for w, word := range o.bits {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				d.add(uint32(w*64 + b)) // #nosec G115 -- a bit of a set of uint32 ids
				word &= word - 1
			}
		}
		return
	}
	for v := range o.small {
		d.add(v)
	}
}
