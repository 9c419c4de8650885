package block

import (
	"fmt"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestMergeTailDedupesTies(t *testing.T) {
	at := func(id string, min int) signin.Event {
		return signin.Event{ID: id, Created: day.Add(time.Duration(min) * time.Minute), LogType: signin.Interactive}
	}
	held := New(signin.Interactive, day, day.Add(time.Hour), []signin.Event{at("a", 1), at("b", 5), at("c", 5)}, NewProfiles())
	// The tail from 00:05 repeats b and c and brings d, tied at 00:05, and e.
	got := MergeTail(held, []signin.Event{at("e", 9), at("d", 5), at("c", 5), at("b", 5)}, day.Add(5*time.Minute))
	want := []string{"a", "b", "c", "d", "e"}
	if got.IDs.Len() != len(want) {
		t.Fatalf("unexpected ids %v; want %v", got.IDs, want)
	}
	for i := range want {
		if got.IDs.At(i) != want[i] {
			t.Fatalf("unexpected ids %v; want %v", got.IDs, want)
		}
	}
}

// TestMergeTailTakesTheFetchedVersion: a re-read sign-in that changed since
// it was held (a risk state remediated, a status settled) is merged as
// fetched; one unchanged keeps its profile without being interned again; one
// held and not re-read stays.
func TestMergeTailTakesTheFetchedVersion(t *testing.T) {
	at := func(id string, min int, risk string) signin.Event {
		return signin.Event{ID: id, Created: day.Add(time.Duration(min) * time.Minute), LogType: signin.Interactive,
			AppDisplayName: "app", RiskState: risk}
	}
	held := New(signin.Interactive, day, day.Add(time.Hour),
		[]signin.Event{at("a", 1, "atRisk"), at("b", 5, "atRisk"), at("c", 6, "atRisk"), at("d", 7, "none")}, NewProfiles())
	profiles, interns := held.Profiles.Len(), held.Profiles.interns
	got := MergeTail(held, []signin.Event{at("e", 9, "none"), at("c", 6, "remediated"), at("b", 5, "atRisk")}, day.Add(5*time.Minute))
	want := map[string]string{"a": "atRisk", "b": "atRisk", "c": "remediated", "d": "none", "e": "none"}
	if got.Len() != len(want) {
		t.Fatalf("unexpected sign-ins: %d; want %d", got.Len(), len(want))
	}
	for i := range got.Len() {
		e := got.Event(i)
		if e.RiskState != want[e.ID] {
			t.Fatalf("%s: unexpected risk state %q; want %q", e.ID, e.RiskState, want[e.ID])
		}
	}
	if n := got.Profiles.Len(); n != profiles+1 { // "remediated" is new; b, d and e reuse profiles
		t.Fatalf("unexpected profiles: %d; want %d", n, profiles+1)
	}
	if n := got.Profiles.interns - interns; n != 2 { // e and c; b, fetched again as held, keeps its profile
		t.Fatalf("unexpected interns: %d; want 2", n)
	}
}

func TestReviseReplacesByIDAndAddsTheMissing(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return start.Add(time.Duration(m) * time.Minute) }
	ev := func(id string, m int, state string) signin.Event {
		return signin.Event{ID: id, Created: at(m), LogType: signin.Interactive, AppDisplayName: "app", RiskState: state}
	}
	held := New(signin.Interactive, start, start.Add(time.Hour),
		[]signin.Event{ev("a", 1, "none"), ev("b", 2, "atRisk"), ev("c", 2, "none"), ev("d", 3, "atRisk")}, NewProfiles())
	if same, changed := Revise(held, []signin.Event{ev("b", 2, "atRisk"), ev("d", 3, "atRisk")}); changed || same != held {
		t.Fatal("Revise copied a block whose sign-ins did not change")
	}
	got, changed := Revise(held, []signin.Event{ev("b", 2, "remediated"), ev("e", 2, "atRisk")})
	if !changed {
		t.Fatal("Revise saw no change")
	}
	var rows []string
	for i := range got.Len() {
		e := got.Event(i)
		rows = append(rows, fmt.Sprintf("%s@%d:%s", e.ID, e.Created.Sub(start)/time.Minute, e.RiskState))
	}
	want := "[a@1:none b@2:remediated c@2:none e@2:atRisk d@3:atRisk]"
	if fmt.Sprint(rows) != want {
		t.Fatalf("revised block %v; want %s", rows, want)
	}
	if held.Len() != 4 || held.Event(1).RiskState != "atRisk" {
		t.Fatal("Revise changed the held block, which queries share")
	}
}
