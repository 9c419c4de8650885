// Package testclock is the one clock tests pick past days, hours and windows
// from, so that a test means the same thing whatever the day and hour it runs.
//
// The plugin and the simulators keep the real clock: only the tests' choice of
// past instants moves. SIGNINLENS_TEST_NOW (RFC 3339, an instant in the last
// eight days) sets the "now" those choices are made from, to replay a run on a
// Sunday just after midnight, say, from any day; unset, it is the real time.
// Tests of open windows, refreshes and the live tail keep the real clock, as
// they must: what is still filling moves with it.
package testclock

import (
	"fmt"
	"os"
	"testing"
	"time"
)

// Env names the variable that sets the tests' "now".
const Env = "SIGNINLENS_TEST_NOW"

// maxAge is how far back Env may reach: every simulated source still holds the
// days a test picks from it (the demo tenants keep more; Graph keeps 30).
const maxAge = 8 * 24 * time.Hour

// settle is how long after its end a window has surely closed and settled:
// the longest freshness of a source (a workspace's 30 minutes) and the push-down
// tests' settling hour, with room.
const settle = 2 * time.Hour

const day = 24 * time.Hour

// Now returns the instant tests pick past days from: Env if set, else the real
// time. A malformed Env, or one outside the last eight days, fails the test.
func Now(t testing.TB) time.Time {
	t.Helper()
	now, err := parse(os.Getenv(Env), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return now
}

// ClosedDay returns the last UTC day whose windows have all closed.
func ClosedDay(t testing.TB) (from, to time.Time) {
	t.Helper()
	return closedDay(Now(t))
}

// Workday returns the last closed UTC day that is a working day, Monday to
// Friday: the demo tenants are busy then and quiet at weekends, so a test that
// needs volume (results cut by a limit, fault rules that must fire, more groups
// than a bound) picks this day and means what it says on any day it runs.
func Workday(t testing.TB) (from, to time.Time) {
	t.Helper()
	return workday(Now(t))
}

// ClosedHour returns the end of the last UTC hour whose window has closed.
func ClosedHour(t testing.TB) time.Time {
	t.Helper()
	return Now(t).UTC().Add(-settle).Truncate(time.Hour)
}

func parse(v string, real time.Time) (time.Time, error) {
	if v == "" {
		return real, nil
	}
	now, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s=%q: not an RFC 3339 instant such as 2026-12-06T00:20:00Z: %w", Env, v, err)
	}
	if now.After(real) || now.Before(real.Add(-maxAge)) {
		return time.Time{}, fmt.Errorf("%s=%q: want an instant in the last %s (now is %s)", Env, v, maxAge, real.UTC().Format(time.RFC3339))
	}
	return now, nil
}

func closedDay(now time.Time) (time.Time, time.Time) {
	to := now.UTC().Add(-settle).Truncate(day)
	return to.Add(-day), to
}

func workday(now time.Time) (time.Time, time.Time) {
	from, to := closedDay(now)
	for from.Weekday() == time.Saturday || from.Weekday() == time.Sunday {
		from, to = from.Add(-day), from
	}
	return from, to
}
