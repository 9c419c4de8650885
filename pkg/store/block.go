package store

import (
	"math"
	"sort"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Block is one window's sign-ins of one log type in columnar form. Sign-ins that
// differ only in id and time — the hourly token refreshes that make up most of a
// tenant's volume — share one profile, so a block costs a time, an id and a
// profile index per sign-in plus its distinct profiles. The engine aggregates per
// profile first and then per sign-in, which is what makes a scan of millions fast.
type Block struct {
	LogType  signin.LogType
	Start    time.Time
	End      time.Time
	Times    []int64        // createdDateTime, Unix nanoseconds, ascending
	IDs      []string       // sign-in ids, parallel to Times
	Profile  []uint32       // index into Profiles, parallel to Times
	Profiles []signin.Event // distinct sign-ins with ID and Created cleared
}

// Len is the number of sign-ins in the block.
func (b *Block) Len() int { return len(b.Times) }

// Event materialises sign-in i.
func (b *Block) Event(i int) signin.Event {
	e := b.Profiles[b.Profile[i]]
	e.ID = b.IDs[i]
	e.Created = time.Unix(0, b.Times[i]).UTC()
	return e
}

// Range returns the index range [lo, hi) of the sign-ins created in [from, to).
func (b *Block) Range(from, to time.Time) (lo, hi int) {
	f, t := from.UnixNano(), to.UnixNano()
	lo = sort.Search(len(b.Times), func(i int) bool { return b.Times[i] >= f })
	hi = sort.Search(len(b.Times), func(i int) bool { return b.Times[i] >= t })
	return lo, hi
}

// profileKey identifies a profile. Coordinates go in as bits because NaN (unknown)
// never equals itself and would give every sign-in a profile of its own.
type profileKey struct {
	e        signin.Event
	lat, lon uint64
}

func keyOf(e signin.Event) profileKey {
	k := profileKey{e: e, lat: math.Float64bits(e.Latitude), lon: math.Float64bits(e.Longitude)}
	k.e.ID, k.e.Created, k.e.Latitude, k.e.Longitude = "", time.Time{}, 0, 0
	return k
}

// newBlock builds a block from a window's sign-ins in any order.
func newBlock(t signin.LogType, w window, events []signin.Event) *Block {
	sort.Slice(events, func(i, j int) bool {
		if !events[i].Created.Equal(events[j].Created) {
			return events[i].Created.Before(events[j].Created)
		}
		return events[i].ID < events[j].ID
	})
	b := &Block{
		LogType: t, Start: w.start, End: w.end(),
		Times: make([]int64, len(events)), IDs: make([]string, len(events)), Profile: make([]uint32, len(events)),
	}
	index := make(map[profileKey]uint32)
	for i, e := range events {
		b.Times[i], b.IDs[i] = e.Created.UnixNano(), e.ID
		k := keyOf(e)
		p, ok := index[k]
		if !ok {
			p = uint32(len(b.Profiles))
			index[k] = p
			prof := e
			prof.ID, prof.Created = "", time.Time{}
			b.Profiles = append(b.Profiles, prof)
		}
		b.Profile[i] = p
	}
	return b
}
