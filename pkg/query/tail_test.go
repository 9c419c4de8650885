package query

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// arrivingSource lists each sign-in once the clock has passed its arrival.
type arrivingSource struct {
	mu      sync.Mutex
	now     time.Time
	signIns []arriving
}

type arriving struct {
	e       signin.Event
	arrives time.Time
}

func (s *arrivingSource) clock() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.now
}

func (s *arrivingSource) advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = s.now.Add(d)
}

func (s *arrivingSource) ListSignIns(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	now := s.clock()
	var page []signin.Event
	for _, a := range s.signIns {
		if a.e.LogType == t && !a.e.Created.Before(from) && a.e.Created.Before(to) && !a.arrives.After(now) {
			page = append(page, a.e)
		}
	}
	return fn(page)
}

func TestTailDeliversEachNewSignInOnceInOrder(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	src := &arrivingSource{now: start}
	// A sign-in every 10 s from 10 minutes before the start to 10 minutes
	// after; most arrive 30 s after they happen, every fifth 3 minutes late,
	// and every seventh fails (the query follows failures only).
	for i := -60; i < 60; i++ {
		created := start.Add(time.Duration(i) * 10 * time.Second)
		delay := 30 * time.Second
		if i%5 == 0 {
			delay = 3 * time.Minute
		}
		var code int32
		if i%7 == 0 {
			code = 50126
		}
		src.signIns = append(src.signIns, arriving{
			e:       signin.Event{ID: fmt.Sprintf("id-%+04d", i), Created: created, ErrorCode: code, UserID: "u1"},
			arrives: created.Add(delay),
		})
	}
	st := store.New(src, store.Config{L1Bytes: 32 << 20, MinRefresh: time.Second, Now: src.clock})
	e := New(st)
	q, err := ParseWith([]byte(`{"logType":"interactive","format":"logs","limit":4,"filters":[{"key":"status","op":"=","value":"failure"}]}`), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	tail := e.Tail(q, 15*time.Minute)

	first, err := tail.Next(context.Background(), src.clock())
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Events) != 0 {
		t.Fatalf("the first call delivered %d sign-ins already there; want none", len(first.Events))
	}
	var got []signin.Event
	for range 60 {
		src.advance(15 * time.Second)
		b, err := tail.Next(context.Background(), src.clock())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, b.Events...)
	}
	// Every failure that arrived after the start, and nothing else, once.
	var want []string
	for _, a := range src.signIns {
		if a.e.ErrorCode != 0 && a.arrives.After(start) && !a.arrives.After(src.clock()) {
			want = append(want, a.e.ID)
		}
	}
	seen := map[string]bool{}
	for _, e := range got {
		if seen[e.ID] {
			t.Fatalf("%s delivered twice", e.ID)
		}
		seen[e.ID] = true
		if e.ErrorCode == 0 {
			t.Fatalf("%s does not match the filter", e.ID)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("delivered %d sign-ins; want %d (%v)", len(got), len(want), want)
	}
	for _, id := range want {
		if !seen[id] {
			t.Fatalf("%s was never delivered", id)
		}
	}
}

// TestTailDeliversVeryLateSignInsAtTheClose: on a log busy enough that a
// refresh re-reads only half a page (here 2 sign-ins), sign-ins 10 minutes
// out of order are not seen by refreshes; they come when their window closes
// (Freshness after its end) and is read whole, and a tail looking back a
// window and Freshness delivers them then, once.
func TestTailDeliversVeryLateSignInsAtTheClose(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 40, 0, 0, time.UTC)
	src := &arrivingSource{now: start}
	for i := -60; i < 120; i++ { // 10:30 to 11:00, every 10 s
		created := start.Add(time.Duration(i) * 10 * time.Second)
		delay := 30 * time.Second
		if i%5 == 0 {
			delay = 10 * time.Minute
		}
		src.signIns = append(src.signIns, arriving{
			e:       signin.Event{ID: fmt.Sprintf("id-%+04d", i), Created: created, UserID: "u1"},
			arrives: created.Add(delay),
		})
	}
	const freshness, refresh = 15 * time.Minute, 15 * time.Second
	st := store.New(src, store.Config{L1Bytes: 32 << 20, MinRefresh: time.Second, Freshness: freshness, PageSize: 4, Now: src.clock})
	defer st.Close()
	q, err := ParseWith([]byte(`{"logType":"interactive","format":"logs","limit":1000}`), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	tail := New(st).Tail(q, store.DefaultWindow+freshness+refresh)
	if _, err := tail.Next(context.Background(), src.clock()); err != nil {
		t.Fatal(err)
	}
	delivered := map[string]time.Time{}
	for src.clock().Before(start.Add(40 * time.Minute)) { // past 11:15, when 10:00 closes
		src.advance(refresh)
		b, err := tail.Next(context.Background(), src.clock())
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range b.Events {
			if _, twice := delivered[e.ID]; twice {
				t.Fatalf("%s delivered twice", e.ID)
			}
			delivered[e.ID] = src.clock()
		}
	}
	late := 0
	for _, a := range src.signIns {
		at, ok := delivered[a.e.ID]
		switch {
		case !a.arrives.After(start):
			if ok {
				t.Fatalf("%s was there at the start but delivered at %s", a.e.ID, at.Format("15:04:05"))
			}
		case !ok:
			t.Fatalf("%s (created %s, arrived %s) was never delivered", a.e.ID, a.e.Created.Format("15:04:05"), a.arrives.Format("15:04:05"))
		case at.Sub(a.arrives) > 2*refresh:
			late++ // beyond the refresh's re-read: at the close
		}
	}
	if late == 0 {
		t.Fatal("every sign-in came at a refresh: the test does not reach the close")
	}
}

func TestTailFallsBehindRatherThanSkip(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	src := &arrivingSource{now: start}
	for i := range 10 {
		created := start.Add(time.Duration(i) * time.Second)
		src.signIns = append(src.signIns, arriving{e: signin.Event{ID: fmt.Sprintf("id-%02d", i), Created: created}, arrives: created})
	}
	st := store.New(src, store.Config{L1Bytes: 32 << 20, MinRefresh: time.Second, Now: src.clock})
	tail := New(st).Tail(Query{LogTypes: []signin.LogType{signin.Interactive}, Format: Logs, Limit: 4}, 15*time.Minute)
	if _, err := tail.Next(context.Background(), src.clock()); err != nil {
		t.Fatal(err)
	}
	src.advance(time.Minute)
	var ids []string
	for _, waiting := range []int{6, 2, 0} {
		b, err := tail.Next(context.Background(), src.clock())
		if err != nil {
			t.Fatal(err)
		}
		if b.Waiting != waiting {
			t.Fatalf("waiting %d; want %d", b.Waiting, waiting)
		}
		for _, e := range b.Events {
			ids = append(ids, e.ID)
		}
	}
	if fmt.Sprint(ids) != "[id-00 id-01 id-02 id-03 id-04 id-05 id-06 id-07 id-08 id-09]" {
		t.Fatalf("delivered %v; want all ten in order", ids)
	}
}

func TestThresholdAnnotationsMarkTheBucketsAboveIt(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var r sliceReader
	// Outlook fails 3 times at 01:xx and once at 02:xx; Teams twice at 01:xx.
	for i, at := range []struct {
		app    string
		minute int
	}{{"Outlook", 61}, {"Outlook", 62}, {"Outlook", 63}, {"Outlook", 130}, {"Teams", 70}, {"Teams", 71}} {
		r = append(r, signin.Event{ID: fmt.Sprint(i), Created: day.Add(time.Duration(at.minute) * time.Minute), AppDisplayName: at.app, AppID: at.app, ErrorCode: 50126})
	}
	q, err := Parse([]byte(`{"format":"annotations","metric":"failures","groupBy":["app"],"timeAggregate":"1h","threshold":1}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.engine().Run(context.Background(), q, Range{day, day.Add(4 * time.Hour), time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(res.Marks)
	want := fmt.Sprint([]Mark{
		{From: day.Add(time.Hour), To: day.Add(2 * time.Hour), Labels: map[string]string{"app": "Outlook"}, Value: 3},
		{From: day.Add(time.Hour), To: day.Add(2 * time.Hour), Labels: map[string]string{"app": "Teams"}, Value: 2},
	})
	if got != want {
		t.Fatalf("marks %s; want %s", got, want)
	}
	for _, bad := range []string{`{"format":"logs","threshold":1}`, `{"format":"annotations","threshold":"x"}`} {
		if _, err := Parse([]byte(bad)); !errors.Is(err, ErrInvalidQuery) {
			t.Fatalf("%s: unexpected error %v; want ErrInvalidQuery", bad, err)
		}
	}
}

// TestTailChargesWhatItRemembers: the ids a live tail remembers are charged
// to the memory guard while it lives; past the ceiling its next call fails
// with ErrMemory (nothing lost: the ids stay), and Close releases them.
func TestTailChargesWhatItRemembers(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)
	src := &arrivingSource{now: start}
	for i := range 60 {
		created := start.Add(-time.Duration(i+1) * 10 * time.Second) // all before now: the scan's range is [now-lookback, now)
		src.signIns = append(src.signIns, arriving{e: signin.Event{ID: fmt.Sprintf("id-%03d", i), Created: created, UserID: "u1"}, arrives: created})
	}
	q, err := ParseWith([]byte(`{"logType":"interactive","format":"logs","limit":1}`), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		ceiling int64
	}{{"room", 1 << 20}, {"no room", 4 << 10}} {
		t.Run(tc.name, func(t *testing.T) {
			g := memguard.New(tc.ceiling)
			st := store.New(src, store.Config{L1Bytes: 32 << 20, MinRefresh: time.Second, Now: src.clock})
			defer st.Close()
			tail := New(st, WithMemoryGuard(g)).Tail(q, 15*time.Minute)
			if _, err := tail.Next(context.Background(), src.clock()); err != nil {
				t.Fatal(err)
			}
			_, err := tail.Next(context.Background(), src.clock())
			switch {
			case tc.ceiling > 60*seenBytes+logLineBytes && (err != nil || g.InUse() != 60*seenBytes):
				t.Fatalf("with room: %v, %d bytes in use; want the 60 remembered ids' %d", err, g.InUse(), 60*seenBytes)
			case tc.ceiling < 60*seenBytes && !errors.Is(err, memguard.ErrMemory):
				t.Fatalf("past the ceiling: %v; want ErrMemory", err)
			}
			tail.Close()
			if g.InUse() != 0 {
				t.Fatalf("%d bytes in use after Close; want 0", g.InUse())
			}
		})
	}
}
