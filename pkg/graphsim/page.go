package graphsim

import (
	"fmt"
	"sort"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// retention is how far back a query without a lower createdDateTime bound
// reaches: the 30 days Entra ID P1/P2 keeps sign-ins.
const retention = 30 * 24 * time.Hour

// pageRequest is what one page needs: where to start, where to stop, which
// logs and which records.
type pageRequest struct {
	types  []signin.LogType
	filter *filter
	start  cursor    // serve records strictly after this, newest first
	from   time.Time // inclusive lower bound on Created
	top    int
	now    time.Time // the version of each record served is the one of now (Record.AsOf)
}

// newPageRequest resolves a query at a moment: a record is visible once
// now >= Created+delay, in its version of now, a query without a lower bound
// reaches back one retention, and a skip token resumes after the last record
// served.
func newPageRequest(q *listQuery, types typeSet, now time.Time, delay time.Duration) pageRequest {
	upper := now.Add(-delay).Add(time.Nanosecond) // exclusive: Created <= now-delay
	if !q.filter.to.IsZero() && q.filter.to.Before(upper) {
		upper = q.filter.to
	}
	pr := pageRequest{types: types.list(), filter: &q.filter, start: cursor{created: upper}, from: q.filter.from, top: q.top, now: now}
	if pr.from.IsZero() {
		pr.from = now.Add(-retention)
	}
	if q.after != nil && q.after.created.Before(upper) {
		pr.start = *q.after
	}
	return pr
}

// collectPage walks hours newest to oldest and returns up to top records and
// whether more follow. It reads one record beyond top to know that, so the
// last page never carries a nextLink; each hour is entered by binary search,
// so a page costs what it serves, not what precedes it. The filter tests
// the version served: a revision can move a sign-in in or out of a
// riskState filter, never in the order, as Created and ID never change.
func collectPage(src Source, pr pageRequest) ([]Record, bool, error) {
	out := make([]Record, 0, min(pr.top+1, 64))
	lastHour := pr.from.Truncate(time.Hour)
	for hour := pr.start.created.Truncate(time.Hour); !hour.Before(lastHour); hour = hour.Add(-time.Hour) {
		heads, err := hourHeads(src, pr.types, hour, pr.start)
		if err != nil {
			return nil, false, err
		}
		for rec := popNewest(heads); rec != nil; rec = popNewest(heads) {
			if rec.Created.Before(pr.from) {
				return out, false, nil
			}
			served := rec.servedAt(pr.now)
			if !pr.filter.match(served) {
				continue
			}
			if len(out) == pr.top {
				return out, true, nil
			}
			out = append(out, *served)
		}
	}
	return out, false, nil
}

// hourHeads returns, per log type, the records of one hour that come after
// start, each list still newest first.
func hourHeads(src Source, types []signin.LogType, hour time.Time, start cursor) ([][]Record, error) {
	heads := make([][]Record, 0, len(types))
	for _, lt := range types {
		recs, err := src.Hour(lt, hour)
		if err != nil {
			return nil, fmt.Errorf("%s sign-ins of %s: %w", lt, hour.Format(time.RFC3339), err)
		}
		i := sort.Search(len(recs), func(i int) bool { return start.before(&recs[i]) })
		if i < len(recs) {
			heads = append(heads, recs[i:])
		}
	}
	return heads, nil
}

// popNewest removes and returns the newest head record across the lists
// (a k-way merge of at most four), or nil when all are empty.
func popNewest(heads [][]Record) *Record {
	best := -1
	for i, h := range heads {
		if len(h) > 0 && (best < 0 || compareNewest(&h[0], &heads[best][0]) < 0) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	rec := &heads[best][0]
	heads[best] = heads[best][1:]
	return rec
}
