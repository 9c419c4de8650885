package block

import "sync/atomic"

// appendOnly is a slice that readers index without locks while one writer at a
// time (holding its table's lock) appends. Values live in fixed chunks that are
// never moved or rewritten; growing replaces only the chunk directory, so a
// reader holding an old directory still reads valid chunks. Readers must only
// read indexes published to them through an atomic (Profiles.n).
//
// Written by hand: a slice grown with append would move its backing array
// under concurrent readers, and sync.Map or a lock per read would cost the
// column builds, which read every profile of a day.
type appendOnly[T any] struct {
	dir atomic.Pointer[[]*[chunkLen]T]
	n   int // guarded by the writer's lock
}

// chunkLen is the values of a chunk: small, because a day table has a
// dictionary per profile field and a sparse log's (a few hundred
// managed-identity profiles) needs one chunk in each.
const (
	chunkBits = 6
	chunkLen  = 1 << chunkBits
)

func (a *appendOnly[T]) at(i uint32) T {
	return (*a.dir.Load())[i>>chunkBits][i&(chunkLen-1)]
}

// add appends v and returns its index. Callers hold the writer's lock.
func (a *appendOnly[T]) add(v T) uint32 {
	i := a.n
	if i%chunkLen == 0 {
		var dir []*[chunkLen]T
		if old := a.dir.Load(); old != nil {
			dir = *old
		}
		// append may write past the length readers see, in spare capacity
		// they never read: the directory grows in amortised O(1).
		dir = append(dir, new([chunkLen]T))
		a.dir.Store(&dir)
	}
	(*a.dir.Load())[i>>chunkBits][i&(chunkLen-1)] = v
	a.n++
	return uint32(i) // #nosec G115 -- i < n, the count of values held, which the caller keeps below 2^32 (profile codes are uint32)
}
