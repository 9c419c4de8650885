package block

import (
	"sort"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// MergeTail merges a tail fetch into an open window's block. The fetch covered
// [lb, end) of the window, asked with "ge" a time at or before the newest held
// sign-in because Graph timestamps can tie and sign-ins arrive out of order:
// the result is the held sign-ins before lb, the fetched ones, and held ones at
// or after lb the fetch did not repeat, deduped by id. A fetched sign-in is
// taken in its fetched version; one fetched again as it is held keeps its
// profile without being interned (Profiles.Matches), so a refresh's work
// beyond copying the held columns is what it fetched, and most of that is a
// compare. Only the sign-ins from lb on are sorted. Late sign-ins older than
// lb are not seen here; the whole re-read when the window closes picks them up.
func MergeTail(held *Block, fetched []signin.Event, lb time.Time) *Block {
	cut, _ := held.Range(lb, held.End)
	again := make(map[string]int, held.Len()-cut) // held sign-ins from lb on, by id, until fetched again
	for i := cut; i < held.Len(); i++ {
		again[held.IDs.At(i)] = i
	}
	tail := make([]tailRow, 0, held.Len()-cut+len(fetched))
	for i := range fetched {
		e := &fetched[i]
		tail = append(tail, tailRow{e.Created.UnixNano(), e.ID, profileOfFetched(held, again, e)})
	}
	for id, i := range again { // the held ones not fetched again; sorted below
		tail = append(tail, tailRow{held.Times.At(i), id, held.Profile.At(i)})
	}
	sort.Slice(tail, func(i, j int) bool {
		if tail[i].time != tail[j].time {
			return tail[i].time < tail[j].time
		}
		return tail[i].id < tail[j].id
	})
	times, profiles := make([]int64, len(tail)), make([]uint32, len(tail))
	idb := newIDBuilder(cut + len(tail))
	idb.addRange(&held.IDs, 0, cut)
	for i, r := range tail {
		times[i], profiles[i] = r.time, r.profile
		idb.add(r.id)
	}
	return &Block{LogType: held.LogType, Start: held.Start, End: held.End, Profiles: held.Profiles,
		Times: held.Times.withTail(cut, times), IDs: idb.done(), Profile: held.Profile.withTail(cut, profiles)}
}

// profileOfFetched returns the profile of fetched sign-in e: the held one's
// when e is held (in again) as it is, else e's interned. A held sign-in is
// taken out of again once fetched, so that it is not kept beside e.
func profileOfFetched(held *Block, again map[string]int, e *signin.Event) uint32 {
	if i, ok := again[e.ID]; ok {
		delete(again, e.ID)
		if p := held.Profile.At(i); held.Profiles.Matches(p, e) {
			return p
		}
	}
	return held.Profiles.Intern(e)
}

type tailRow struct {
	time    int64
	id      string
	profile uint32
}

// Revise returns held with revised's sign-ins in their new version: one held
// under the same id takes its new profile, one not held is added, in order.
// It returns held itself and false when every revised sign-in is held as it
// is, so a recheck that found nothing new costs no copy. Sign-ins outside the
// block's window are the caller's to drop.
func Revise(held *Block, revised []signin.Event) (*Block, bool) {
	for i := range revised {
		if !held.holds(&revised[i]) {
			return MergeTail(held, revised, held.Start), true
		}
	}
	return held, false
}

// holds reports whether the block has sign-in e as it is. It compares
// profiles without interning e: a table whose day is over has freed its
// intern index (Profiles.SealIfIdle), and interning would build it again
// for sign-ins that mostly did not change.
func (b *Block) holds(e *signin.Event) bool {
	t := e.Created.UnixNano()
	lo, hi := b.Times.Search(t), b.Times.Search(t+1)
	for i := lo; i < hi; i++ {
		if b.IDs.At(i) == e.ID {
			return b.Profiles.Matches(b.Profile.At(i), e)
		}
	}
	return false
}
