package synth

// Users are active only between these local times; every sign-in a user's day
// produces (working hours, phone use, follow-up attempts) falls inside, so an
// hour needs the plan of exactly one local day per user.
const (
	activeFrom = 6 * hourTk
	activeTo   = 23 * hourTk
)

// Sub-streams derived from a day plan's key, and from a job's key.
const (
	subDeskSession uint64 = iota + 1
	subPhoneSession
	subAttemptTimes
	subAttempt
	subCorrelation
	subRun
	subSecretExpiry
	subRefresh
	subWorkloadRisk
)

// dayPlan is one user's local day: whether and when they work, from where, and
// what goes wrong. It is a pure function of (tenant, user, day), recomputed
// by every hour that needs it, which is cheaper than caching it.
type dayPlan struct {
	key        uint64
	works      bool
	start, end int64 // the working window, in ticks
	desk       *netContext
	phone      *netContext // nil without a phone
	phoneFrom  int64
	phoneTo    int64
	failing    int     // index of a desktop session whose refreshes fail all day, or -1
	failStatus *Status // the status of those refreshes
}

// localDay returns the user's local day for the hour starting at h, and
// whether that hour overlaps the user's active part of the day at all.
func localDay(u *user, h int64) (int64, bool) {
	local := h + u.offset
	day := floorDiv(local, dayTk)
	within := local - day*dayTk
	return day, within+hourTk > activeFrom && within < activeTo
}

// weekday returns 0 for Monday to 6 for Sunday (day 0, 1970-01-01, was a Thursday).
func weekday(day int64) int64 {
	return day + 3 - floorDiv(day+3, 7)*7
}

// plan draws the user's day. Members work on 93% of weekdays and 5% of weekend
// days, from the office on some days, from home on the others, and travel on
// 1.5% of days; guests drop in on about a third of weekdays. On 5% of days
// one desktop session goes bad and fails its refreshes all day.
func (p *population) plan(tenantKey uint64, u *user, day int64) dayPlan {
	key := derive(tenantKey, streamDay, uint64(u.index), uint64(day)) // #nosec G115 -- a key's bit pattern
	r := newRng(key)
	pl := dayPlan{key: key, failing: -1}
	weekend := weekday(day) >= 5
	work := [2][2]float64{{0.93, 0.05}, {0.35, 0}} // [guest][weekend]
	pl.works = r.chance(work[b2i(u.guest)][b2i(weekend)])

	pl.desk = u.homeNet
	travel := !u.guest && r.chance(0.015)
	atOffice := u.office != nil && !weekend && r.chance(u.officeDays)
	switch {
	case travel:
		hotels := p.travel[r.pick(p.travelWeights)]
		pl.desk = hotels[r.intn(len(hotels))]
	case atOffice:
		pl.desk = u.office
	}

	midnight := day*dayTk - u.offset
	pl.start = midnight + 6*hourTk + 45*minute + (r.span(0, 3*hourTk)+r.span(0, 3*hourTk))/2
	pl.end = pl.start + 8*hourTk + r.span(0, 2*hourTk)
	if u.mobile != nil {
		pl.phone = u.mobileNet
		if travel {
			pl.phone = pl.desk
		}
		pl.phoneFrom = midnight + 7*hourTk + r.span(0, hourTk)
		pl.phoneTo = midnight + 21*hourTk + r.span(0, 90*minute)
	}
	if r.chance(0.05) && len(u.sessions) > 0 {
		pl.failing = r.intn(len(u.sessions))
		pl.failStatus = refreshFailures[r.intn(len(refreshFailures))]
	}
	return pl
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
