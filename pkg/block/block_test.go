package block

import (
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestBlockSharesProfiles(t *testing.T) {
	start, end := day, day.Add(time.Hour)
	refresh := func(id string, minute int) signin.Event {
		return signin.Event{ID: id, Created: day.Add(time.Duration(minute) * time.Minute), UserID: "u1", AppDisplayName: "Teams",
			Latitude: math.NaN(), Longitude: math.NaN()}
	}
	other := refresh("c", 30)
	other.ErrorCode = 50126
	b := New(signin.NonInteractive, start, end, []signin.Event{refresh("b", 45), other, refresh("a", 10)}, NewProfiles())
	if got := distinctProfiles(b); got != 2 {
		t.Fatalf("unexpected profiles; got %d; want 2 (NaN coordinates must not split profiles)", got)
	}
	wantIDs := []string{"a", "c", "b"}
	for i, id := range wantIDs {
		e := b.Event(i)
		if e.ID != id {
			t.Fatalf("unexpected order at %d; got %s; want %s", i, e.ID, id)
		}
		if e.UserID != "u1" || e.LogType != signin.Interactive && e.LogType != signin.NonInteractive {
			t.Fatalf("unexpected event %+v", e)
		}
	}
	if e := b.Event(1); e.ErrorCode != 50126 || !e.Created.Equal(day.Add(30*time.Minute)) {
		t.Fatalf("unexpected event %+v", e)
	}
	lo, hi := b.Range(day.Add(10*time.Minute), day.Add(45*time.Minute))
	if lo != 0 || hi != 2 {
		t.Fatalf("unexpected range; got [%d,%d); want [0,2)", lo, hi)
	}
}

// TestTimesExact: times keep every nanosecond whether they fit 32-bit ticks
// (a shared unit) or not (wide), and search finds the first at or after.
func TestTimesExact(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).UnixNano()
	cases := map[string][]int64{
		"whole seconds":     {base, base + 1e9, base + 1e9, base + 3599e9},
		"microseconds":      {base, base + 1000, base + 3599_999_999_000},
		"100 ns, stepping":  {base, base + 100, base + 429_496_729_500, base + 429_496_729_600, base + 3599_999_999_900},
		"nanoseconds, wide": {base, base + 1, base + 3599_999_999_999},
		"years, wide":       {base, base + 1, base + 3*365*24*3600e9},
		"one":               {base + 7},
	}
	for name, want := range cases {
		ts := newTimes(want)
		if got := ts.appendTo(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %v; want %v", name, got, want)
		}
		if wide := ts.wide != nil; wide != strings.HasSuffix(name, "wide") {
			t.Errorf("%s: wide = %v", name, wide)
		}
		if i := ts.Search(want[len(want)-1]); want[i] != want[len(want)-1] || i > 0 && want[i-1] == want[i] {
			t.Errorf("%s: search found %d", name, i)
		}
	}
}

// TestTimesSearchRangeAndAppend: a search in any part of the times finds
// what a linear one does, at its ends and past them too, and appendRange
// reads what At does, across the steps of 100 ns ticks.
func TestTimesSearchRangeAndAppend(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).UnixNano()
	rng := rand.New(rand.NewPCG(1, 2))
	times := []int64{base}
	for len(times) < 300 {
		times = append(times, times[len(times)-1]+100*rng.Int64N(200_000_000)) // ties and steps of 2^32 ticks
	}
	ts := newTimes(times)
	if len(ts.steps) == 0 || ts.wide != nil {
		t.Fatalf("the times should step: %d steps, wide %v", len(ts.steps), ts.wide != nil)
	}
	for range 5000 {
		lo := rng.IntN(len(times) + 1)
		hi := lo + rng.IntN(len(times)+1-lo)
		ns := times[rng.IntN(len(times))] + rng.Int64N(3) - 1
		want := lo
		for want < hi && times[want] < ns {
			want++
		}
		if got := ts.SearchRange(lo, hi, ns); got != want {
			t.Fatalf("SearchRange(%d, %d, %d) = %d; want %d", lo, hi, ns-base, got, want)
		}
		if got := ts.appendRange(nil, lo, hi); !slices.Equal(got, times[lo:hi]) {
			t.Fatalf("appendRange(%d, %d) read other times", lo, hi)
		}
	}
}

// TestRangeAtTheWindowsEdges: bounds at or past the window take every sign-in
// of its side; bounds inside it take those created in range.
func TestRangeAtTheWindowsEdges(t *testing.T) {
	start, end := day, day.Add(time.Hour)
	at := func(id string, minute int) signin.Event {
		return signin.Event{ID: id, Created: day.Add(time.Duration(minute) * time.Minute)}
	}
	b := New(signin.Interactive, start, end, []signin.Event{at("a", 0), at("b", 30), at("c", 59)}, NewProfiles())
	for _, c := range []struct {
		from, to time.Duration
		lo, hi   int
	}{
		{-time.Hour, 2 * time.Hour, 0, 3},
		{0, time.Hour, 0, 3},
		{time.Nanosecond, time.Hour, 1, 3},
		{0, 59 * time.Minute, 0, 2},
		{30 * time.Minute, 30*time.Minute + 1, 1, 2},
		{-time.Hour, 0, 0, 0},
		{time.Hour, 2 * time.Hour, 3, 3},
	} {
		if lo, hi := b.Range(day.Add(c.from), day.Add(c.to)); lo != c.lo || hi != c.hi {
			t.Errorf("Range(%v, %v) = [%d, %d); want [%d, %d)", c.from, c.to, lo, hi, c.lo, c.hi)
		}
	}
}

// TestWithTailReadsAsRebuilt: the times and profile ids of a refreshed block,
// its held part copied as it is and a tail added, read as those built anew
// from every value — whether the tail keeps the held unit or not, crosses a
// step of the ticks or needs wide profile ids.
func TestWithTailReadsAsRebuilt(t *testing.T) {
	base := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).UnixNano()
	// The held time at cut starts the ticks' second 2³², the tail's first
	// does not: the step at cut is not the new block's.
	wrap := int64(1) << 32 * 100
	held := newTimes([]int64{base, base + 100, base + wrap - 200, base + wrap})
	if got, want := held.withTail(3, []int64{base + wrap - 100}), []int64{base, base + 100, base + wrap - 200, base + wrap - 100}; !slices.Equal(got.appendTo(nil), want) {
		t.Fatalf("times read %v; want %v", got.appendTo(nil), want)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 400 {
		unit := []int64{100, 1e9}[round%2]
		held := []int64{base}
		for len(held) < 1+rng.IntN(200) {
			held = append(held, held[len(held)-1]+unit*rng.Int64N(1+int64(2e10)/unit))
		}
		cut := rng.IntN(len(held) + 1)
		var tail []int64
		prev := base
		if cut > 0 {
			prev = held[cut-1] + 1
		}
		for range rng.IntN(50) {
			step := unit * rng.Int64N(1+int64(2e10)/unit)
			if rng.IntN(20) == 0 {
				step++ // off the unit: built anew
			}
			prev += step
			tail = append(tail, prev)
		}
		want := append(slices.Clone(held[:cut]), tail...)
		ht := newTimes(held)
		got := ht.withTail(cut, tail)
		if !slices.Equal(got.appendTo(nil), want) {
			t.Fatalf("round %d: times read %v; want %v", round, got.appendTo(nil), want)
		}
		for _, ns := range want {
			if i := got.Search(ns); want[i] != ns || i > 0 && want[i-1] == ns {
				t.Fatalf("round %d: search for %d found %d", round, ns-base, i)
			}
		}

		ids := func(n int, max uint32) []uint32 {
			out := make([]uint32, n)
			for i := range out {
				out[i] = rng.Uint32N(max)
			}
			return out
		}
		heldIDs, tailIDs := ids(len(held), []uint32{0x10000, 0x20000}[rng.IntN(2)]), ids(len(tail), []uint32{0x10000, 0x20000}[rng.IntN(2)])
		hp := newProfileIDs(slices.Clone(heldIDs))
		if got, want := hp.withTail(cut, tailIDs), newProfileIDs(append(slices.Clone(heldIDs[:cut]), tailIDs...)); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: profile ids %v; want %v", round, got, want)
		}
	}
}
