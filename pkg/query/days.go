package query

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// DayReader is a Reader that also hands over closed UTC days counted per
// profile (*store.Store, and the plugin's readers over it): an aggregation
// whose buckets each hold whole days reads a day's profiles with their
// counts, about a tenth as many entries as its sign-ins, and the answer is
// the same. A Reader without it is read sign-in by sign-in.
type DayReader interface {
	ScanDays(ctx context.Context, t signin.LogType, from, to time.Time,
		day func(start time.Time, counts []block.ProfileCounts), fn func(b *block.Block, lo, hi int)) error
}

const dayNanos = int64(24 * time.Hour)

// readsDays reports whether the aggregation can take days counted per
// profile: each whole day lies in one bucket (one bucket, or buckets of whole
// days from a midnight) and no metric needs a sign-in's own time.
func (a *aggregation) readsDays() bool {
	if a.q.Metric.readsTimes() {
		return false
	}
	return a.buckets == 1 || (a.size%dayNanos == 0 && a.first%dayNanos == 0)
}

// addDay folds a closed day, counted per profile, into the bucket holding it.
func (a *aggregation) addDay(start time.Time, counts []block.ProfileCounts) {
	if !a.start() {
		return
	}
	a.daysRead = true
	k := int32((start.UnixNano() - a.first) / a.size) // #nosec G115 -- the day lies in the query's range: k < buckets <= maxCells (at most 10^8)
	for _, c := range counts {
		if a.coded != nil {
			ct := a.codedOf(c.Profiles)
			if !a.countingPartials() || !a.addDayPartial(ct, c.Counts, k) {
				addCodedCounts(a, a.planned(ct), c.Counts, k)
			}
			continue
		}
		pl := a.planOf(c.Profiles)
		for p, n := range c.Counts {
			if n > 0 {
				a.addProfile(pl, c.Profiles, uint32(p), k, int64(n)) // #nosec G115 -- p indexes a profile table, ids are uint32
			}
		}
	}
}

// addCodedCounts is addCodedRun over counts per profile: counts[p] sign-ins
// of profile p, all in bucket k. It runs once per profile, not per sign-in,
// so it plans through groupOfCode rather than addCodedRun's inline checks.
// A day meets each profile once, so a distinct value is read from the
// table's column by its code, without the per-profile slots a read of
// blocks keeps (codedTable.distinct): those cost 8 bytes a profile and query.
func addCodedCounts(a *aggregation, ct *codedTable, counts []uint32, k int32) {
	single := a.buckets == 1
	plan := ct.snap.profiles
	var values *block.Column
	if a.distinct != nil {
		values = ct.table.Column(a.distinct.name, a.distinct.value) // covers counts: the day was counted before
	}
	for p, n := range counts {
		v := plan[p]
		if n == 0 || v < 0 { // v: filteredOutCode
			continue
		}
		if gid := a.groupOfCode(ct, v>>2); gid >= 0 {
			g := a.groups[gid]
			c := g.count(k, codedOutcome(v), int64(n), single)
			if values != nil {
				if id, _ := a.distinct.lookupCode(ct.table, values.Codes[p], true); a.distinct.values[id] != "" {
					g.countDistinct(c, id, single)
				}
			}
		}
	}
}
