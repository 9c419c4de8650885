package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// blockingSource holds every listing until its context ends or release is
// closed, and reports each listing's end.
type blockingSource struct {
	started chan struct{}
	ended   chan error
	release chan struct{}
	inner   fakeSource
}

func newBlockingSource() *blockingSource {
	return &blockingSource{started: make(chan struct{}, 16), ended: make(chan error, 16), release: make(chan struct{})}
}

func (b *blockingSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	b.started <- struct{}{}
	select {
	case <-ctx.Done():
		b.ended <- ctx.Err()
		return ctx.Err()
	case <-b.release:
	}
	err := b.inner.ListSignIns(ctx, t, from, to, fn)
	b.ended <- err
	return err
}

func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
	var zero T
	return zero
}

// TestCancelledQueryStopsItsFetch: the only query waiting for a fetch is
// cancelled: the source's request is cancelled promptly and nothing is cached,
// so the next query fetches again and gets the whole answer.
func TestCancelledQueryStopsItsFetch(t *testing.T) {
	src := newBlockingSource()
	s := New(src, Config{Now: func() time.Time { return day.Add(48 * time.Hour) }})
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- scanEvents(s, ctx, signin.Interactive, day, day.Add(2*time.Hour), func(*signin.Event) {})
	}()
	waitFor(t, src.started, "the fetch")
	cancel()
	if err := waitFor(t, done, "the scan"); !errors.Is(err, context.Canceled) {
		t.Fatalf("unexpected scan error %v; want context.Canceled", err)
	}
	if err := waitFor(t, src.ended, "the source to stop"); !errors.Is(err, context.Canceled) {
		t.Fatalf("the source's request was not cancelled: %v", err)
	}
	if got := s.Stats().Abandoned; got != 1 {
		t.Fatalf("unexpected abandoned fetches %d; want 1", got)
	}
	close(src.release)
	if n := count(t, s, day, day.Add(2*time.Hour)); n != 120 {
		t.Fatalf("unexpected count after a cancelled fetch: %d; want 120", n)
	}
}

// TestCancelledQueryKeepsSharedFetch: a fetch another query still waits for
// goes on when one of its queries is cancelled, and answers the other.
func TestCancelledQueryKeepsSharedFetch(t *testing.T) {
	src := newBlockingSource()
	s := New(src, Config{Now: func() time.Time { return day.Add(48 * time.Hour) }})
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		first <- scanEvents(s, ctx, signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	}()
	waitFor(t, src.started, "the fetch")
	second := make(chan int, 1)
	go func() { second <- count(t, s, day, day.Add(time.Hour)) }()
	time.Sleep(50 * time.Millisecond) // let the second query join the pending window
	cancel()
	if err := waitFor(t, first, "the cancelled scan"); !errors.Is(err, context.Canceled) {
		t.Fatalf("unexpected scan error %v; want context.Canceled", err)
	}
	select {
	case err := <-src.ended:
		t.Fatalf("the shared fetch ended when one of its queries was cancelled: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(src.release)
	if n := waitFor(t, second, "the second scan"); n != 60 {
		t.Fatalf("unexpected count %d; want 60", n)
	}
	if got := s.Stats().Abandoned; got != 0 {
		t.Fatalf("unexpected abandoned fetches %d; want 0", got)
	}
}

// TestBudgetSpentKeepsLoading: a query that answers partially when its time
// budget is spent does not cancel the fetch: the window loads for the next.
func TestBudgetSpentKeepsLoading(t *testing.T) {
	src := newBlockingSource()
	s := New(src, Config{Now: func() time.Time { return day.Add(48 * time.Hour) }, TimeBudget: 50 * time.Millisecond})
	defer s.Close()
	err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	var pe *PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("unexpected error %v; want a partial answer", err)
	}
	close(src.release)
	if err := waitFor(t, src.ended, "the fetch"); err != nil {
		t.Fatalf("the fetch did not complete after the partial answer: %v", err)
	}
	if n := count(t, s, day, day.Add(time.Hour)); n != 60 || src.inner.calls.Load() != 1 {
		t.Fatalf("unexpected count %d after %d fetches; want 60 after 1", n, src.inner.calls.Load())
	}
}
