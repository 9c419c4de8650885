package block

import (
	"fmt"
	"hash/maphash"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func profile(user string) signin.Event {
	return signin.Event{ID: "id-" + user, Created: time.Unix(1, 0), UserID: user, Latitude: math.NaN(), Longitude: math.NaN()}
}

// TestProfilesInternShares: sign-ins differing in id and time share an id; ids
// stay valid while the table grows past a chunk; NaN coordinates do not split.
func TestProfilesInternShares(t *testing.T) {
	tb := NewProfiles()
	n := chunkLen + 10
	for i := 0; i < n; i++ {
		e := profile(fmt.Sprint(i))
		if id := tb.Intern(&e); id != uint32(i) {
			t.Fatalf("unexpected id %d for new profile %d", id, i)
		}
	}
	again := profile("7")
	again.ID, again.Created = "other", time.Unix(99, 0)
	if id := tb.Intern(&again); id != 7 {
		t.Fatalf("unexpected id %d for a repeated profile; want 7", id)
	}
	if tb.Len() != n {
		t.Fatalf("unexpected len %d; want %d", tb.Len(), n)
	}
	if got := tb.At(uint32(n - 1)); got.UserID != fmt.Sprint(n-1) || got.ID != "" || !got.Created.IsZero() || tb.Outcome(uint32(n-1)) != got.Outcome() {
		t.Fatalf("unexpected profile %+v", got)
	}
}

// TestProfilesHashCollision: two profiles under one hash keep their own ids.
func TestProfilesHashCollision(t *testing.T) {
	tb := NewProfiles()
	a, b := profile("a"), profile("b")
	idA := tb.Intern(&a)
	// Pretend b hashes like a: the index points b's hash at a's id.
	tb.index[maphash.Comparable(hashSeed, keyOf(&b))] = idA
	idB := tb.Intern(&b)
	if idB == idA || tb.Intern(&b) != idB || tb.Intern(&a) != idA {
		t.Fatalf("collision mixed profiles: a=%d b=%d", idA, idB)
	}
	if tb.At(idB).UserID != "b" {
		t.Fatalf("unexpected profile %+v", tb.At(idB))
	}
}

// TestProfilesConcurrent: readers of published ids race writers (go test -race).
func TestProfilesConcurrent(t *testing.T) {
	tb := NewProfiles()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 3*chunkLen; i++ {
				e := profile(fmt.Sprint(i))
				id := tb.Intern(&e)
				if got := tb.At(id).UserID; got != e.UserID {
					t.Errorf("id %d: got %q; want %q", id, got, e.UserID)
					return
				}
			}
		}()
	}
	wg.Wait()
	if tb.Len() != 3*chunkLen {
		t.Fatalf("unexpected len %d", tb.Len())
	}
}

// TestTablesPerDay: blocks of one log type and day share a table; other days
// and log types do not; a full table is replaced for later blocks.
func TestTablesPerDay(t *testing.T) {
	ts := NewTables()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	a := ts.Of(signin.NonInteractive, day.Add(time.Hour))
	if ts.Of(signin.NonInteractive, day.Add(23*time.Hour)) != a {
		t.Fatal("windows of one day got different tables")
	}
	if ts.Of(signin.NonInteractive, day.Add(24*time.Hour)) == a || ts.Of(signin.Interactive, day) == a {
		t.Fatal("another day or log type shares the table")
	}
	for i := 0; i < dayTableProfiles; i++ {
		e := profile(fmt.Sprint(i))
		a.Intern(&e)
	}
	if ts.Of(signin.NonInteractive, day) == a {
		t.Fatal("a full table was handed out again")
	}
}

// TestColumnFollowsTable: a column covers profiles added after it was first
// derived, keeps its codes stable, and serves concurrent readers (go test -race).
func TestColumnFollowsTable(t *testing.T) {
	tb := NewProfiles()
	user := func(e *signin.Event) string { return e.UserID[:1] } // "0".."9": a small dictionary
	var wg sync.WaitGroup
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 2*chunkLen; i++ {
				e := profile(fmt.Sprint(i))
				id := tb.Intern(&e)
				c := tb.Column("first digit", user)
				if got := c.Values[c.Codes[id]]; got != e.UserID[:1] {
					t.Errorf("profile %d: column says %q; want %q", id, got, e.UserID[:1])
					return
				}
			}
		}()
	}
	wg.Wait()
	c := tb.Column("first digit", user)
	if len(c.Codes) != tb.Len() || len(c.Values) != 10 {
		t.Fatalf("unexpected column: %d codes for %d profiles, values %v", len(c.Codes), tb.Len(), c.Values)
	}
}

// TestSealedTableInternsAgain: a sealed table keeps its profiles, interns a
// known profile to its id and a new one to the next id, and frees its index.
func TestSealedTableInternsAgain(t *testing.T) {
	tb := NewProfiles()
	for i := range 3 * chunkLen {
		e := profile(fmt.Sprint(i))
		tb.Intern(&e)
	}
	before := tb.Bytes()
	tb.Seal()
	if !tb.sealed || tb.index != nil || tb.dicts[0].strIndex != nil || tb.groups[0].index != nil || tb.Bytes() >= before/2 {
		t.Fatalf("seal kept the index: %d bytes before, %d after", before, tb.Bytes())
	}
	if got := tb.At(5).UserID; got != "5" {
		t.Fatalf("sealed profile 5 is %q", got)
	}
	again, fresh := profile("7"), profile("new")
	if id := tb.Intern(&again); id != 7 {
		t.Fatalf("a known profile interned to %d after sealing; want 7", id)
	}
	if id := tb.Intern(&fresh); id != uint32(3*chunkLen) {
		t.Fatalf("a new profile interned to %d; want %d", id, 3*chunkLen)
	}
	if tb.Bytes() <= before {
		t.Fatalf("the rebuilt index is not counted: %d bytes, %d before sealing", tb.Bytes(), before)
	}
	for i := range 3 * chunkLen {
		e := profile(fmt.Sprint(i))
		if id := tb.Intern(&e); id != uint32(i) {
			t.Fatalf("profile %d interned to %d after reindexing", i, id)
		}
	}
}

// TestSealIdleWaitsForQuiet: a table is sealed at the first round in which
// nothing was interned since the previous one, full tables included.
func TestSealIdleWaitsForQuiet(t *testing.T) {
	ts := NewTables()
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	a := ts.Of(signin.Interactive, day)
	e := profile("a")
	a.Intern(&e)
	over := day.Add(48 * time.Hour)
	ts.SealIdle(over) // interned since the last round: not yet
	if a.sealed {
		t.Fatal("a table sealed in the round after an intern")
	}
	ts.SealIdle(over)
	if !a.sealed {
		t.Fatal("an idle table of a past day was not sealed")
	}
	today := ts.Of(signin.Interactive, over)
	today.Intern(&e)
	ts.SealIdle(over)
	ts.SealIdle(over)
	if today.sealed {
		t.Fatal("the table of a day not over was sealed")
	}

	full := ts.Of(signin.NonInteractive, day)
	for i := range dayTableProfiles {
		e := profile(fmt.Sprint(i))
		full.Intern(&e)
	}
	if ts.Of(signin.NonInteractive, day) == full {
		t.Fatal("a full table was handed out again")
	}
	ts.SealIdle(over)
	ts.SealIdle(over)
	if !full.sealed {
		t.Fatal("a full table of a past day was not sealed")
	}
}

// TestMatchesComparesEveryField: Matches tells a profile from an event that
// differs from it in any one profile field, as interning does, and takes an
// event differing only in id and time (or with NaN coordinates) for its own.
func TestMatchesComparesEveryField(t *testing.T) {
	tb := NewProfiles()
	base := synthEvents(t, "small", signin.Interactive, busyHour)[0]
	base.Latitude, base.ErrorCode, base.DeviceCompliant = math.NaN(), -3, signin.True
	id := tb.Intern(&base)
	same := base
	same.ID, same.Created = "another", base.Created.Add(time.Minute)
	if !tb.Matches(id, &same) {
		t.Fatal("an event differing in id and time only does not match its profile")
	}
	for g, fields := range profileGroups {
		for k, f := range fields {
			e := base
			switch {
			case f.str != nil:
				*f.str(&e) += "x"
			case f.num != nil:
				*f.num(&e) = 1.5
			case !f.set(&e, f.get(&e)+1):
				f.set(&e, f.get(&e)-1)
			}
			if tb.Matches(id, &e) {
				t.Errorf("group %d field %d: an event differing in it matches the profile", g, k)
			}
			if other := tb.Intern(&e); other == id {
				t.Errorf("group %d field %d: interned as the same profile", g, k)
			}
		}
	}
}
