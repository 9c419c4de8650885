package query

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// uniqueIPs lists sign-ins of which every one comes from an address of its own
// and one of 50,000 users: the worst case for a group-by on ipAddress × user.
type uniqueIPs struct {
	start time.Time
	every time.Duration
	n     int
}

func (u *uniqueIPs) ListSignIns(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	var page []signin.Event
	first := max(0, int((from.Sub(u.start)+u.every-1)/u.every))
	for i := first; i < u.n; i++ {
		ts := u.start.Add(time.Duration(i) * u.every)
		if !ts.Before(to) {
			break
		}
		page = append(page, signin.Event{ID: fmt.Sprintf("s%d", i), Created: ts, LogType: t,
			IPAddress: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255),
			UserID:    fmt.Sprintf("u%d", i%50_000), AppID: "app"})
	}
	return fn(page)
}

// TestAdversarialGroupByIsBounded: grouping sign-ins that each have an address
// of their own by ipAddress × user keeps maxGroups groups, sums the rest up as
// "other" exactly, says so, and does not build a dictionary of every address.
// 300,000 sign-ins in make test; SIGNINLENS_LONG_TESTS=1 runs 10 million.
func TestAdversarialGroupByIsBounded(t *testing.T) {
	n, maxGroups := 300_000, 20_000
	if os.Getenv("SIGNINLENS_LONG_TESTS") == "1" {
		n, maxGroups = 10_000_000, MaxGroups
	}
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	src := &uniqueIPs{start: start, every: 7 * 24 * time.Hour / time.Duration(n), n: n}
	end := start.Add(7 * 24 * time.Hour)
	st := store.New(src, store.Config{TimeBudget: time.Hour, MaxRun: 24, L1Bytes: 1 << 30,
		Now: func() time.Time { return end.Add(48 * time.Hour) }})
	defer st.Close()
	e := New(st, withMaxGroups(maxGroups))
	r := Range{From: start, To: end, Interval: time.Hour}
	q, err := Parse([]byte(`{"logType":"interactive","format":"table","metric":"count","groupBy":["ipAddress","user"],"limit":10000}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Run(context.Background(), q, r); err != nil { // loads the store
		t.Fatal(err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	a, partial, err := e.aggregate(context.Background(), q, r.From, r.To, r.From, r.To.Sub(r.From), 1, e.scanned)
	runtime.ReadMemStats(&after)
	if err != nil || partial != nil {
		t.Fatal(err, partial)
	}
	kept, other := a.ranked(q.Limit)
	sum := other.whole().total
	for _, g := range kept {
		sum += g.whole().total
	}
	if !a.full() || len(a.groups) != maxGroups+1 || len(kept) != q.Limit || sum != int64(n) || len(a.overflowNotice()) != 1 {
		t.Fatalf("unexpected answer: %d groups made, %d kept, %d sign-ins in all; want %d groups and other, %d kept, %d sign-ins",
			len(a.groups), len(kept), sum, maxGroups, q.Limit, n)
	}
	if words := len(a.dims[0].values); words > maxGroups {
		t.Fatalf("the query numbered %d addresses for %d groups: its dictionary grows with the data", words, maxGroups)
	}
	// What a query allocates is bounded by its groups and the profiles it
	// meets (a 16-byte slot each), not by the strings of its values.
	allocated := after.TotalAlloc - before.TotalAlloc
	bound := uint64(64*n + 2048*maxGroups)
	t.Logf("%d sign-ins, %d groups: the query allocated %.1f MB (bound %.1f MB)", n, maxGroups, float64(allocated)/1e6, float64(bound)/1e6)
	if allocated > bound {
		t.Fatalf("the query allocated %d bytes; want at most %d", allocated, bound)
	}
}
