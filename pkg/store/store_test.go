package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fakeSource serves one sign-in per minute for every log type and counts calls.
// With now set, only sign-ins created before now exist yet; late holds sign-ins
// that arrive only once now passes their visible time.
type fakeSource struct {
	calls atomic.Int64
	fail  atomic.Bool
	mu    sync.Mutex
	asked [][2]time.Time
	now   func() time.Time
	late  []lateEvent
}

type lateEvent struct {
	e       signin.Event
	visible time.Time
}

func (f *fakeSource) ListSignIns(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	f.calls.Add(1)
	f.mu.Lock()
	f.asked = append(f.asked, [2]time.Time{from, to})
	f.mu.Unlock()
	if f.fail.Load() {
		return errors.New("graph is down")
	}
	var page []signin.Event
	end := to
	if f.now != nil && f.now().Before(end) {
		end = f.now()
	}
	for ts := end.Truncate(time.Minute); !ts.Before(from); ts = ts.Add(-time.Minute) {
		if ts.Before(end) {
			page = append(page, signin.Event{ID: fmt.Sprintf("%s-%d", t, ts.Unix()), Created: ts, LogType: t, AppDisplayName: "app"})
		}
	}
	f.mu.Lock()
	for _, l := range f.late {
		if f.now != nil && !f.now().Before(l.visible) && !l.e.Created.Before(from) && l.e.Created.Before(to) {
			page = append(page, l.e)
		}
	}
	f.mu.Unlock()
	return fn(page)
}

var day = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func count(t *testing.T, s *Store, from, to time.Time) int {
	t.Helper()
	n := 0
	if err := scanEvents(s, context.Background(), signin.Interactive, from, to, func(*signin.Event) { n++ }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestScanCountsAndCaches(t *testing.T) {
	src := &fakeSource{}
	s := New(src, Config{Now: func() time.Time { return day.Add(48 * time.Hour) }})
	from, to := day.Add(90*time.Minute), day.Add(5*time.Hour+15*time.Minute)
	if got, want := count(t, s, from, to), 225; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("unexpected source calls for one run of windows; got %d; want 1", got)
	}
	if got, want := count(t, s, from, to), 225; got != want {
		t.Fatalf("unexpected cached count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("closed windows were refetched; calls %d; want 1", got)
	}
	// A wider range fetches only the windows not held: one run before, one after.
	if got, want := count(t, s, day, day.Add(8*time.Hour)), 480; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 3 {
		t.Fatalf("unexpected source calls; got %d; want 3", got)
	}
}

func TestFailedFetchIsNotCached(t *testing.T) {
	src := &fakeSource{}
	s := New(src, Config{Now: func() time.Time { return day.Add(48 * time.Hour) }})
	src.fail.Store(true)
	err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	if err == nil {
		t.Fatal("expected an error from a failing source")
	}
	src.fail.Store(false)
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count after recovery; got %d; want %d", got, want)
	}
}

func TestConcurrentScansShareFetches(t *testing.T) {
	src := &fakeSource{}
	s := New(src, Config{Now: func() time.Time { return day.Add(48 * time.Hour) }})
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			if err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(24*time.Hour), func(*signin.Event) { n++ }); err != nil || n != 1440 {
				t.Errorf("unexpected scan result %d, %v; want 1440", n, err)
			}
		}()
	}
	wg.Wait()
	// Every window is fetched once; runs may split where scans interleave.
	src.mu.Lock()
	defer src.mu.Unlock()
	covered := time.Duration(0)
	for _, a := range src.asked {
		covered += a[1].Sub(a[0])
	}
	if covered != 24*time.Hour {
		t.Fatalf("windows fetched more than once: %v of source time for a 24h range", covered)
	}
}

// TestMemoryEviction: over L1Bytes, the least recently used window leaves
// memory and comes back from the source; the stats count what is held.
func TestMemoryEviction(t *testing.T) {
	now := func() time.Time { return day.Add(48 * time.Hour) }
	probe := New(&fakeSource{}, Config{Now: now})
	count(t, probe, day, day.Add(3*time.Hour))
	three := probe.Stats().BytesCached
	probe.Close()

	src := &fakeSource{}
	s := New(src, Config{L1Bytes: int(three) - 1, Now: now})
	defer s.Close()
	count(t, s, day, day.Add(3*time.Hour)) // three windows: the first goes
	if st := s.Stats(); st.WindowsCached != 2 || st.EventsCached != 120 || st.BytesCached >= three {
		t.Fatalf("unexpected stats after eviction %+v; want 2 windows, 120 sign-ins, under %d bytes", st, three)
	}
	if got, want := count(t, s, day.Add(time.Hour), day.Add(3*time.Hour)), 120; got != want || src.calls.Load() != 1 {
		t.Fatalf("held windows: %d sign-ins with %d source calls; want %d with 1", got, src.calls.Load(), want)
	}
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want || src.calls.Load() != 2 {
		t.Fatalf("evicted window: %d sign-ins with %d source calls; want %d with 2", got, src.calls.Load(), want)
	}
	if st := s.Stats(); st.L1Hits != 2 || st.L1Misses != 4 {
		t.Fatalf("unexpected hits and misses %+v; want 2 and 4", st)
	}
}

func TestBadRange(t *testing.T) {
	s := New(&fakeSource{}, Config{})
	err := scanEvents(s, context.Background(), signin.Interactive, day, day, func(*signin.Event) {})
	if !errors.Is(err, ErrBadRange) {
		t.Fatalf("unexpected error %v; want ErrBadRange", err)
	}
}

// scanEvents calls fn for every sign-in of log type t created in [from, to),
// oldest first, materialising each.
func scanEvents(s *Store, ctx context.Context, t signin.LogType, from, to time.Time, fn func(e *signin.Event)) error {
	return s.Scan(ctx, t, from, to, func(b *block.Block, lo, hi int) {
		for i := lo; i < hi; i++ {
			e := b.Event(i)
			fn(&e)
		}
	})
}
