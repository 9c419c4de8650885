package graphsim

import (
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// wsQuery is one checked query being answered.
type wsQuery struct {
	plan  *kql.Plan
	table *schema
	span  timespan
	now   time.Time
	ctx   *rowContext
}

// eachRow calls fn with every row of the query's table the workspace holds
// at now: created and ingested in the where's ranges and as long after
// each other as its lag bound says, ingested by now and within the
// timespan, in CreatedDateTime order (then Id, then TimeGenerated). It
// reads only the hours the bounds leave, through Source.Hour; fn returns
// false to stop.
func (ws *workspace) eachRow(q *wsQuery, fn func(laRow) bool) error {
	lo, hi := ws.hours(q)
	for hour := lo; hour.Before(hi); hour = hour.Add(time.Hour) {
		recs, err := ws.src.Hour(q.table.logType, hour)
		if err != nil {
			return fmt.Errorf("graphsim: %s rows of %s: %w", q.table.name, hour.Format(time.RFC3339), err)
		}
		for i := len(recs) - 1; i >= 0; i-- { // the Source lists newest first
			rec := &recs[i]
			if !q.plan.Created.Contains(rec.Created) {
				continue
			}
			for _, v := range versionsOf(rec, q.table.reemits, ws.lateBy(rec.ID)) {
				if !q.holds(rec, v.ingested) {
					continue
				}
				if !fn(laRow{rec: rec, ingested: v.ingested, earlier: v.earlier, revised: v.revised, ctx: q.ctx}) {
					return nil
				}
			}
		}
	}
	return nil
}

// holds reports whether the row of rec ingested at ingested is one the
// query reads: there by now, within the timespan and the where's bounds on
// TimeGenerated and on the lag.
func (q *wsQuery) holds(rec *Record, ingested time.Time) bool {
	return !ingested.After(q.now) && q.span.contains(ingested) && q.plan.Ingested.Contains(ingested) &&
		q.plan.Lag.Contains(ingested, rec.Created)
}

// hours returns the first hour to read and the time to read up to. A row is
// ingested at least ingestMin after its sign-in and, but for a revision's,
// at most maxIngestLag (plus LateBy) after it, so bounds on TimeGenerated
// (the where's, the timespan, now) narrow the CreatedDateTime range from
// both ends. A revision's row can come any time later, so when the query
// bounds CreatedDateTime from below, that bound alone sets where to start:
// the plugin's listing, count and late-row queries do, and find every
// revised row. A query that does not (one on TimeGenerated alone, as the
// listing of a table without CreatedDateTime) misses the revised rows of
// sign-ins more than maxIngestLag (plus LateBy) older than its lower
// TimeGenerated bound or timespan start. Without a lower bound a replayed file is read from
// its first sign-in, a synthetic tenant for WorkspaceRetention.
func (ws *workspace) hours(q *wsQuery) (time.Time, time.Time) {
	lo, hi := q.now.Add(-WorkspaceRetention), q.now.Add(-ingestMin+time.Nanosecond)
	if replay, ok := ReplayOf(ws.src); ok {
		lo, hi = replay.First, minTime(hi, replay.Last.Add(time.Nanosecond))
	}
	lag := maxIngestLag + ws.late.LateBy
	if q.plan.Created.HasFrom {
		lag = -1 // the lower bound on TimeGenerated does not narrow
	}
	lo, hi = narrowCreated(lo, hi, q.plan.Created, 0, 0)
	lo, hi = narrowCreated(lo, hi, q.plan.Ingested, lag, ingestMin)
	if q.span.set {
		lo, hi = narrowCreated(lo, hi, kql.Range{From: q.span.start, To: q.span.end, HasFrom: true, HasTo: true}, lag, ingestMin)
	}
	return lo.Truncate(time.Hour), hi
}

// narrowCreated narrows the creation times [lo, hi) by a range of times
// that come between minLag and maxLag after the creation; a negative maxLag
// is no upper bound on the lag, so the range's start does not narrow.
func narrowCreated(lo, hi time.Time, r kql.Range, maxLag, minLag time.Duration) (time.Time, time.Time) {
	if r.HasFrom && maxLag >= 0 {
		lo = maxTime(lo, r.From.Add(-maxLag))
	}
	if r.HasTo {
		end := r.To
		if r.ToIncluded {
			end = end.Add(time.Nanosecond)
		}
		hi = minTime(hi, end.Add(-minLag))
	}
	return lo, hi
}

// lateBy is how much later than the model the sign-in's rows arrive: LateBy
// for the ones Faults.IsLate picks, as Graph lists them late too.
func (ws *workspace) lateBy(id string) time.Duration {
	if ws.late.IsLate(id) {
		return ws.late.LateBy
	}
	return 0
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// rows gathers the rows of a query without aggregates: with arg_max, the
// latest version of each Id. More than limit rows means the answer is cut:
// it stops there and reports it.
func (ws *workspace) rows(q *wsQuery, limit int) ([]laRow, bool, error) {
	var rows []laRow
	var latest map[string]int
	if q.plan.Latest {
		latest = make(map[string]int)
	}
	over := false
	err := ws.eachRow(q, func(row laRow) bool {
		if latest != nil {
			if i, seen := latest[row.rec.ID]; seen {
				if row.ingested.After(rows[i].ingested) {
					rows[i] = row
				}
				return true
			}
			latest[row.rec.ID] = len(rows)
		}
		if len(rows) == limit {
			over = true
			return false
		}
		rows = append(rows, row)
		return true
	})
	return rows, over, err
}
