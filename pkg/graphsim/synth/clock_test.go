package synth

import (
	"testing"
	"time"
)

func TestFormatTick(t *testing.T) {
	f := func(in time.Time, want string) {
		t.Helper()
		if got := formatTick(tickOf(in)); got != want {
			t.Fatalf("unexpected formatTick(%s); got %q; want %q", in, got, want)
		}
		if _, err := time.Parse(time.RFC3339Nano, want); err != nil {
			t.Fatalf("%q is not RFC 3339: %v", want, err)
		}
	}
	f(time.Date(2026, 1, 13, 14, 5, 33, 123456700, time.UTC), "2026-01-13T14:05:33.1234567Z")
	f(time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC), "2026-01-13T14:00:00.0000000Z")
	f(time.Date(2026, 12, 31, 23, 59, 59, 999999999, time.UTC), "2026-12-31T23:59:59.9999999Z")
	f(time.Date(1969, 12, 31, 23, 59, 59, 500000000, time.UTC), "1969-12-31T23:59:59.5000000Z")
	// Other zones are converted to UTC.
	f(time.Date(2026, 1, 13, 15, 5, 33, 0, time.FixedZone("CET", 3600)), "2026-01-13T14:05:33.0000000Z")
}

func TestTickCeil(t *testing.T) {
	base := time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC)
	f := func(ns int, want int64) {
		t.Helper()
		if got := tickCeil(base.Add(time.Duration(ns))) - tickOf(base); got != want {
			t.Fatalf("unexpected tickCeil(+%dns); got %d; want %d", ns, got, want)
		}
	}
	f(0, 0)
	f(1, 1)
	f(100, 1)
	f(101, 2)
}

func TestWeekdayAndWeekStart(t *testing.T) {
	f := func(in time.Time, wantMonday time.Time) {
		t.Helper()
		k := tickOf(in)
		if got := weekday(floorDiv(k, dayTk)); got != int64((in.Weekday()+6)%7) {
			t.Fatalf("unexpected weekday(%s); got %d; want %d", in, got, (in.Weekday()+6)%7)
		}
		if got := timeOf(weekStart(k)); !got.Equal(wantMonday) {
			t.Fatalf("unexpected weekStart(%s); got %s; want %s", in, got, wantMonday)
		}
	}
	monday := time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
	f(monday, monday)
	f(time.Date(2026, 1, 14, 13, 0, 0, 0, time.UTC), monday)
	f(time.Date(2026, 1, 18, 23, 59, 0, 0, time.UTC), monday)
	f(time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC), monday.AddDate(0, 0, 7))
	f(time.Date(1969, 12, 31, 12, 0, 0, 0, time.UTC), time.Date(1969, 12, 29, 0, 0, 0, 0, time.UTC))
}
