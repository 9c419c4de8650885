package block

import (
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
