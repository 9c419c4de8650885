package graphsim

import (
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// aggregates computes a summarize without by over every row: count(), and
// max or min of TimeGenerated or CreatedDateTime (zero when there are no
// rows, which the answer writes as null). No record is decoded.
func (ws *workspace) aggregates(q *wsQuery) (count int64, times []time.Time, err error) {
	times = make([]time.Time, len(q.plan.Aggregates))
	err = ws.eachRow(q, func(row laRow) bool {
		count++
		for i, a := range q.plan.Aggregates {
			if a.Func == "count" {
				continue
			}
			t := row.ingested
			if a.Column == "CreatedDateTime" {
				t = row.rec.Created
			}
			if times[i].IsZero() || a.Func == "max" && t.After(times[i]) || a.Func == "min" && t.Before(times[i]) {
				times[i] = t
			}
		}
		return true
	})
	return count, times, err
}

// writeAggregates writes the one row of a summarize without by.
func writeAggregates(b *answerBuf, aggs []kql.Aggregate, count int64, times []time.Time) {
	b.out = append(b.out, '[')
	for i, a := range aggs {
		if i > 0 {
			b.out = append(b.out, ',')
		}
		switch {
		case a.Func == "count":
			b.out = appendInt(b.out, count)
		case times[i].IsZero():
			b.null()
		default:
			b.datetime(times[i])
		}
	}
	b.out = append(b.out, ']')
}
