package block

import (
	"hash/maphash"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Profiles is an append-only table of distinct profiles — sign-ins with ID and
// Created cleared — shared by the blocks of one log type and UTC day. Token
// refreshes repeat hourly per user, app and device: inside one hour window
// almost each is a profile of its own, over a day a tenth are (BENCHMARKS.md,
// finding 1). Sharing them divides the memory of decoded blocks and the
// engine's per-profile work, which it caches per table and id, by about that.
//
// A profile's id never changes and its Event is never written again, so blocks
// and queries read a table without locks while new profiles are appended. A
// day's table takes no new blocks past dayTableProfiles; the store then starts
// another for the same day. Tables live as long as a block refers to them.
type Profiles struct {
	mu      sync.Mutex            // serialises Intern
	index   map[uint64]uint32     // hash of a profile → its id; the key is not copied
	collide map[profileKey]uint32 // profiles whose hash another profile has
	strs    map[string]string     // one copy of each string the profiles hold
	n       atomic.Uint32
	chunks  atomic.Pointer[[]*profileChunk] // replaced, never modified, when it grows
	cols    columns
}

const (
	// chunkProfiles is the profiles of a chunk (128 KB): small, because a
	// sparse log's day table (a few hundred managed-identity profiles) has
	// one chunk.
	chunkProfiles = 1 << 8
	// dayTableProfiles is where a day's table stops taking new blocks.
	dayTableProfiles = 1 << 20
)

// profileChunk holds profiles and, densely, each one's outcome: the one field
// every aggregation reads of every profile, which would otherwise cost a cache
// miss into a 500-byte Event each.
type profileChunk struct {
	events   [chunkProfiles]signin.Event
	outcomes [chunkProfiles]signin.Outcome
}

var hashSeed = maphash.MakeSeed()

// NewProfiles returns an empty table.
func NewProfiles() *Profiles {
	t := &Profiles{index: make(map[uint64]uint32), strs: make(map[string]string)}
	t.chunks.Store(new([]*profileChunk))
	return t
}

// Len is the number of profiles in the table; ids are [0, Len).
func (t *Profiles) Len() int { return int(t.n.Load()) }

// At returns profile id. The Event is shared: callers must not modify it.
func (t *Profiles) At(id uint32) *signin.Event {
	return &(*t.chunks.Load())[id/chunkProfiles].events[id%chunkProfiles]
}

// Outcome returns profile id's outcome, as At(id).Outcome() does.
func (t *Profiles) Outcome(id uint32) signin.Outcome {
	return (*t.chunks.Load())[id/chunkProfiles].outcomes[id%chunkProfiles]
}

// full reports whether a day's table should take no more blocks.
func (t *Profiles) full() bool { return t.Len() >= dayTableProfiles }

// Intern returns the id of e's profile, adding it when new.
func (t *Profiles) Intern(e *signin.Event) uint32 {
	k := keyOf(e)
	h := maphash.Comparable(hashSeed, k)
	t.mu.Lock()
	defer t.mu.Unlock()
	id, taken := t.index[h]
	if taken && keyOf(t.At(id)) == k {
		return id
	}
	if id, ok := t.collide[k]; ok {
		return id
	}
	n := t.n.Load()
	if n%chunkProfiles == 0 {
		t.grow()
	}
	c := (*t.chunks.Load())[n/chunkProfiles]
	p := &c.events[n%chunkProfiles]
	*p = *e
	p.ID, p.Created = "", time.Time{}
	t.internStrings(p)
	c.outcomes[n%chunkProfiles] = e.Outcome()
	if taken {
		if t.collide == nil {
			t.collide = make(map[profileKey]uint32)
		}
		t.collide[k] = n
	} else {
		t.index[h] = n
	}
	t.n.Store(n + 1) // publishes the profile to readers of Len
	return n
}

// internStrings points p's strings at the table's copies: a decoded sign-in
// brings its own copy of every string, and the profiles of a day repeat the
// same apps, users and devices thousands of times.
func (t *Profiles) internStrings(p *signin.Event) {
	for _, f := range p.Strings() {
		if *f == "" {
			continue
		}
		s, ok := t.strs[*f]
		if !ok {
			s = strings.Clone(*f) // never pin a decoder's buffer
			t.strs[s] = s
		}
		*f = s
	}
}

// grow adds a chunk. Readers may hold the old directory; it stays valid.
func (t *Profiles) grow() {
	var dir []*profileChunk
	if old := t.chunks.Load(); old != nil {
		dir = append(dir, *old...)
	}
	dir = append(dir, new(profileChunk))
	t.chunks.Store(&dir)
}

// profileKey identifies a profile. Coordinates go in as bits because NaN (unknown)
// never equals itself and would give every sign-in a profile of its own.
type profileKey struct {
	e        signin.Event
	lat, lon uint64
}

func keyOf(e *signin.Event) profileKey {
	k := profileKey{e: *e, lat: math.Float64bits(e.Latitude), lon: math.Float64bits(e.Longitude)}
	k.e.ID, k.e.Created, k.e.Latitude, k.e.Longitude = "", time.Time{}, 0, 0
	return k
}

// tables hands out the profile table of each log type and day. It holds them
// weakly: a table lives as long as a block (hot, open, or in a query's hands)
// refers to it, so profiles of evicted windows do not outlive them. A day met
// again after its table went gets a new one, which costs sharing, never
// correctness.
type Tables struct {
	mu   sync.Mutex
	byID map[tableID]weak.Pointer[Profiles]
}

type tableID struct {
	t   signin.LogType
	day int64 // Unix days
}

func NewTables() *Tables { return &Tables{byID: make(map[tableID]weak.Pointer[Profiles])} }

// of returns the table for sign-ins of log type t in the window starting at start.
func (ts *Tables) Of(t signin.LogType, start time.Time) *Profiles {
	id := tableID{t: t, day: start.Unix() / 86400}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if p := ts.byID[id].Value(); p != nil && !p.full() {
		return p
	}
	ts.ForgetCollected()
	p := NewProfiles()
	ts.byID[id] = weak.Make(p)
	return p
}

// forgetCollected drops the entries of tables the GC has freed.
func (ts *Tables) ForgetCollected() {
	for id, w := range ts.byID {
		if w.Value() == nil {
			delete(ts.byID, id)
		}
	}
}
