package query

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// portalKeys are the fields the Entra portal groups each log type's sign-ins by
// within a time-aggregate window (README, "Formats": grouped). Ids rather than names, because
// the portal's "name or ID" means the identity, and ids do not change. Interactive
// sign-ins are not grouped.
var portalKeys = map[signin.LogType][]signin.Dimension{
	signin.NonInteractive:   {signin.DimAppID, signin.DimUserID, signin.DimIPAddress, signin.DimStatus, signin.DimResourceID},
	signin.ServicePrincipal: {signin.DimServicePrincipalID, signin.DimStatus, signin.DimIPAddress, signin.DimResourceID},
	signin.ManagedIdentity:  {signin.DimServicePrincipalID, signin.DimStatus, signin.DimResourceID},
}

// portalColumns are the columns a grouped row shows for each log type: the keys
// and their names.
var portalColumns = map[signin.LogType][]signin.Dimension{
	signin.Interactive: {signin.DimUser, signin.DimApp, signin.DimIPAddress, signin.DimStatus, signin.DimErrorCode,
		signin.DimResource, signin.DimCountry, signin.DimCity, signin.DimConditionalAccess, signin.DimAuthRequirement},
	signin.NonInteractive:   {signin.DimApp, signin.DimAppID, signin.DimUser, signin.DimUserID, signin.DimIPAddress, signin.DimStatus, signin.DimResource, signin.DimResourceID},
	signin.ServicePrincipal: {signin.DimServicePrincipal, signin.DimServicePrincipalID, signin.DimStatus, signin.DimIPAddress, signin.DimResource, signin.DimResourceID},
	signin.ManagedIdentity:  {signin.DimManagedIdentity, signin.DimServicePrincipalID, signin.DimStatus, signin.DimResource, signin.DimResourceID, signin.DimMsiType, signin.DimAssociatedResource},
}

// GroupedTable is the portal's aggregated view of one log type.
type GroupedTable struct {
	LogType   signin.LogType
	Window    time.Duration // the time aggregate
	Keys      []string      // the grouping key dimensions (empty for interactive)
	Columns   []string      // the dimensions shown
	Rows      []GroupedRow
	Truncated int // rows left out by the limit
}

// GroupedRow is one group of sign-ins within one window.
type GroupedRow struct {
	WindowStart time.Time
	Values      []string // per Columns
	KeyValues   []string // per Keys
	Count       int64
	First, Last time.Time
}

type groupedAcc struct {
	row   *GroupedRow
	first int64
	last  int64
}

// Grouped answers a grouped query: rows per (window, portal key) with the number
// of sign-ins and the first and last sign-in time, latest first. Interactive
// sign-ins get one row each, as in the portal.
func (e *Engine) Grouped(ctx context.Context, q Query, r Range) (Result, error) {
	t := q.LogTypes[0]
	size := q.TimeAggregate
	if size == 0 {
		size = time.Hour
	}
	gt := &GroupedTable{LogType: t, Window: size}
	for _, d := range portalKeys[t] {
		gt.Keys = append(gt.Keys, d.String())
	}
	for _, d := range portalColumns[t] {
		gt.Columns = append(gt.Columns, d.String())
	}
	acc := newGroupedAcc(q.Limit, e.limits.MaxGroups)
	keys := newProfileKeys(portalKeys[t])
	partial, err := splitPartial(e.scanMatching(ctx, q, r.From, r.To, func(b *block.Block, lo, hi int, pass []bool) {
		for i := lo; i < hi; i++ {
			p := b.Profile.At(i)
			if !pass[p] {
				continue
			}
			acc.add(b, i, keys.of(b.Profiles, p), size, portalColumns[t], portalKeys[t])
		}
	}))
	if err != nil {
		return Result{}, err
	}
	return Result{Grouped: acc.finish(gt), Notices: acc.notices(gt, e.limits.MaxGroups), Partial: partial}, nil
}

// profileKeys computes each profile's grouping key once per query and table.
// Without key dimensions (interactive) every sign-in is its own row, keyed by
// its id and time, and the profile key is empty.
type profileKeys struct {
	dims   []signin.Dimension
	tables map[*block.Profiles][]*string
}

func newProfileKeys(dims []signin.Dimension) *profileKeys {
	return &profileKeys{dims: dims, tables: make(map[*block.Profiles][]*string)}
}

func (pk *profileKeys) of(t *block.Profiles, p uint32) string {
	if len(pk.dims) == 0 {
		return ""
	}
	keys := pk.tables[t]
	if int(p) >= len(keys) {
		keys = append(keys, make([]*string, t.Len()-len(keys))...)
		pk.tables[t] = keys
	}
	if keys[p] == nil {
		var k []byte
		for _, d := range pk.dims {
			k = append(k, d.Value(t.At(p))...)
			k = append(k, 0)
		}
		key := string(k)
		keys[p] = &key
	}
	return *keys[p]
}

// groupedAccs holds the rows of a grouped answer while the scan runs. The
// blocks of one log type arrive oldest first, so every row of an older window
// ends before any row of a newer one: once the newer windows hold limit rows,
// the older windows' rows can never be shown and are dropped (only counted).
// The rows held stay near limit plus one window's, whatever the range.
type groupedAccs struct {
	limit, maxRows int
	windows        []int64 // the windows held, oldest first
	rows           map[int64]map[string]*groupedAcc
	held           int
	dropped        int // rows of older windows left out by the limit
	overflow       int // sign-ins of one window past maxRows, left out
}

func newGroupedAcc(limit, maxRows int) *groupedAccs {
	return &groupedAccs{limit: limit, maxRows: max(maxRows, limit), rows: make(map[int64]map[string]*groupedAcc)}
}

func (g *groupedAccs) add(b *block.Block, i int, key string, size time.Duration, cols, keyDims []signin.Dimension) {
	ts := b.Times.At(i)
	window := time.Unix(0, ts).UTC().Truncate(size)
	rows := g.window(window.UnixNano())
	full := key
	if len(keyDims) == 0 {
		full = b.IDs.At(i) + "\x00" + fmt.Sprint(ts)
	}
	a, ok := rows[full]
	if !ok {
		if g.held >= g.maxRows {
			g.overflow++
			return
		}
		prof := b.Profiles.At(b.Profile.At(i))
		row := &GroupedRow{WindowStart: window}
		for _, d := range cols {
			row.Values = append(row.Values, d.Value(prof))
		}
		for _, d := range keyDims {
			row.KeyValues = append(row.KeyValues, d.Value(prof))
		}
		a = &groupedAcc{row: row, first: ts, last: ts}
		rows[full] = a
		g.held++
	}
	a.row.Count++
	a.first = min(a.first, ts)
	a.last = max(a.last, ts)
}

// window returns the rows of the window starting at start, opening it (and
// dropping older windows no longer needed) when it is new.
func (g *groupedAccs) window(start int64) map[string]*groupedAcc {
	if rows := g.rows[start]; rows != nil {
		return rows
	}
	for len(g.windows) > 0 && g.held-len(g.rows[g.windows[0]]) >= g.limit {
		oldest := g.windows[0]
		g.held -= len(g.rows[oldest])
		g.dropped += len(g.rows[oldest])
		delete(g.rows, oldest)
		g.windows = g.windows[1:]
	}
	rows := make(map[string]*groupedAcc)
	g.rows[start] = rows
	g.windows = append(g.windows, start)
	return rows
}

// finish orders the rows held latest sign-in first (then by count), applies
// the limit and counts what it left out.
func (g *groupedAccs) finish(gt *GroupedTable) *GroupedTable {
	acc := make([]*groupedAcc, 0, g.held)
	for _, rows := range g.rows {
		for _, a := range rows {
			acc = append(acc, a)
		}
	}
	gt = finishGrouped(gt, acc, g.limit)
	gt.Truncated += g.dropped
	return gt
}

func (g *groupedAccs) notices(gt *GroupedTable, maxGroups int) []string {
	out := groupedNotices(gt)
	if g.overflow > 0 {
		out = append(out, fmt.Sprintf("more than %d rows in one time window: %d sign-ins of it are not shown; narrow the range or the filters, or raise the datasource's maxGroups", maxGroups, g.overflow))
	}
	return out
}

// finishGrouped orders rows latest sign-in first (then by count) and applies the limit.
func finishGrouped(gt *GroupedTable, rows []*groupedAcc, limit int) *GroupedTable {
	for _, a := range rows {
		a.row.First, a.row.Last = time.Unix(0, a.first).UTC(), time.Unix(0, a.last).UTC()
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].last != rows[j].last {
			return rows[i].last > rows[j].last
		}
		if rows[i].row.Count != rows[j].row.Count {
			return rows[i].row.Count > rows[j].row.Count
		}
		return fmt.Sprint(rows[i].row.Values) < fmt.Sprint(rows[j].row.Values)
	})
	if len(rows) > limit {
		gt.Truncated = len(rows) - limit
		rows = rows[:limit]
	}
	for _, a := range rows {
		gt.Rows = append(gt.Rows, *a.row)
	}
	return gt
}

func groupedNotices(gt *GroupedTable) []string {
	if gt.Truncated == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%d more rows not shown; raise the limit (at most %d) or narrow the filters", gt.Truncated, MaxLimit)}
}
