package block

import (
	"math"
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
