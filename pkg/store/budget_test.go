package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/budget"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestDeadlineSharedByScans: the scans of one request share its deadline, so
// scanning two log types one after another waits once, not once per log type.
func TestDeadlineSharedByScans(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	s := New(src, Config{Now: closedNow, TimeBudget: 10 * time.Second})
	defer s.Close()
	defer close(src.open) // before Close: the fetches finish
	start := time.Now()
	ctx := budget.WithDeadline(context.Background(), start.Add(300*time.Millisecond))
	for _, lt := range []signin.LogType{signin.Interactive, signin.NonInteractive} {
		err := s.Scan(ctx, lt, day, day.Add(2*time.Hour), func(*block.Block, int, int) {})
		var pe *PartialError
		if !errors.As(err, &pe) || pe.Loaded != 0 || pe.Total != 2 {
			t.Fatalf("%s: unexpected error %v; want a PartialError of 0 of 2 windows", lt, err)
		}
	}
	if elapsed := time.Since(start); elapsed >= 600*time.Millisecond {
		t.Fatalf("two scans under one 300ms deadline took %s; want one wait, under 600ms", elapsed)
	}
}

// TestDeadlinePassedAnswersHeld: a scan past its request's deadline does not
// wait: it answers from the windows held and counts them as loaded.
func TestDeadlinePassedAnswersHeld(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	close(src.open)
	s := New(src, Config{Now: closedNow, TimeBudget: 10 * time.Second})
	defer s.Close()
	count(t, s, day.Add(2*time.Hour), day.Add(3*time.Hour)) // one window held
	src.open = make(chan struct{})                          // the source stalls from now on
	defer close(src.open)
	ctx := budget.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	start := time.Now()
	n := 0
	err := scanEvents(s, ctx, signin.Interactive, day, day.Add(3*time.Hour), func(*signin.Event) { n++ })
	if elapsed := time.Since(start); elapsed > 200*time.Millisecond {
		t.Fatalf("a scan past its deadline waited %s; want no wait", elapsed)
	}
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Loaded != 1 || pe.Total != 3 {
		t.Fatalf("unexpected error %v; want a PartialError of 1 of 3 windows", err)
	}
	if n != 60 {
		t.Fatalf("unexpected sign-ins from the held window; got %d; want 60", n)
	}
}

// TestDeadlinePassedKeepsLoading: a scan past its deadline still starts the
// fetches of the windows it lacks, and keeps its interest in them, so the
// next refresh gets further.
func TestDeadlinePassedKeepsLoading(t *testing.T) {
	src := newBlockingSource()
	s := New(src, Config{Now: closedNow, TimeBudget: 10 * time.Second})
	defer s.Close()
	ctx := budget.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	err := scanEvents(s, ctx, signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	var pe *PartialError
	if !errors.As(err, &pe) || pe.Loaded != 0 || pe.Total != 1 {
		t.Fatalf("unexpected error %v; want a PartialError of 0 of 1 windows", err)
	}
	waitFor(t, src.started, "the fetch")
	close(src.release)
	if err := waitFor(t, src.ended, "the fetch"); err != nil {
		t.Fatalf("the fetch did not complete after the partial answer: %v", err)
	}
	if n := count(t, s, day, day.Add(time.Hour)); n != 60 || src.inner.calls.Load() != 1 {
		t.Fatalf("unexpected count %d after %d fetches; want 60 after 1", n, src.inner.calls.Load())
	}
}

// TestDeadlinePassedCancelled: a cancelled query fails with its context's
// error even when its budget is spent, rather than passing as partial.
func TestDeadlinePassedCancelled(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	s := New(src, Config{Now: closedNow})
	defer s.Close()
	ctx, cancel := context.WithCancel(budget.WithDeadline(context.Background(), time.Now().Add(-time.Second)))
	cancel()
	err := scanEvents(s, ctx, signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("unexpected error %v; want context.Canceled", err)
	}
	close(src.open)
	if got := count(t, s, day, day.Add(time.Hour)); got != 60 {
		t.Fatalf("unexpected count after a cancelled scan; got %d; want 60", got)
	}
}

func TestWindowsCountsCoveringWindows(t *testing.T) {
	s := New(&fakeSource{}, Config{Window: time.Hour})
	defer s.Close()
	f := func(from, to time.Time, want int) {
		t.Helper()
		got := s.Windows(from, to)
		if got != want || got != len(windowsCovering(from, to, time.Hour)) {
			t.Fatalf("unexpected windows of [%s, %s): got %d; want %d, as windowsCovering", from, to, got, want)
		}
	}
	f(day, day, 0)
	f(day.Add(time.Hour), day, 0)
	f(day, day.Add(time.Nanosecond), 1)
	f(day, day.Add(time.Hour), 1)
	f(day, day.Add(time.Hour+time.Nanosecond), 2)
	f(day.Add(30*time.Minute), day.Add(90*time.Minute), 2)
	f(day.Add(59*time.Minute), day.Add(24*time.Hour), 24)
	f(day.Add(-time.Minute), day.Add(30*24*time.Hour), 30*24+1)
	local := time.FixedZone("UTC+5:30", 5*3600+1800)
	f(day.In(local).Add(15*time.Minute), day.Add(3*time.Hour).In(local), 3)
}
