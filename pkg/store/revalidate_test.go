package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/grafana/dskit/cache"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// changingSource is a tenant whose sign-ins can change after the fact, as
// Identity Protection changes their risk: two sign-ins a minute, every
// hundredth at risk. ListChanged lists the sign-ins with a risk state, as
// Graph's client does.
type changingSource struct {
	mu      sync.Mutex
	state   map[string]string       // risk state by id, when changed from the first
	added   map[string]signin.Event // sign-ins that exist only from now on
	listed  int                     // ListChanged calls
	fail    bool                    // ListChanged fails
	changes [][2]time.Time          // the ranges ListChanged was asked for
}

// revalidating is a store with the defaults over a changing source, its
// clock at 10:00 of day: the hours the tests read are closed and within the
// period revalidated.
func revalidating(t *testing.T) (*fakeClock, *changingSource, *Store) {
	clock := &fakeClock{t: day.Add(10 * time.Hour)}
	src := newChangingSource()
	s := New(src, Config{Now: clock.Now})
	t.Cleanup(s.Close)
	return clock, src, s
}

func newChangingSource() *changingSource {
	return &changingSource{state: map[string]string{}, added: map[string]signin.Event{}}
}

func (c *changingSource) events(t signin.LogType, from, to time.Time) []signin.Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []signin.Event
	for ts := from.Truncate(30 * time.Second); ts.Before(to); ts = ts.Add(30 * time.Second) {
		if ts.Before(from) {
			continue
		}
		n := ts.Unix() / 30
		e := signin.Event{ID: fmt.Sprintf("%s-%d", t, n), Created: ts, LogType: t, AppDisplayName: "app", RiskState: "none"}
		if n%100 == 0 {
			e.RiskState, e.RiskLevelDuringSignIn = "atRisk", "high"
		}
		if s, ok := c.state[e.ID]; ok {
			e.RiskState = s
		}
		out = append(out, e)
	}
	for _, e := range c.added {
		if !e.Created.Before(from) && e.Created.Before(to) {
			out = append(out, e)
		}
	}
	return out
}

func (c *changingSource) ListSignIns(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	return fn(c.events(t, from, to))
}

func (c *changingSource) ListChanged(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	c.mu.Lock()
	c.listed++
	c.changes = append(c.changes, [2]time.Time{from, to})
	fail := c.fail
	c.mu.Unlock()
	if fail {
		return errors.New("graph is down")
	}
	var risky []signin.Event
	for _, e := range c.events(t, from, to) {
		if e.RiskState != "none" {
			risky = append(risky, e)
		}
	}
	// Graph lists each state apart: a sign-in that changes between two
	// listings comes twice. The store must count it once.
	if len(risky) > 0 {
		if err := fn(risky[:1]); err != nil {
			return err
		}
	}
	return fn(risky)
}

// riskyID is the id of the first interactive sign-in at risk from at on.
func riskyID(at time.Time) string {
	n := (at.Unix()/30 + 99) / 100 * 100
	return fmt.Sprintf("%s-%d", signin.Interactive, n)
}

func (c *changingSource) change(id, state string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state[id] = state
}

func (c *changingSource) calls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.listed
}

// riskStates counts the sign-ins of [from, to) by risk state, scanning
// closed days whole (their per-day counts) where it can.
func riskStates(t *testing.T, s *Store, from, to time.Time) map[string]int {
	t.Helper()
	got := map[string]int{}
	err := s.ScanDays(context.Background(), signin.Interactive, from, to,
		func(_ time.Time, counts []block.ProfileCounts) {
			for _, c := range counts {
				for id, n := range c.Counts {
					got[c.Profiles.At(uint32(id)).RiskState] += int(n) // #nosec G115 -- ids of a table, below 2^32
				}
			}
		},
		func(b *block.Block, lo, hi int) {
			for i := lo; i < hi; i++ {
				got[b.Profiles.At(b.Profile.At(i)).RiskState]++
			}
		})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// waitRevalidated waits for the revalidations running to end.
func waitRevalidated(t *testing.T, s *Store) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		running := len(s.revalidating)
		s.mu.Unlock()
		if running == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("a revalidation is still running after 10 s")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestRevalidationPutsTheNewVersionInPlaceOfTheOld(t *testing.T) {
	clock := &fakeClock{t: day.Add(36 * time.Hour)}
	src := newChangingSource()
	s := New(src, Config{Now: clock.Now, RevalidatePeriod: 48 * time.Hour})
	defer s.Close()
	from, to := day, day.Add(30*time.Hour) // a whole closed day, counted per day, and 6 hours
	before := riskStates(t, s, from, to)
	if before["atRisk"] != 30*60*2/100 || before["none"] != 30*60*2-before["atRisk"] {
		t.Fatalf("before any change: %v", before)
	}
	// Remediated hours after: one in the day, one in the hours after it.
	src.change(riskyID(day.Add(3*time.Hour)), "remediated")
	src.change(riskyID(day.Add(27*time.Hour)), "dismissed")

	// Within RevalidateEvery of the store's start: served as held, no request.
	clock.Advance(DefaultRevalidateEvery - time.Minute)
	if got := riskStates(t, s, from, to); got["atRisk"] != before["atRisk"] || src.calls() != 0 {
		t.Fatalf("revalidated before RevalidateEvery: %v, %d calls", got, src.calls())
	}
	// Due: the scan starts a revalidation and is answered from what is held.
	clock.Advance(time.Minute)
	riskStates(t, s, from, to)
	waitRevalidated(t, s)
	got := riskStates(t, s, from, to)
	want := map[string]int{"none": before["none"], "atRisk": before["atRisk"] - 2, "remediated": 1, "dismissed": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after the revalidation: %v; want %v (each sign-in once, in its latest version)", got, want)
	}
	if src.calls() != 1 {
		t.Fatalf("ListChanged calls: %d; want 1 for the log type", src.calls())
	}
	// The period asked: whole windows from RevalidatePeriod ago to the last closed one.
	if p := src.changes[0]; !p[0].Equal(clock.Now().Add(-48*time.Hour).Truncate(time.Hour)) || !p[1].Equal(clock.Now().Add(-15*time.Minute).Truncate(time.Hour)) {
		t.Fatalf("revalidated [%s, %s)", p[0], p[1])
	}
	if st := s.Stats(); st.Revalidations != 1 || st.WindowsRevised != 2 {
		t.Fatalf("stats: %d revalidations, %d windows revised; want 1 and 2", st.Revalidations, st.WindowsRevised)
	}
	// Not again before RevalidateEvery, however many scans.
	riskStates(t, s, from, to)
	if src.calls() != 1 {
		t.Fatalf("ListChanged calls: %d; want 1 within RevalidateEvery", src.calls())
	}
}

func TestRevalidationAddsWhatTheWholeReadMissed(t *testing.T) {
	clock, src, s := revalidating(t)
	from, to := day.Add(2*time.Hour), day.Add(4*time.Hour)
	n := count(t, s, from, to)
	late := signin.Event{ID: "late-1", Created: day.Add(3*time.Hour + 10*time.Second), LogType: signin.Interactive, AppDisplayName: "app", RiskState: "atRisk"}
	src.mu.Lock()
	src.added[late.ID] = late
	src.mu.Unlock()
	clock.Advance(DefaultRevalidateEvery)
	count(t, s, from, to)
	waitRevalidated(t, s)
	if got := count(t, s, from, to); got != n+1 {
		t.Fatalf("after the revalidation: %d sign-ins; want %d, the late one once", got, n+1)
	}
}

func TestRevalidationOnlyWhenAScanReadsThePeriod(t *testing.T) {
	now := day.Add(48 * time.Hour)
	for _, tc := range []struct {
		name   string
		period time.Duration
		from   time.Time
	}{
		{"off", -1, now.Add(-8 * time.Hour)},
		{"older than the period", 0, now.Add(-47 * time.Hour)},
		{"open windows only", 0, now.Add(-10 * time.Minute)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &fakeClock{t: now.Add(-2 * DefaultRevalidateEvery)}
			src := newChangingSource()
			s := New(src, Config{Now: clock.Now, RevalidatePeriod: tc.period})
			defer s.Close()
			clock.Advance(2 * DefaultRevalidateEvery)
			count(t, s, tc.from, tc.from.Add(10*time.Minute))
			waitRevalidated(t, s)
			if src.calls() != 0 {
				t.Fatalf("ListChanged called %d times", src.calls())
			}
		})
	}
}

func TestAFailedRevalidationChangesNothingAndIsTriedAgain(t *testing.T) {
	clock, src, s := revalidating(t)
	from, to := day.Add(2*time.Hour), day.Add(4*time.Hour)
	before := riskStates(t, s, from, to)
	src.change(riskyID(day.Add(3*time.Hour)), "remediated")
	src.mu.Lock()
	src.fail = true
	src.mu.Unlock()
	clock.Advance(DefaultRevalidateEvery)
	riskStates(t, s, from, to)
	waitRevalidated(t, s)
	if got := riskStates(t, s, from, to); fmt.Sprint(got) != fmt.Sprint(before) || src.calls() != 1 {
		t.Fatalf("after a failed revalidation: %v, %d calls; want %v, 1", got, src.calls(), before)
	}
	src.mu.Lock()
	src.fail = false
	src.mu.Unlock()
	clock.Advance(DefaultRevalidateEvery)
	riskStates(t, s, from, to)
	waitRevalidated(t, s)
	if got := riskStates(t, s, from, to); got["remediated"] != 1 || src.calls() != 2 {
		t.Fatalf("after the next revalidation: %v, %d calls", got, src.calls())
	}
}

func TestRevisedWindowsReplaceTheirCopyInL2(t *testing.T) {
	mock := cache.NewMockCache()
	clock := &fakeClock{t: day.Add(10 * time.Hour)}
	src := newChangingSource()
	cfg := Config{Now: clock.Now, Namespace: "revalidate", Secret: []byte("secret-1"), l2Cache: mock}
	s := New(src, cfg)
	defer s.Close()
	from, to := day.Add(2*time.Hour), day.Add(4*time.Hour)
	riskStates(t, s, from, to)
	src.change(riskyID(day.Add(3*time.Hour)), "remediated")
	clock.Advance(DefaultRevalidateEvery)
	riskStates(t, s, from, to)
	waitRevalidated(t, s)
	// Another replica, or this one restarted, reads the windows from L2.
	other := New(src, cfg)
	defer other.Close()
	if got := riskStates(t, other, from, to); got["remediated"] != 1 {
		t.Fatalf("read from L2 after the revalidation: %v; want the remediated version", got)
	}
}

func TestRevalidationIsBounded(t *testing.T) {
	defer func(n int) { maxRevalidated = n }(maxRevalidated)
	maxRevalidated = 1
	clock, src, s := revalidating(t)
	from, to := day.Add(2*time.Hour), day.Add(4*time.Hour)
	n := count(t, s, from, to)
	// The source's first page holds one sign-in: the earliest at risk of the
	// period, here remediated; the second page, all of them, is past the bound.
	first := riskyID(clock.Now().Add(-24 * time.Hour).Truncate(time.Hour))
	src.change(first, "remediated")
	src.change(riskyID(day.Add(3*time.Hour)), "dismissed")
	clock.Advance(DefaultRevalidateEvery)
	count(t, s, from, to)
	waitRevalidated(t, s)
	got := riskStates(t, s, from, to)
	if got["dismissed"] != 0 || count(t, s, from, to) != n {
		t.Fatalf("past the bound: %v; want the second page dropped and %d sign-ins", got, n)
	}
}

// blockedSource lists nothing until released: windows stay loading.
type blockedSource struct {
	*changingSource
	release chan struct{}
}

func (b blockedSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return b.changingSource.ListSignIns(ctx, t, from, to, fn)
}

func TestNoRevalidationWhileNothingOfThePeriodIsHeld(t *testing.T) {
	clock := &fakeClock{t: day.Add(10 * time.Hour)}
	src := blockedSource{changingSource: newChangingSource(), release: make(chan struct{})}
	s := New(src, Config{Now: clock.Now, TimeBudget: time.Millisecond})
	defer s.Close()
	clock.Advance(DefaultRevalidateEvery)
	err := s.Scan(context.Background(), signin.Interactive, day.Add(2*time.Hour), day.Add(4*time.Hour), func(*block.Block, int, int) {})
	var partial *PartialError
	if !errors.As(err, &partial) {
		t.Fatalf("scan of loading windows: %v; want a partial answer", err)
	}
	waitRevalidated(t, s)
	if src.calls() != 0 {
		t.Fatalf("ListChanged called %d times with nothing of the period held (a cold load)", src.calls())
	}
	close(src.release)
}
