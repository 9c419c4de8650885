package synth

import (
	"slices"
	"testing"
	"time"
)

// runsOn counts a job's runs over a UTC day, with their statuses.
func runsOn(j *job, failRate float64, day time.Time) []draft {
	var ds []draft
	for h := range 24 {
		ds = j.appendRuns(ds, failRate, tickOf(day)+int64(h)*hourTk)
	}
	return ds
}

func TestJobsRunOnSchedule(t *testing.T) {
	f := func(interval int64, businessHours bool, day time.Time, want int) {
		t.Helper()
		j := &job{key: 1, base: &SignIn{}, interval: interval, phase: interval / 3, businessHours: businessHours}
		if got := len(runsOn(j, 0, day)); got != want {
			t.Fatalf("unexpected runs of a %s job (business hours %v) on %s; got %d; want %d",
				time.Duration(interval)*tick, businessHours, day.Weekday(), got, want)
		}
	}
	f(5*minute, false, wednesday, 288)
	f(15*minute, false, wednesday, 96)
	f(hourTk, false, wednesday, 24)
	f(dayTk, false, wednesday, 1)
	f(5*minute, false, saturday, 288)
	f(hourTk, true, wednesday, 14) // 06:20 to 19:20
	f(hourTk, true, saturday, 0)
}

func TestJobFailures(t *testing.T) {
	j := &job{key: 1, base: &SignIn{}, interval: 15 * minute, failures: []*Status{st700027}}
	for _, d := range runsOn(j, 1, wednesday) {
		if d.status != st700027 {
			t.Fatalf("unexpected status with fail rate 1; got %+v; want 700027", d.status)
		}
	}
	for _, d := range runsOn(j, 0, wednesday) {
		if d.status != nil {
			t.Fatalf("unexpected status with fail rate 0; got %+v; want success", d.status)
		}
	}
	// A client-secret job fails all day on the days its secret is expired.
	j.secret = true
	day := wednesday
	for !secretExpired(j.key, floorDiv(tickOf(day), dayTk)) {
		day = day.AddDate(0, 0, 1)
	}
	runs := runsOn(j, 0, day)
	for _, d := range runs {
		if d.status != st7000222 {
			t.Fatalf("unexpected status on an expired-secret day; got %+v; want 7000222", d.status)
		}
	}
	if len(runs) != 96 {
		t.Fatalf("unexpected runs on an expired-secret day; got %d; want 96", len(runs))
	}
}

func TestRefreshesAreHourly(t *testing.T) {
	h0 := tickOf(wednesday.Add(9 * time.Hour))
	proto := draft{base: &SignIn{}, corr: uuidOf(5)}
	var got []int
	total := 0
	for h := range 7 {
		hour := h0 + int64(h-1)*hourTk
		ds := appendRefreshes(nil, proto, 42, h0+10*minute, h0+5*hourTk, hour)
		got = append(got, len(ds))
		for _, d := range ds {
			total++
			if d.tick < 0 || d.tick >= hourTk || d.base != proto.base || d.corr != proto.corr {
				t.Fatalf("unexpected refresh %+v in hour %d", d, h)
			}
		}
	}
	if want := []int{0, 1, 1, 1, 1, 1, 0}; total != 5 || !slices.Equal(got, want) {
		t.Fatalf("unexpected refreshes per hour; got %v; want %v", got, want)
	}
}
