package block

import (
	"sort"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Block is one window's sign-ins of one log type in columnar form. Sign-ins that
// differ only in id and time — the hourly token refreshes that make up most of a
// tenant's volume — share one profile in a table shared by the blocks of a day,
// so a block costs a time, an id and a profile id per sign-in. The engine works
// per profile first, once per query and table, then per sign-in, which is what
// makes a scan of millions fast.
//
// Every sign-in of a block is created in [Start, End): New and MergeTail are
// given only those (the store assigns fetched sign-ins to the window they were
// created in), and decoding checks it.
type Block struct {
	LogType  signin.LogType
	Start    time.Time
	End      time.Time
	Times    Times      // createdDateTime, Unix nanoseconds, ascending
	IDs      IDs        // sign-in ids, parallel to Times
	Profile  ProfileIDs // profile id in Profiles, parallel to Times
	Profiles *Profiles  // shared with other blocks: never modified through a block
}

// Len is the number of sign-ins in the block.
func (b *Block) Len() int { return b.Times.Len() }

// Event materialises sign-in i.
func (b *Block) Event(i int) signin.Event {
	e := *b.Profiles.At(b.Profile.At(i))
	e.ID = b.IDs.At(i)
	e.Created = time.Unix(0, b.Times.At(i)).UTC()
	return e
}

// Range returns the index range [lo, hi) of the sign-ins created in [from, to).
// A bound outside the window needs no search: the block's sign-ins are created
// in [Start, End). A scan of a week reads 672 windows, nearly all whole, and
// this leaves their times unread (and out of the CPU's caches).
func (b *Block) Range(from, to time.Time) (lo, hi int) {
	lo, hi = 0, b.Len()
	if from.After(b.Start) {
		lo = b.Times.Search(from.UnixNano())
	}
	if to.Before(b.End) {
		hi = b.Times.Search(to.UnixNano())
	}
	return lo, hi
}

// New builds the block of the window [start, end) from its sign-ins, created
// in that window, in any order, interning their profiles in table.
func New(t signin.LogType, start, end time.Time, events []signin.Event, table *Profiles) *Block {
	sortEvents(events)
	b := &Block{
		LogType: t, Start: start, End: end, Profiles: table,
	}
	profile := make([]uint32, len(events))
	times := make([]int64, len(events))
	ids := newIDBuilder(len(events))
	for i := range events {
		e := &events[i]
		times[i] = e.Created.UnixNano()
		ids.add(e.ID)
		profile[i] = table.Intern(e)
	}
	b.IDs = ids.done()
	b.Times = newTimes(times)
	b.Profile = newProfileIDs(profile)
	return b
}

// sortEvents orders sign-ins as blocks hold them: by time, then id.
func sortEvents(events []signin.Event) {
	sort.Slice(events, func(i, j int) bool {
		if !events[i].Created.Equal(events[j].Created) {
			return events[i].Created.Before(events[j].Created)
		}
		return events[i].ID < events[j].ID
	})
}
