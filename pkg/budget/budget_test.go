package budget

import (
	"context"
	"testing"
	"time"
)

func TestWithDeadlineKeepsEarlier(t *testing.T) {
	early := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	late := early.Add(time.Hour)
	for _, ctx := range []context.Context{
		WithDeadline(WithDeadline(context.Background(), early), late),
		WithDeadline(WithDeadline(context.Background(), late), early),
	} {
		if d, ok := Deadline(ctx); !ok || !d.Equal(early) {
			t.Fatalf("unexpected deadline %v, %v; want %v", d, ok, early)
		}
	}
	if _, ok := Deadline(context.Background()); ok {
		t.Fatal("a context without WithDeadline has a deadline")
	}
}
