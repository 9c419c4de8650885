package synth

// windowsSignIn is the first sign-in of the day on a Windows computer.
var windowsSignIn = &appPair{client: appWindows, resource: resAAD, native: true}

// extraAttempts are the shares of 0 to 4 interactive sign-ins after the first
// one of a working day.
var extraAttempts = []float64{5, 20, 30, 25, 20}

// maxFollowUp bounds how long after an attempt its follow-up comes.
const maxFollowUp = 60 * second

// interactive generates the interactive sign-ins of hour h: a few per user per
// working day, the first at the start of the day, sometimes one on the phone.
func (t *Tenant) interactive(h int64) []draft {
	var ds []draft
	for _, u := range t.pop.users {
		day, ok := localDay(u, h)
		if !ok {
			continue
		}
		pl := t.pop.plan(t.key, u, day)
		ds = t.userAttempts(ds, u, &pl, h)
	}
	return ds
}

// userAttempts draws the times of all the day's attempts (cheap) and builds
// only those that can produce a sign-in in hour h.
func (t *Tenant) userAttempts(ds []draft, u *user, pl *dayPlan, h int64) []draft {
	r := newRng(derive(pl.key, subAttemptTimes))
	var times [6]int64
	n := 0
	if pl.works {
		times[0] = pl.start + r.span(0, 5*minute)
		n = 1 + r.pick(extraAttempts)
		for i := 1; i < n; i++ {
			times[i] = r.span(pl.start, pl.end-minute)
		}
	}
	phone := pl.phone != nil && r.chance(0.12)
	if phone {
		times[n] = r.span(pl.phoneFrom, pl.phoneTo-minute)
		n++
	}
	for j := range n {
		if times[j]+maxFollowUp < h || times[j] >= h+hourTk {
			continue
		}
		mobile := phone && j == n-1
		ds = t.attempt(ds, u, pl, j, times[j], mobile, h)
	}
	return ds
}

// attempt builds attempt j of the day and, if it was interrupted or mistyped,
// the successful retry that follows, sharing its correlation id.
func (t *Tenant) attempt(ds []draft, u *user, pl *dayPlan, j int, at int64, mobile bool, h int64) []draft {
	r := newRng(derive(pl.key, subAttempt, uint64(j))) // #nosec G115 -- a key's bit pattern
	pair, dev, net := t.attemptTarget(&r, u, pl, j, mobile)
	st := outcomeStatuses[r.pick(outcomeWeights)]
	corr := r.uuid()
	first := t.pop.interactiveRecord(&r, dev, pair, net, st, u.guest)
	ds = appendEvent(ds, first, corr, at, h)
	if interrupted(st) || (st == st50126 && r.chance(0.7)) {
		retry := t.pop.interactiveRecord(&r, dev, pair, net, stSuccess, u.guest)
		ds = appendEvent(ds, retry, corr, at+r.span(5*second, maxFollowUp), h)
	}
	return ds
}

// attemptTarget picks the application, device record and network of an attempt.
func (t *Tenant) attemptTarget(r *rng, u *user, pl *dayPlan, j int, mobile bool) (*appPair, *SignIn, *netContext) {
	if mobile {
		return t.pop.mobileChoices.pick(r), u.mobile, pl.phone
	}
	var pair *appPair
	switch {
	case u.guest:
		pair = t.pop.guestChoices.pick(r)
	case j == 0 && u.windows:
		pair = windowsSignIn
	case j == 0:
		pair = sessOfficeHome
	default:
		pair = t.pop.deskChoices[u.role].pick(r)
	}
	if pair.native {
		return pair, u.deskNative, pl.desk
	}
	return pair, u.deskBrowser, pl.desk
}

// interactiveRecord builds an interactive sign-in from a user's device record.
func (p *population) interactiveRecord(r *rng, dev *SignIn, pair *appPair, net *netContext, st *Status, guest bool) *SignIn {
	rec := *dev
	rec.IsInteractive = true
	rec.SignInEventTypes = evInteractive
	setApp(&rec, pair)
	setNet(&rec, net)
	rec.ProcessingTimeInMilliseconds = 60 + r.intn(840)
	p.applyOutcome(&rec, st, net.trusted, guest)
	applyRisk(&rec, r)
	applyFederation(&rec)
	return &rec
}

// appendEvent appends a one-off sign-in if it falls in hour h. Its
// authentication steps get its createdDateTime when the record is built.
func appendEvent(ds []draft, rec *SignIn, corr uuid, at, h int64) []draft {
	if at < h || at >= h+hourTk {
		return ds
	}
	return append(ds, draft{tick: at - h, base: rec, corr: corr, stamp: true})
}
