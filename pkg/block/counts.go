package block

// ProfileCounts is a set of blocks counted per profile: Counts[p] of the
// blocks' sign-ins have profile p of Profiles. Over a closed day's blocks it
// is what long ranges read instead of the sign-ins: a profile's sign-ins
// share every dimension and the outcome, so each counts as many.
type ProfileCounts struct {
	Profiles *Profiles
	Counts   []uint32
}

// Bytes is the memory of the counts.
func (c ProfileCounts) Bytes() int { return 4*len(c.Counts) + 32 }

// CountProfiles counts the sign-ins of blocks per profile, one ProfileCounts
// per profile table the blocks use, in the order first met.
func CountProfiles(blocks []*Block) []ProfileCounts {
	var out []ProfileCounts
	for _, b := range blocks {
		i := indexOfTable(out, b.Profiles)
		if i < 0 {
			out = append(out, ProfileCounts{Profiles: b.Profiles})
			i = len(out) - 1
		}
		out[i].Counts = b.countInto(out[i].Counts)
	}
	return out
}

func indexOfTable(cs []ProfileCounts, t *Profiles) int {
	for i := range cs {
		if cs[i].Profiles == t {
			return i
		}
	}
	return -1
}

// countInto adds the block's sign-ins to counts, indexed by profile id and
// grown to the table's length.
func (b *Block) countInto(counts []uint32) []uint32 {
	if n := b.Profiles.Len(); len(counts) < n {
		counts = append(counts, make([]uint32, n-len(counts))...)
	}
	if ids := b.Profile.Narrow(); ids != nil {
		return countIDs(counts, ids)
	}
	return countIDs(counts, b.Profile.Wide())
}

func countIDs[ID uint16 | uint32](counts []uint32, ids []ID) []uint32 {
	for _, p := range ids {
		counts[p]++
	}
	return counts
}
