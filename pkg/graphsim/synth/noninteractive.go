package synth

// refreshJitter is how far a token refresh strays from its hourly schedule.
const refreshJitter = 90 * second

// nonInteractive generates the token refreshes of hour h. Every open session
// refreshes about hourly, and all refreshes of a session on a day are
// identical but for time and id (same user, app, resource, address, status,
// correlation id), which is what lets the portal collapse them into one row.
func (t *Tenant) nonInteractive(h int64) []draft {
	ds := make([]draft, 0, 6*len(t.pop.users))
	for _, u := range t.pop.users {
		day, ok := localDay(u, h)
		if !ok {
			continue
		}
		pl := t.pop.plan(t.key, u, day)
		if pl.works {
			ds = deskRefreshes(ds, u, &pl, h)
		}
		if pl.phone != nil {
			ds = phoneRefreshes(ds, u, &pl, h)
		}
	}
	return ds
}

// deskRefreshes: core sessions live the whole working window; the others are
// opened some time in the day and kept for one to five hours.
func deskRefreshes(ds []draft, u *user, pl *dayPlan, h int64) []draft {
	for i, s := range u.sessions {
		key := derive(pl.key, subDeskSession, uint64(i)) // #nosec G115 -- a key's bit pattern
		r := newRng(key)
		var begin, end int64
		if i < u.coreSessions {
			begin, end = pl.start+r.span(0, 15*minute), pl.end
		} else {
			begin = pl.start + r.span(0, (pl.end-pl.start)*4/5)
			end = min(pl.end, begin+r.span(hourTk, 5*hourTk))
		}
		d := draft{base: u.deskBrowser, app: s, net: pl.desk, corr: uuidOf(derive(key, subCorrelation))}
		if s.native {
			d.base = u.deskNative
		}
		if i == pl.failing {
			d.status = pl.failStatus
		}
		ds = appendRefreshes(ds, d, key, begin, end, h)
	}
	return ds
}

// phoneRefreshes: on working days phone apps refresh from morning to night;
// on days off half of them are opened at all, for a few hours.
func phoneRefreshes(ds []draft, u *user, pl *dayPlan, h int64) []draft {
	for i, s := range u.mobileSessions {
		key := derive(pl.key, subPhoneSession, uint64(i)) // #nosec G115 -- a key's bit pattern
		r := newRng(key)
		begin, end := pl.phoneFrom+r.span(0, 30*minute), pl.phoneTo
		if !pl.works {
			begin += r.span(2*hourTk, 4*hourTk)
			end = min(end, begin+r.span(2*hourTk, 6*hourTk))
			if r.chance(0.5) {
				continue
			}
		}
		d := draft{base: u.mobile, app: s, net: pl.phone, corr: uuidOf(derive(key, subCorrelation))}
		ds = appendRefreshes(ds, d, key, begin, end, h)
	}
	return ds
}

// appendRefreshes appends the refreshes of one session in [begin, end) that
// fall in hour h: the k-th is k hours after begin, give or take the jitter.
func appendRefreshes(ds []draft, d draft, key uint64, begin, end, h int64) []draft {
	k := max(0, floorDiv(h-refreshJitter-begin, hourTk))
	for ; ; k++ {
		at := begin + k*hourTk
		if at-refreshJitter >= h+hourTk || at-refreshJitter >= end {
			return ds
		}
		if k > 0 {
			at += int64(derive(key, subRefresh, uint64(k))%uint64(2*refreshJitter)) - refreshJitter // #nosec G115 -- a remainder below 2*refreshJitter
		}
		if at >= h && at < h+hourTk && at < end {
			d.tick = at - h
			ds = append(ds, d)
		}
	}
}
