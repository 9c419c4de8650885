package block

import "slices"

// ProfileIDs are a block's profile ids, parallel to its times: 16 bits each
// when every id of the block fits (a day table of fewer than 65,536 profiles,
// the medium tenant's busiest), else 32. Two bytes of the 32 a cached sign-in
// may cost (BENCHMARKS.md, c).
type ProfileIDs struct {
	narrow []uint16
	wide   []uint32
}

// newProfileIDs holds ids, narrow when they all fit 16 bits.
func newProfileIDs(ids []uint32) ProfileIDs {
	for _, id := range ids {
		if id > 0xffff {
			return ProfileIDs{wide: ids}
		}
	}
	narrow := make([]uint16, len(ids))
	for i, id := range ids {
		narrow[i] = uint16(id) // #nosec G115 -- every id is <= 0xffff, checked in the loop above
	}
	return ProfileIDs{narrow: narrow}
}

// Len is the number of ids.
func (p *ProfileIDs) Len() int { return len(p.narrow) + len(p.wide) }

// At returns id i.
func (p *ProfileIDs) At(i int) uint32 {
	if p.wide != nil {
		return p.wide[i]
	}
	return uint32(p.narrow[i])
}

// Narrow returns the ids when they are held in 16 bits, else nil; Wide the
// others. Loops over millions of sign-ins take the slice they get, so the
// width is decided once per block, not per sign-in.
func (p *ProfileIDs) Narrow() []uint16 { return p.narrow }

// Wide returns the ids when they are held in 32 bits, else nil.
func (p *ProfileIDs) Wide() []uint32 { return p.wide }

// Bytes is the memory of the ids.
func (p *ProfileIDs) Bytes() int { return 2*len(p.narrow) + 4*len(p.wide) }

// appendTo appends the ids to dst.
func (p *ProfileIDs) appendTo(dst []uint32) []uint32 { return p.appendRange(dst, 0, p.Len()) }

// appendRange appends ids [lo, hi) to dst.
func (p *ProfileIDs) appendRange(dst []uint32, lo, hi int) []uint32 {
	for i := lo; i < hi; i++ {
		dst = append(dst, p.At(i))
	}
	return dst
}

// withTail returns ids [0, cut) of p followed by tail: narrow ids copied as
// they are while the tail fits them too, else built anew as newProfileIDs does.
func (p *ProfileIDs) withTail(cut int, tail []uint32) ProfileIDs {
	if p.wide == nil && !slices.ContainsFunc(tail, func(id uint32) bool { return id > 0xffff }) {
		narrow := make([]uint16, cut, cut+len(tail))
		copy(narrow, p.narrow[:cut])
		for _, id := range tail {
			narrow = append(narrow, uint16(id)) // #nosec G115 -- every id is <= 0xffff, checked above
		}
		return ProfileIDs{narrow: narrow}
	}
	ids := p.appendRange(make([]uint32, 0, cut+len(tail)), 0, cut)
	return newProfileIDs(append(ids, tail...))
}
