package graphsim

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// The push-down stages (kql.Grouping): the latest version of each sign-in,
// kept by the filter, counted by the grouping's keys.

// groupCount is one row of a grouping's answer.
type groupCount struct {
	keys  []string    // the string keys, in the grouping's order ("" for a bin)
	bins  []time.Time // the bin keys, by the same index
	count int64
}

// grouped counts the rows of q by its plan's grouping.
func (ws *workspace) grouped(q *wsQuery) ([]*groupCount, error) {
	rows, _, err := ws.rows(q, math.MaxInt)
	if err != nil {
		return nil, err
	}
	g := q.plan.Grouping
	at := make(map[string]*groupCount)
	for i := range rows {
		v := rowValues{row: &rows[i], table: q.table}
		if q.plan.Filter != nil && !v.holds(q.plan.Filter) {
			continue
		}
		gc := &groupCount{keys: make([]string, len(g.Keys)), bins: make([]time.Time, len(g.Keys))}
		for k, key := range g.Keys {
			if key.Bin > 0 {
				gc.bins[k] = rows[i].rec.Created.Truncate(key.Bin) // ticks since 0001-01-01, as Kusto bins
			} else {
				gc.keys[k] = v.get(key.Column)
			}
		}
		id := groupID(gc)
		if seen := at[id]; seen != nil {
			gc = seen
		} else {
			at[id] = gc
		}
		gc.count++
		rows[i].si = nil
	}
	if len(g.Keys) == 0 && len(at) == 0 {
		return []*groupCount{{}}, nil // a summarize without by answers one row, 0
	}
	return sortedGroups(at), nil
}

func groupID(gc *groupCount) string {
	var b strings.Builder
	for k := range gc.keys {
		b.WriteString(gc.keys[k])
		b.WriteByte(0)
		b.WriteString(strconv.FormatInt(gc.bins[k].UnixNano(), 10))
		b.WriteByte(0)
	}
	return b.String()
}

// sortedGroups orders the answer's rows by their keys, so answers are stable.
func sortedGroups(at map[string]*groupCount) []*groupCount {
	ids := make([]string, 0, len(at))
	for id := range at {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]*groupCount, len(ids))
	for i, id := range ids {
		out[i] = at[id]
	}
	return out
}

// writeGroups writes a grouping's rows, cut at maxRows rows or maxBytes
// bytes as any answer is.
func writeGroups(b *answerBuf, g *kql.Grouping, groups []*groupCount, maxRows, maxBytes int) []byte {
	start, partial := len(b.out), ""
	for i, gc := range groups {
		if i == maxRows {
			partial = fmt.Sprintf("Query result set has exceeded the internal record count limit %d records", maxRows)
			break
		}
		mark := len(b.out)
		if i > 0 {
			b.out = append(b.out, ',')
		}
		b.out = append(b.out, '[')
		for k, key := range g.Keys {
			if key.Bin > 0 {
				b.datetime(gc.bins[k])
			} else {
				b.str(gc.keys[k])
			}
			b.out = append(b.out, ',')
		}
		b.out = appendInt(b.out, gc.count)
		b.out = append(b.out, ']')
		if len(b.out)-start > maxBytes {
			b.out = b.out[:mark]
			partial = fmt.Sprintf("Query result set has exceeded the internal data size limit %d bytes", maxBytes)
			break
		}
	}
	return b.finish(partial)
}

// rowValues reads a row's string columns as the answer would carry them.
type rowValues struct {
	row   *laRow
	table *schema
	buf   answerBuf
}

// get is the column's value as a string: the cell written and read back.
func (v *rowValues) get(column string) string {
	c := v.table.byName[column]
	if c == nil {
		return ""
	}
	v.buf.out = v.buf.out[:0]
	c.cell(&v.buf, v.row)
	var s string
	if json.Unmarshal(v.buf.out, &s) != nil {
		return ""
	}
	return s
}

// holds evaluates a checked filter condition (kql.Check admits only these forms).
func (v *rowValues) holds(e kql.Expr) bool {
	switch x := e.(type) {
	case kql.Logical:
		if x.Op == "and" {
			return v.holds(x.Left) && v.holds(x.Right)
		}
		return v.holds(x.Left) || v.holds(x.Right)
	case kql.Not:
		return !v.holds(x.Cond)
	case kql.In:
		got := v.get(x.Left.(kql.Column).Text)
		for _, lit := range x.Values {
			if got == lit.(kql.String).Value {
				return true
			}
		}
		return false
	case kql.Compare:
		got, want := v.get(x.Left.(kql.Column).Text), x.Right.(kql.String).Value
		switch x.Op {
		case "==":
			return got == want
		case "!=":
			return got != want
		case "startswith_cs":
			return strings.HasPrefix(got, want)
		}
	}
	return false
}
