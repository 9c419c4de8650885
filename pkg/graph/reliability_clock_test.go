package graph_test

import (
	"os"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// longTests reports whether SIGNINLENS_LONG_TESTS=1 asks for the long
// variants (more seeds, all log types, see RELIABILITY.md).
func longTests() bool { return os.Getenv("SIGNINLENS_LONG_TESTS") == "1" }

// The clock tests list the non-interactive log, the busiest (6,890 sign-ins
// that day, 7 pages of 1,000): it has sign-ins in the day's last minutes.
const clockType = signin.NonInteractive

// TestClockSkew lists the day just as it ends on the client's clock. A server
// ten minutes ahead has it all. A server ten minutes behind has not yet got
// the last ten minutes, and Graph gives no sign of that: the listing succeeds
// with exactly what the server had, and a listing once the server's clock has
// caught up delivers the rest. (So a cache must keep the newest window open
// for longer than the skew; the client cannot tell.)
func TestClockSkew(t *testing.T) {
	truth := truthIDs(t, clockType, simDayFrom, simDayTo)

	ahead := newSimEnv(t, simOptions{faults: graphsim.Faults{ClockSkew: 10 * time.Minute}, now: simDayTo, http2: true, pageSize: 1000})
	pages, err := ahead.list(clockType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, pages, truth)

	behind := newSimEnv(t, simOptions{faults: graphsim.Faults{ClockSkew: -10 * time.Minute}, now: simDayTo, http2: true, pageSize: 1000})
	pages, err = behind.list(clockType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatal(err)
	}
	seen := truthIDs(t, clockType, simDayFrom, simDayTo.Add(-10*time.Minute).Add(time.Nanosecond))
	if len(seen) == len(truth) {
		t.Fatal("no sign-ins in the day's last ten minutes: the test would prove nothing")
	}
	checkExact(t, pages, seen)
	behind.clock.Set(simDayTo.Add(10 * time.Minute))
	pages, err = behind.list(clockType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, pages, truth)
}

// TestLateArrivals lists the day five minutes after it ended, with a 3-minute
// ingestion delay and one sign-in in ten arriving 20 minutes later still. The
// listing must hold exactly what had arrived (no error: Graph cannot tell
// either), and a listing after the stragglers arrived, the whole day.
func TestLateArrivals(t *testing.T) {
	faults := graphsim.Faults{LateShare: 0.1, LateBy: 20 * time.Minute}
	now := simDayTo.Add(5 * time.Minute)
	e := newSimEnv(t, simOptions{faults: faults, delay: 3 * time.Minute, now: now, http2: true, pageSize: 1000})
	truth := truthIDs(t, clockType, simDayFrom, simDayTo)
	recs, err := graphsim.Collect(simSource(), clockType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatal(err)
	}
	var arrived []string
	for _, r := range recs {
		normal := !r.Created.After(now.Add(-3 * time.Minute))
		late := !r.Created.After(now.Add(-23 * time.Minute))
		if normal && (late || !faults.IsLate(r.ID)) {
			arrived = append(arrived, r.ID)
		}
	}
	if len(arrived) == len(truth) {
		t.Fatal("no sign-in is late: the test would prove nothing")
	}
	pages, err := e.list(clockType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, pages, arrived)

	e.clock.Set(simDayTo.Add(23 * time.Minute))
	pages, err = e.list(clockType, simDayFrom, simDayTo)
	if err != nil {
		t.Fatal(err)
	}
	checkExact(t, pages, truth)
	t.Logf("%d of %d sign-ins had arrived five minutes after the day", len(arrived), len(truth))
}
