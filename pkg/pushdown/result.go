package pushdown

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// answerShare is the engine's share of maxCells a time series may show.
const answerShare = 8

// Result reads the workspace's answers into the result the engine gives
// for the same sign-ins: answers[i] are the answers (of the range's parts)
// of plans[i], one plan per log type. Every table's rows are read into one
// set of groups before anything is ranked, so a distinct key seen in two
// tables counts once, as the engine counts it over all its log types. Then
// the top groups by the metric over the range (ties by labels), the rest
// folded into "other" with exact distinct counts, series zero-filled. lim
// are the engine's limits: more groups than MaxGroups is an error naming the
// setting, not a fold, since the workspace's answer is already bounded by
// the rows it may return.
func Result(plans []*Plan, answers [][]loganalytics.Answer, lim query.Limits) (query.Result, error) {
	if len(plans) == 0 || len(plans) != len(answers) {
		return query.Result{}, fmt.Errorf("push-down: %d plans for %d answers", len(plans), len(answers))
	}
	c := &counts{groups: map[string]*group{}}
	for i, p := range plans {
		if err := p.read(c, answers[i]); err != nil {
			return query.Result{}, fmt.Errorf("%s: %w", tables[p.LogType], err)
		}
	}
	return plans[0].finish(c, asked(plans), lim)
}

// asked are the log types of the plans asked.
func asked(plans []*Plan) []string {
	var out []string
	for _, p := range plans {
		if !p.Skip {
			out = append(out, p.LogType.String())
		}
	}
	return out
}

// finish ranks and folds the groups read: every plan of a query has the
// same query, range and buckets, so any of them may.
func (p *Plan) finish(c *counts, logTypes []string, lim query.Limits) (query.Result, error) {
	if lim.MaxGroups > 0 && len(c.order) > lim.MaxGroups {
		return query.Result{}, fmt.Errorf("%w: %d groups in the workspace's answer; at most %d (the datasource setting maxGroups): group by fewer dimensions or filter",
			query.ErrInvalidQuery, len(c.order), lim.MaxGroups)
	}
	limit := p.query.Limit
	if p.Size > 0 && lim.MaxCells > 0 {
		limit = min(limit, max(1, lim.MaxCells/answerShare/p.Buckets))
	}
	kept, other := p.fold(c.order, limit)
	if len(p.query.GroupBy) == 0 && len(kept) == 0 {
		kept = []*group{{labels: []string{}, cells: make([]cell, p.Buckets)}}
	}
	if other != nil {
		kept = append(kept, other)
	}
	res := query.Result{Notices: p.notices(logTypes, len(c.order), limit)}
	if p.Size == 0 {
		res.Table = p.table(kept)
	} else {
		for _, g := range kept {
			res.Series = append(res.Series, p.series(g))
		}
	}
	return res, nil
}

// fold ranks the groups and folds those beyond limit into "other".
func (p *Plan) fold(groups []*group, limit int) (kept []*group, other *group) {
	m := p.query.Metric
	sort.Slice(groups, func(i, j int) bool {
		vi, vj := value(m, &groups[i].whole), value(m, &groups[j].whole)
		if vi != vj {
			return vi > vj
		}
		return strings.Join(groups[i].labels, "\x00") < strings.Join(groups[j].labels, "\x00")
	})
	if limit <= 0 || len(groups) <= limit {
		return groups, nil
	}
	if p.query.DropOther {
		return groups[:limit], nil
	}
	other = &group{labels: make([]string, len(p.query.GroupBy)), cells: make([]cell, p.Buckets)}
	for i := range other.labels {
		other.labels[i] = query.OtherLabel
	}
	for _, g := range groups[limit:] {
		for k := range g.cells {
			other.cells[k].merge(&g.cells[k])
		}
		other.whole.merge(&g.whole)
	}
	return groups[:limit], other
}

func (p *Plan) table(groups []*group) *query.TableRows {
	t := &query.TableRows{Metric: string(p.query.Metric)}
	for _, d := range p.query.GroupBy {
		t.Columns = append(t.Columns, d.String())
	}
	for _, g := range groups {
		t.Rows = append(t.Rows, query.TableRow{Labels: g.labels, Value: value(p.query.Metric, &g.whole)})
	}
	return t
}

func (p *Plan) series(g *group) query.Series {
	s := query.Series{Name: string(p.query.Metric), Labels: make(map[string]string, len(g.labels)),
		Times: make([]time.Time, p.Buckets), Values: make([]float64, p.Buckets)}
	for i, d := range p.query.GroupBy {
		s.Labels[d.String()] = g.labels[i]
	}
	for k := range g.cells {
		s.Times[k] = p.First.Add(time.Duration(k) * p.Size)
		s.Values[k] = value(p.query.Metric, &g.cells[k])
	}
	return s
}

// value is the metric of a cell, with the engine's definitions: rates are
// percentages of all sign-ins, 0 without any.
func value(m query.Metric, c *cell) float64 {
	rate := func(n int64) float64 {
		if c.total == 0 {
			return 0
		}
		return 100 * float64(n) / float64(c.total)
	}
	switch m {
	case query.Successes:
		return float64(c.outcomes[signin.Success])
	case query.Failures:
		return float64(c.outcomes[signin.Failure])
	case query.Interrupts:
		return float64(c.outcomes[signin.Interrupted])
	case query.FailureRate:
		return rate(c.outcomes[signin.Failure])
	case query.SuccessRate:
		return rate(c.outcomes[signin.Success])
	}
	if m.IsDistinct() {
		return float64(len(c.distinct))
	}
	return float64(c.total)
}

// notices say where the answer was computed and what the limit did.
// logTypes are the tables asked: none when the filters exclude them all.
func (p *Plan) notices(logTypes []string, groups, limit int) []string {
	types := strings.Join(logTypes, ", ") + " sign-ins"
	if len(logTypes) == 0 {
		types = "no table asked, the filters exclude every log type's sign-ins"
	}
	out := []string{fmt.Sprintf("Computed in the Log Analytics workspace: %s created %s to %s", types, p.From.Format(time.RFC3339), p.To.Format(time.RFC3339))}
	if limit > 0 && groups > limit {
		if p.query.DropOther {
			return append(out, fmt.Sprintf("%d groups; only the top %d by %s are evaluated", groups, limit, p.query.Metric))
		}
		out = append(out, fmt.Sprintf("%d groups; the top %d by %s are shown, the others are summed up as %q", groups, limit, p.query.Metric, query.OtherLabel))
	}
	return out
}
