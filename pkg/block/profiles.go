package block

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
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
// A profile is held as the codec writes it (codec_fields.go): one tuple index
// per field group (who, where, device, what, how, outcome), each tuple a code
// per field into the table's dictionary of that field. The groups have
// hundreds to a few thousand tuples a day, so a profile costs 24 bytes and its
// outcome one, where a signin.Event costs 512 plus its strings: this is what
// keeps the decoded windows, the store's only copy, near 32 bytes a sign-in.
// At and Load materialise a profile; the engine reads them once per table and
// derived column (Column), not per sign-in.
//
// A profile's id never changes and its values are never written again, so
// blocks and queries read a table without locks while new profiles are
// appended. A day's table takes no new blocks past dayTableProfiles; the store
// then starts another for the same day. Tables live as long as a block refers
// to them.
type Profiles struct {
	mu sync.Mutex // serialises Intern and Seal
	// The intern indexes, here and in dicts and groups: only Intern reads
	// them, and Seal frees them all (sealed).
	index       map[uint64]uint32     // hash of a profile → its id; the key is not copied
	collide     map[profileKey]uint32 // profiles whose hash another profile has
	sealed      bool
	indexBytes  int64 // of the intern indexes, counted in size
	interns     int64 // Intern calls, and their count at the last SealIfIdle
	seenInterns int64
	dicts       []fieldDict // per dictionary-coded field, in dictFields order
	groups      [len(profileGroups)]groupDict
	rows        appendOnly[profileRow]
	outcomes    appendOnly[signin.Outcome] // dense: every aggregation reads each profile's
	scratch     signin.Event               // reindex's, under mu
	n           atomic.Uint32
	size        atomic.Int64 // Bytes
	cols        columns
}

// profileRow is a profile: its tuple in each field group.
type profileRow [len(profileGroups)]uint32

// fieldDict is the dictionary of one field: strings, or coordinates by bits.
type fieldDict struct {
	strIndex map[string]uint32
	numIndex map[uint64]uint32
	strs     appendOnly[string]
	nums     appendOnly[float64]
}

// groupDict is the tuples of one field group, each len(group) codes long.
type groupDict struct {
	index map[string]uint32 // a tuple's codes as uvarints → its index
	codes appendOnly[uint32]
	n     uint32 // tuples
}

// dayTableProfiles is where a day's table stops taking new blocks.
const dayTableProfiles = 1 << 20

var hashSeed = maphash.MakeSeed()

// NewProfiles returns an empty table.
func NewProfiles() *Profiles {
	t := &Profiles{dicts: make([]fieldDict, len(dictFields))}
	t.makeIndexes()
	return t
}

// makeIndexes makes empty intern indexes. Callers hold t.mu or own t.
func (t *Profiles) makeIndexes() {
	t.index = make(map[uint64]uint32)
	for i, f := range dictFields {
		if f.str != nil {
			t.dicts[i].strIndex = make(map[string]uint32)
		} else {
			t.dicts[i].numIndex = make(map[uint64]uint32)
		}
	}
	for g := range t.groups {
		t.groups[g].index = make(map[string]uint32)
	}
}

// Len is the number of profiles in the table; ids are [0, Len).
func (t *Profiles) Len() int { return int(t.n.Load()) }

// At returns profile id, materialised in a new Event.
func (t *Profiles) At(id uint32) *signin.Event {
	e := new(signin.Event)
	t.Load(id, e)
	return e
}

// Load materialises profile id into dst, which it overwrites whole.
func (t *Profiles) Load(id uint32, dst *signin.Event) {
	*dst = signin.Event{}
	row := t.rows.at(id)
	for g, fields := range profileGroups {
		base := row[g] * uint32(len(fields)) // #nosec G115 -- a group has a handful of fields
		for k, f := range fields {
			c := t.groups[g].codes.at(base + uint32(k)) // #nosec G115 -- k indexes a group's handful of fields
			switch {
			case f.str != nil:
				*f.str(dst) = t.dicts[f.dict].strs.at(c)
			case f.num != nil:
				*f.num(dst) = t.dicts[f.dict].nums.at(c)
			default:
				f.set(dst, uint64(c))
			}
		}
	}
}

// Matches reports whether profile id is e's profile: whether every field of
// the profile equals e's, as keyOf compares them (coordinates by their bits).
// It reads the profile in place and stops at the first field that differs,
// where Load would build a whole Event to compare: it is the hit path of
// Intern and the check of each sign-in a refresh fetched again.
func (t *Profiles) Matches(id uint32, e *signin.Event) bool {
	row := t.rows.at(id)
	for g, fields := range profileGroups {
		base := row[g] * uint32(len(fields)) // #nosec G115 -- a group has a handful of fields
		for k, f := range fields {
			c := t.groups[g].codes.at(base + uint32(k)) // #nosec G115 -- k indexes a group's handful of fields
			if !t.fieldIs(f, c, e) {
				return false
			}
		}
	}
	return true
}

// fieldIs reports whether field f coded c holds e's value.
func (t *Profiles) fieldIs(f *profileField, c uint32, e *signin.Event) bool {
	switch {
	case f.str != nil:
		return t.dicts[f.dict].strs.at(c) == *f.str(e)
	case f.num != nil:
		return math.Float64bits(t.dicts[f.dict].nums.at(c)) == math.Float64bits(*f.num(e))
	default:
		return uint64(c) == f.get(e) // code stores get's value, which fits 32 bits
	}
}

// Outcome returns profile id's outcome, as At(id).Outcome() does.
func (t *Profiles) Outcome(id uint32) signin.Outcome { return t.outcomes.at(id) }

// full reports whether a day's table should take no more blocks.
func (t *Profiles) full() bool { return t.Len() >= dayTableProfiles }

// Intern returns the id of e's profile, adding it when new.
func (t *Profiles) Intern(e *signin.Event) uint32 {
	k := keyOf(e)
	h := maphash.Comparable(hashSeed, k)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.interns++
	if t.sealed {
		t.reindex()
	}
	id, taken := t.index[h]
	if taken && t.Matches(id, e) {
		return id
	}
	if id, ok := t.collide[k]; ok {
		return id
	}
	var row profileRow
	var key []byte
	for g, fields := range profileGroups {
		key = key[:0]
		for _, f := range fields {
			key = binary.AppendUvarint(key, uint64(t.code(f, e)))
		}
		row[g] = t.tuple(g, key)
	}
	n := t.rows.add(row)
	t.outcomes.add(e.Outcome())
	t.size.Add(int64(unsafe.Sizeof(row)) + 1)
	t.indexProfile(h, k, n)
	t.n.Store(n + 1) // publishes the profile to readers of Len
	return n
}

// indexProfile adds profile id, with key k hashing to h, to the intern index.
// Callers hold t.mu.
func (t *Profiles) indexProfile(h uint64, k profileKey, id uint32) {
	if _, taken := t.index[h]; taken {
		if t.collide == nil {
			t.collide = make(map[profileKey]uint32)
		}
		t.collide[k] = id
	} else {
		t.index[h] = id
	}
	t.indexed(mapEntryBytes)
}

// indexed counts n bytes of intern indexes. Callers hold t.mu.
func (t *Profiles) indexed(n int) {
	t.indexBytes += int64(n)
	t.size.Add(int64(n))
}

// Seal frees the intern indexes, about half a day table's memory, once its
// day is over and its windows are loaded: the profiles stay readable, and a
// later Intern (a window of the day reloaded from memcached or disk) rebuilds
// them from the profiles, dictionaries and tuples, which they only index.
func (t *Profiles) Seal() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seal()
}

// SealIfIdle seals the table if nothing interned into it since the previous
// call: a day being loaded (a cold range, windows read back from disk) keeps
// its indexes until it is done, rather than rebuilding them — a second for a
// large day — after every window.
func (t *Profiles) SealIfIdle() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.interns != t.seenInterns {
		t.seenInterns = t.interns
		return
	}
	t.seal()
}

// seal is Seal; callers hold t.mu.
func (t *Profiles) seal() {
	if t.sealed {
		return
	}
	t.index, t.collide = nil, nil
	for i := range t.dicts {
		t.dicts[i].strIndex, t.dicts[i].numIndex = nil, nil
	}
	for g := range t.groups {
		t.groups[g].index = nil
	}
	t.size.Add(-t.indexBytes)
	t.indexBytes, t.sealed = 0, true
}

// reindex rebuilds the intern indexes of a sealed table. Callers hold t.mu.
func (t *Profiles) reindex() {
	t.makeIndexes()
	t.sealed = false
	for i := range t.dicts {
		d := &t.dicts[i]
		// #nosec G115 -- a dictionary holds fewer than 2^32 values (its codes are uint32)
		for c := range uint32(d.strs.n) {
			d.strIndex[d.strs.at(c)] = c
		}
		// #nosec G115 -- a dictionary holds fewer than 2^32 values (its codes are uint32)
		for c := range uint32(d.nums.n) {
			d.numIndex[math.Float64bits(d.nums.at(c))] = c
		}
		t.indexed((d.strs.n + d.nums.n) * mapEntryBytes)
	}
	var key []byte
	for g, fields := range profileGroups {
		d := &t.groups[g]
		w := uint32(len(fields)) // #nosec G115 -- a group has a handful of fields
		for j := range d.n {
			key = key[:0]
			for k := range w {
				key = binary.AppendUvarint(key, uint64(d.codes.at(j*w+k)))
			}
			d.index[string(key)] = j
			t.indexed(len(key) + mapEntryBytes)
		}
	}
	for id := range t.n.Load() {
		t.Load(id, &t.scratch)
		k := keyOf(&t.scratch)
		t.indexProfile(maphash.Comparable(hashSeed, k), k, id)
	}
}

// code returns field f's code for e, adding the value to the field's
// dictionary when new. Callers hold t.mu.
func (t *Profiles) code(f *profileField, e *signin.Event) uint32 {
	switch {
	case f.str != nil:
		d := &t.dicts[f.dict]
		s := *f.str(e)
		c, ok := d.strIndex[s]
		if !ok {
			s = strings.Clone(s) // never pin a decoder's buffer
			c = d.strs.add(s)
			d.strIndex[s] = c
			t.size.Add(int64(16 + len(s)))
			t.indexed(mapEntryBytes)
		}
		return c
	case f.num != nil:
		d := &t.dicts[f.dict]
		v := *f.num(e)
		bits := math.Float64bits(v)
		c, ok := d.numIndex[bits]
		if !ok {
			c = d.nums.add(v)
			d.numIndex[bits] = c
			t.size.Add(8)
			t.indexed(mapEntryBytes)
		}
		return c
	}
	return uint32(f.get(e)) // #nosec G115 -- small integers; an error code's zigzag fits 32 bits
}

// tuple returns the index in group g of the tuple whose codes key holds,
// adding it when new. Callers hold t.mu.
func (t *Profiles) tuple(g int, key []byte) uint32 {
	d := &t.groups[g]
	if j, ok := d.index[string(key)]; ok {
		return j
	}
	j := d.n
	for r := bytes.NewReader(key); r.Len() > 0; {
		c, _ := binary.ReadUvarint(r)
		d.codes.add(uint32(c)) // #nosec G115 -- the key is built here from uint32 codes (tupleKey), never read from outside
		t.size.Add(4)
	}
	d.index[string(key)] = j
	d.n++
	t.indexed(len(key) + mapEntryBytes)
	return j
}

// Bytes estimates the table's memory: its profiles, dictionaries and indexes
// (a map entry counted as mapEntryBytes besides its key's bytes; the unused
// rest of each dictionary's last chunk is not counted).
func (t *Profiles) Bytes() int { return int(t.size.Load()) }

// mapEntryBytes is about what a Go map spends on a small entry, slack included.
const mapEntryBytes = 32

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
// weakly: a table lives as long as a block (in memory, open, or in a query's
// hands) refers to it, so profiles of evicted windows do not outlive them. A
// day met again after its table went gets a new one, which costs sharing,
// never correctness.
type Tables struct {
	mu   sync.Mutex
	byID map[tableID]weak.Pointer[Profiles]
	full []dayTable // tables replaced because full, still to be sealed
}

type dayTable struct {
	id tableID
	w  weak.Pointer[Profiles]
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
	old := ts.byID[id].Value()
	if old != nil && !old.full() {
		return old
	}
	if old != nil {
		ts.full = append(ts.full, dayTable{id: id, w: ts.byID[id]})
	}
	ts.forgetCollected()
	p := NewProfiles()
	ts.byID[id] = weak.Make(p)
	return p
}

// SealIdle seals the tables of days that ended at or before end and that
// nothing interned into since the previous call (Profiles.SealIfIdle).
func (ts *Tables) SealIdle(end time.Time) {
	last := end.Unix()/86400 - 1 // the last day over
	var over []*Profiles
	ts.mu.Lock()
	for id, w := range ts.byID {
		if p := w.Value(); p != nil && id.day <= last {
			over = append(over, p)
		}
	}
	for _, d := range ts.full {
		if p := d.w.Value(); p != nil && d.id.day <= last {
			over = append(over, p)
		}
	}
	ts.mu.Unlock()
	// Not under ts.mu: a table being reindexed holds its lock a while, and
	// every block built meanwhile asks Of for its table.
	for _, p := range over {
		p.SealIfIdle()
	}
}

// forgetCollected drops the entries of tables the GC has freed.
func (ts *Tables) forgetCollected() {
	for id, w := range ts.byID {
		if w.Value() == nil {
			delete(ts.byID, id)
		}
	}
	ts.full = slices.DeleteFunc(ts.full, func(d dayTable) bool { return d.w.Value() == nil })
}
