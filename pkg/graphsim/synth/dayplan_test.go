package synth

import "testing"

// An hour asks each user for one local day's plan, so every sign-in of a day
// must fall in that day's active window: refreshes up to refreshJitter before
// their schedule, retries up to maxFollowUp after their attempt.
func TestDayPlansStayInTheActiveWindow(t *testing.T) {
	tn := mustNew(t, 7, "medium")
	first := floorDiv(tickOf(monday), dayTk)
	for _, u := range tn.pop.users {
		for day := first; day < first+14; day++ {
			pl := tn.pop.plan(tn.key, u, day)
			midnight := day*dayTk - u.offset
			lo, hi := midnight+activeFrom+refreshJitter, midnight+activeTo-maxFollowUp
			if pl.start < lo || pl.end > hi || pl.start >= pl.end {
				t.Fatalf("user %d day %d: working window %s-%s outside the active window",
					u.index, day, timeOf(pl.start), timeOf(pl.end))
			}
			if pl.phone != nil && (pl.phoneFrom < lo || pl.phoneTo > hi || pl.phoneFrom >= pl.phoneTo) {
				t.Fatalf("user %d day %d: phone window %s-%s outside the active window",
					u.index, day, timeOf(pl.phoneFrom), timeOf(pl.phoneTo))
			}
		}
	}
}

func TestLocalDay(t *testing.T) {
	berlin := &user{offset: utcOffset(60)}
	seattle := &user{offset: utcOffset(-480)}
	wed := floorDiv(tickOf(wednesday), dayTk)
	f := func(u *user, utcHour int64, wantDay int64, wantActive bool) {
		t.Helper()
		day, active := localDay(u, wed*dayTk+utcHour*hourTk)
		if day != wed+wantDay || active != wantActive {
			t.Fatalf("unexpected localDay at %02d:00 UTC; got day %+d active %v; want %+d %v", utcHour, day-wed, active, wantDay, wantActive)
		}
	}
	f(berlin, 4, 0, false) // 05:00 local
	f(berlin, 5, 0, true)  // 06:00 local
	f(berlin, 21, 0, true) // 22:00 local
	f(berlin, 22, 0, false)
	f(berlin, 23, 1, false)
	f(seattle, 3, -1, true) // 19:00 local the day before
	f(seattle, 7, -1, false)
	f(seattle, 14, 0, true) // 06:00 local
}
