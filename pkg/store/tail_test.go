package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fakeClock is a settable clock for the freshness logic.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func TestDashboardRefreshCostsOneRequestPerMinute(t *testing.T) {
	clock := &fakeClock{t: day.Add(10*time.Hour + 6*time.Minute)}
	src := &fakeSource{now: clock.Now}
	s := New(src, Config{Now: clock.Now})
	defer s.Close()
	// "Last 24 h", refreshed every 30 s for 10 minutes. Between refreshes the
	// open window is served as last fetched: the sign-in of the minute just
	// begun is missing from every other answer.
	prev := int64(0)
	for i := 0; i < 20; i++ {
		now := clock.Now()
		want := 1440 - i%2
		if got := count(t, s, now.Add(-24*time.Hour), now); got != want {
			t.Fatalf("query %d: unexpected count; got %d; want %d", i, got, want)
		}
		calls := src.calls.Load()
		if i > 0 && calls-prev > 1 {
			t.Fatalf("query %d: unexpected source calls for a refresh; got %d; want at most 1", i, calls-prev)
		}
		if i > 0 && i%2 == 1 && calls-prev != 0 {
			t.Fatalf("query %d: refetched within MinRefresh", i)
		}
		if i > 0 && i%2 == 0 {
			// A refresh asks for the tail only, from tailOverlap (5m) before
			// the newest sign-in held, not before the window's start; at 10:15
			// the 09:00 window closes and is read whole with it.
			want := later(day.Add(10*time.Hour), now.Add(-7*time.Minute))
			if now.Equal(day.Add(10*time.Hour + 15*time.Minute)) {
				want = day.Add(9 * time.Hour)
			}
			src.mu.Lock()
			last := src.asked[len(src.asked)-1]
			src.mu.Unlock()
			if calls-prev != 1 || !last[0].Equal(want) {
				t.Fatalf("query %d: unexpected refresh: %d calls, last from %s; want 1 from %s", i, calls-prev, last[0], want)
			}
		}
		prev = calls
		clock.Advance(30 * time.Second)
	}
}

// TestBusyRefreshRereadsHalfAPage: on a log busy enough that tailOverlap
// holds more than half a page, a refresh starts at the newest half page held
// (here 2 sign-ins of a 4-sign-in page), across the hour's boundary; an
// ended window behind that start is left for its close.
func TestBusyRefreshRereadsHalfAPage(t *testing.T) {
	clock := &fakeClock{t: day.Add(10*time.Hour + time.Minute)}
	src := &fakeSource{now: clock.Now}
	s := New(src, Config{Now: clock.Now, PageSize: 4})
	defer s.Close()
	at := func(h, m int) time.Time { return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
	const from = 8 * time.Hour // the range: 08:00 to now
	count(t, s, day.Add(from), clock.Now())
	for _, step := range []struct {
		from time.Time // where the refresh asks from
		why  string
	}{
		{at(9, 59), "10:00 holds one sign-in, 09:00 gives the other of the half page"},
		{at(10, 0), "10:00 holds the half page: 09:00 is not re-read"},
		{at(10, 1), "the newest two of 10:00, not 5 minutes"},
	} {
		clock.Advance(time.Minute)
		now := clock.Now()
		calls := src.calls.Load()
		if got, want := count(t, s, day.Add(from), now), int(now.Sub(day.Add(from))/time.Minute); got != want {
			t.Fatalf("at %s: unexpected count; got %d; want %d", now.Format("15:04"), got, want)
		}
		src.mu.Lock()
		last := src.asked[len(src.asked)-1]
		src.mu.Unlock()
		if n := src.calls.Load() - calls; n != 1 || !last[0].Equal(step.from) {
			t.Fatalf("at %s: unexpected refresh: %d calls, the last from %s; want 1 from %s (%s)",
				now.Format("15:04"), n, last[0].Format("15:04"), step.from.Format("15:04"), step.why)
		}
	}
}

// TestRefreshCatchesUpAWindowFetchedBeforeItsEnd: an hour last fetched
// before its end is refreshed from its own newest sign-in, however far the
// log's newer windows have moved the tail: a panel over 09:00–09:50, then
// one over 10:00–10:06, then one over both hours sees every sign-in.
func TestRefreshCatchesUpAWindowFetchedBeforeItsEnd(t *testing.T) {
	clock := &fakeClock{t: day.Add(9*time.Hour + 50*time.Minute + 30*time.Second)}
	s := New(&fakeSource{now: clock.Now}, Config{Now: clock.Now, PageSize: 4})
	defer s.Close()
	minutes := func(from, to time.Time) int { return int(to.Sub(from.Add(-time.Minute+1)) / time.Minute) }
	for _, r := range []struct{ from, to time.Duration }{
		{9 * time.Hour, 9*time.Hour + 50*time.Minute + 30*time.Second},
		{10 * time.Hour, 10*time.Hour + 6*time.Minute + 30*time.Second},
		{9 * time.Hour, 10*time.Hour + 7*time.Minute + 30*time.Second},
	} {
		clock.Advance(day.Add(r.to).Sub(clock.Now()))
		from, to := day.Add(r.from), day.Add(r.to)
		if got, want := count(t, s, from, to), minutes(from, to); got != want {
			t.Fatalf("%s to %s: unexpected count; got %d; want %d", from.Format("15:04"), to.Format("15:04:05"), got, want)
		}
	}
}

func TestLateSignInsConvergeWhenTheWindowCloses(t *testing.T) {
	clock := &fakeClock{t: day.Add(10*time.Hour + 30*time.Minute)}
	src := &fakeSource{now: clock.Now}
	s := New(src, Config{Now: clock.Now})
	defer s.Close()
	from, to := day.Add(10*time.Hour), day.Add(11*time.Hour)
	if got, want := count(t, s, from, to), 30; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	// A sign-in created at 10:05:30 arrives at 10:40, after the tail passed it.
	src.mu.Lock()
	src.late = append(src.late, lateEvent{
		e:       signin.Event{ID: "late", Created: day.Add(10*time.Hour + 5*time.Minute + 30*time.Second), LogType: signin.Interactive},
		visible: day.Add(10*time.Hour + 40*time.Minute),
	})
	src.mu.Unlock()
	clock.Advance(15 * time.Minute) // 10:45
	if got, want := count(t, s, from, to), 45; got != want {
		t.Fatalf("unexpected count from the tail; got %d; want %d (late arrivals wait for the close)", got, want)
	}
	clock.Advance(30 * time.Minute) // 11:15: the window closes and is read whole
	if got, want := count(t, s, from, to), 61; got != want {
		t.Fatalf("unexpected count after the close; got %d; want %d", got, want)
	}
	calls := src.calls.Load()
	if got, want := count(t, s, from, to), 61; got != want || src.calls.Load() != calls {
		t.Fatalf("a closed window was refetched or changed; count %d, calls %d→%d", got, calls, src.calls.Load())
	}
}

func TestScanEventsOnClosedStore(t *testing.T) {
	s := New(&fakeSource{}, Config{})
	s.Close()
	err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	if err != ErrClosed {
		t.Fatalf("unexpected error %v; want ErrClosed", err)
	}
	s.Close() // a second Close is harmless
}
