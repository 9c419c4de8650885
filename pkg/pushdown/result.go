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

// Result reads the workspace's answers (of the range's parts) into the result the engine gives for
// the same sign-ins: the top groups by the metric over the range (ties by
// labels), the rest folded into "other" with exact distinct counts, series
// zero-filled. lim are the engine's limits: more groups than MaxGroups is
// an error naming the setting, not a fold, since the workspace's answer is
// already bounded by the rows it may return.
func (p *Plan) Result(answers []loganalytics.Answer, lim query.Limits) (query.Result, error) {
	c, err := p.read(answers)
	if err != nil {
		return query.Result{}, err
	}
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
	res := query.Result{Notices: p.notices(len(c.order), limit)}
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
func (p *Plan) notices(groups, limit int) []string {
	out := []string{fmt.Sprintf("Computed in the Log Analytics workspace: %s sign-ins created %s to %s", p.LogType, p.From.Format(time.RFC3339), p.To.Format(time.RFC3339))}
	if limit > 0 && groups > limit {
		if p.query.DropOther {
			return append(out, fmt.Sprintf("%d groups; only the top %d by %s are evaluated", groups, limit, p.query.Metric))
		}
		out = append(out, fmt.Sprintf("%d groups; the top %d by %s are shown, the others are summed up as %q", groups, limit, p.query.Metric, query.OtherLabel))
	}
	return out
}
