package store

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// gateSource is a fakeSource whose calls block until open is closed.
type gateSource struct {
	fakeSource
	open chan struct{}
}

func (g *gateSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.fakeSource.ListSignIns(ctx, t, from, to, fn)
}

func closedNow() time.Time { return day.Add(48 * time.Hour) }

// TestCancelledScanThenScan: a scan cancelled before its fetch asks the source
// leaves nothing behind; the next scan loads the window with one request,
// whether the cancelled fetch stopped before asking or was answered first.
func TestCancelledScanThenScan(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	s := New(src, Config{Now: closedNow})
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := scanEvents(s, ctx, signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("unexpected error %v; want context.Canceled", err)
	}
	close(src.open)
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("unexpected source calls; got %d; want 1 (a cancelled fetch is stopped or its answer used, never both)", got)
	}
}

// pagingFailure delivers the first page of a listing, then fails.
type pagingFailure struct {
	fakeSource
	failing atomic.Bool
}

func (p *pagingFailure) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if !p.failing.Load() {
		return p.fakeSource.ListSignIns(ctx, t, from, to, fn)
	}
	p.calls.Add(1)
	if err := fn([]signin.Event{{ID: "x", Created: from, LogType: t}}); err != nil {
		return err
	}
	return errors.New("invalid skip token")
}

func TestWindowFetchedInPartIsNotCached(t *testing.T) {
	src := &pagingFailure{}
	src.failing.Store(true)
	s := New(src, Config{Now: closedNow})
	defer s.Close()
	if err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {}); err == nil {
		t.Fatal("expected the paging failure")
	}
	src.failing.Store(false)
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if st := s.Stats(); st.WindowsCached != 1 || st.EventsCached != 60 || st.SourceRequests != 2 {
		t.Fatalf("unexpected stats %+v", st)
	}
}

func TestTimeBudgetGivesPartialResult(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	close(src.open)
	s := New(src, Config{Now: closedNow, TimeBudget: time.Hour})
	defer s.Close()
	count(t, s, day.Add(2*time.Hour), day.Add(3*time.Hour)) // one window held
	src.open = make(chan struct{})
	s.cfg.TimeBudget = time.Millisecond // only Scan reads it
	n := 0
	err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(3*time.Hour), func(*signin.Event) { n++ })
	var partial *PartialError
	if !errors.As(err, &partial) || partial.Loaded != 1 || partial.Total != 3 {
		t.Fatalf("unexpected error %v; want a PartialError of 1 of 3 windows", err)
	}
	if n != 60 {
		t.Fatalf("unexpected sign-ins from the loaded window; got %d; want 60", n)
	}
	// The background loader finishes once the source answers.
	close(src.open)
	s.cfg.TimeBudget = time.Hour // only Scan reads it
	if got, want := count(t, s, day, day.Add(3*time.Hour)), 180; got != want {
		t.Fatalf("unexpected count after loading; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("unexpected source calls; got %d; want 2", got)
	}
}
