package query

import (
	"math/rand/v2"
	"testing"
)

// TestDistinctSetMatchesMap: adding and merging give the members a map would,
// across the switch from map to bitset.
func TestDistinctSetMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, spread := range []uint32{50, 1000, 1 << 20} {
		var a, b distinctSet
		want := make(map[uint32]struct{})
		for i := 0; i < 3000; i++ {
			v := r.Uint32N(spread)
			want[v] = struct{}{}
			if i%2 == 0 {
				a.add(v)
			} else {
				b.add(v)
			}
		}
		a.merge(&b)
		if a.len() != len(want) {
			t.Fatalf("spread %d: %d members; want %d (dense %v)", spread, a.len(), len(want), a.bits != nil)
		}
		a.merge(&b) // merging again adds nothing
		if a.len() != len(want) {
			t.Fatalf("spread %d: merging twice counted twice: %d", spread, a.len())
		}
	}
}
