package testclock

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	real := time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC)
	f := func(v string, want time.Time, ok bool) {
		t.Helper()
		got, err := parse(v, real)
		if (err == nil) != ok || (ok && !got.Equal(want)) {
			t.Fatalf("unexpected parse(%q); got %s, %v; want %s, ok %v", v, got, err, want, ok)
		}
	}
	f("", real, true)
	f("2026-12-06T00:20:00Z", time.Date(2026, 12, 6, 0, 20, 0, 0, time.UTC), true)
	f("2026-11-30T01:05:00+01:00", time.Date(2026, 11, 30, 0, 5, 0, 0, time.UTC), true)
	f("2026-12-06", time.Time{}, false)           // not an instant
	f("2026-12-06T20:00:01Z", time.Time{}, false) // the future
	f("2026-11-28T19:59:59Z", time.Time{}, false) // more than eight days back
}

func TestClosedDayAndWorkday(t *testing.T) {
	f := func(now, wantDay, wantWorkday string) {
		t.Helper()
		at, _ := time.Parse(time.RFC3339, now)
		from, to := closedDay(at)
		if from.Format(time.DateOnly) != wantDay || to.Sub(from) != day {
			t.Fatalf("closedDay(%s) = %s - %s; want %s", now, from, to, wantDay)
		}
		from, to = workday(at)
		if from.Format(time.DateOnly) != wantWorkday || to.Sub(from) != day {
			t.Fatalf("workday(%s) = %s - %s; want %s", now, from, to, wantWorkday)
		}
	}
	f("2026-12-06T00:20:00Z", "2026-12-04", "2026-12-04") // Sunday just after midnight: Saturday is not closed yet
	f("2026-12-06T20:26:00Z", "2026-12-05", "2026-12-04") // Sunday evening
	f("2026-11-30T00:05:00Z", "2026-11-28", "2026-11-27") // Monday just after midnight
	f("2026-11-30T12:00:00Z", "2026-11-29", "2026-11-27") // Monday noon
	f("2026-12-01T01:59:00Z", "2026-11-29", "2026-11-27") // Tuesday before Monday has settled
	f("2026-12-01T02:00:00Z", "2026-11-30", "2026-11-30")
	f("2026-03-01T03:00:00+01:00", "2026-02-28", "2026-02-27") // a month end, in local time elsewhere
}

func TestEnvMovesTheChoice(t *testing.T) {
	at := time.Now().UTC().Add(-50 * time.Hour).Truncate(time.Minute)
	t.Setenv(Env, at.Format(time.RFC3339))
	if got := Now(t); !got.Equal(at) {
		t.Fatalf("unexpected Now; got %s; want %s", got, at)
	}
	if got, want := ClosedHour(t), at.Add(-settle).Truncate(time.Hour); !got.Equal(want) {
		t.Fatalf("unexpected ClosedHour; got %s; want %s", got, want)
	}
	if from, _ := Workday(t); from.Weekday() == time.Saturday || from.Weekday() == time.Sunday || !from.Before(at.Add(-settle)) {
		t.Fatalf("unexpected Workday %s at %s", from, at)
	}
}
