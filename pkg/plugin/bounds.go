package plugin

import (
	"context"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// maxFuture is how far past now a range may end: "today" ends at midnight,
// and clocks differ, but nothing holds sign-ins of next week.
const maxFuture = 48 * time.Hour

// earliest is before any sign-in: Azure AD opened in 2010. A range starting
// earlier is a mistake (or a probe), and would plan windows back to year 1.
var earliest = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)

// span is what a replayed file holds: its time range [first, last], and how
// many of its rows per log type repeated a sign-in and were counted once.
type span struct {
	first, last time.Time
	collapsed   map[signin.LogType]int
}

// collapsedNotices say, for the log types of a query, that the replayed file
// listed sign-ins more than once: a user comparing with the workspace's row
// count would otherwise see different totals and no reason.
func (sp *span) collapsedNotices(types []signin.LogType) []string {
	if sp == nil {
		return nil
	}
	var out []string
	for _, t := range types {
		if n := sp.collapsed[t]; n > 0 {
			out = append(out, fmt.Sprintf("the replayed file lists %d %s sign-ins more than once (re-emitted when updated, or repeated by overlapping exports): each is counted once, in its latest version", n, t))
		}
	}
	return out
}

// checkRange refuses a range the source cannot hold, before any work: one
// longer than maxRangeDays, one ending more than maxFuture ahead, or, for
// Microsoft Graph, one starting before its retention. A replayed file holds
// what it holds: its ranges are clipped to it instead (clippedReader), so
// they are only bounded by the file.
func (ds *Datasource) checkRange(r query.Range) error {
	if !r.From.Before(r.To) {
		return fmt.Errorf("%w: the time range is empty", query.ErrInvalidQuery)
	}
	if ds.span != nil {
		return nil
	}
	now := time.Now()
	if r.From.Before(earliest) {
		return fmt.Errorf("%w: the time range starts %s, before Entra ID had sign-ins (%d)", query.ErrInvalidQuery, r.From.UTC().Format(time.RFC3339), earliest.Year())
	}
	if r.To.After(now.Add(maxFuture)) {
		return fmt.Errorf("%w: the time range ends %s, more than %s from now; no source holds sign-ins of the future",
			query.ErrInvalidQuery, r.To.UTC().Format(time.RFC3339), maxFuture)
	}
	if days := ds.settings.MaxRangeDays; r.To.Sub(r.From) > time.Duration(days)*24*time.Hour {
		return fmt.Errorf("%w: the time range is %.0f days long; at most %d (the datasource setting maxRangeDays raises it)",
			query.ErrInvalidQuery, r.To.Sub(r.From).Hours()/24, days)
	}
	return ds.checkRetention(r.From)
}

// checkRetention refuses ranges Microsoft Graph no longer has: it keeps sign-ins
// 30 days (P1/P2). The demo tenant and replayed files have no such limit.
func (ds *Datasource) checkRetention(from time.Time) error {
	if ds.settings.kind().old() != refuseOld {
		return nil
	}
	oldest := time.Now().Add(-time.Duration(ds.settings.RetentionDays) * 24 * time.Hour)
	if from.Before(oldest) {
		return fmt.Errorf("%w: the time range starts %s, before the %d days Microsoft Graph keeps sign-in logs; choose a range after %s",
			query.ErrInvalidQuery, from.UTC().Format(time.RFC3339), ds.settings.RetentionDays, oldest.UTC().Format(time.RFC3339))
	}
	return nil
}

// reader is what the engine reads: the store, clipped to what the source
// holds — a replayed file's span, or a workspace's retention — so that a
// range reaching past it plans and loads no window there.
func (ds *Datasource) reader() query.Reader {
	switch {
	case ds.span != nil:
		from, to := ds.span.first, ds.span.last.Add(time.Nanosecond)
		return clippedReader{st: ds.store, bounds: func() (time.Time, time.Time) { return from, to }}
	case ds.settings.kind().old() == clipOld:
		return clippedReader{st: ds.store, bounds: ds.retained}
	}
	return ds.store
}

// retained is what a workspace keeps: its last retentionDays.
func (ds *Datasource) retained() (time.Time, time.Time) {
	return time.Now().Add(-time.Duration(ds.settings.RetentionDays) * 24 * time.Hour), farFuture
}

var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// retentionNotice says that the part of r before what a workspace keeps is
// empty, rather than refusing the range as Graph's retention does: a
// workspace's retention is the admin's choice, and a range reaching past it
// still has its recent part.
func (ds *Datasource) retentionNotice(r query.Range) []string {
	if ds.settings.kind().old() != clipOld {
		return nil
	}
	if oldest, _ := ds.retained(); r.From.Before(oldest) {
		return []string{fmt.Sprintf("the workspace keeps %d days of sign-ins (retentionDays): the range before %s is empty",
			ds.settings.RetentionDays, oldest.UTC().Format(time.RFC3339))}
	}
	return nil
}

// clippedReader scans only the bounds of the store: a query over a year of a
// replayed day plans and loads one day's windows, not a year's. Like the
// store, it hands the engine closed days counted per profile.
type clippedReader struct {
	st     *store.Store
	bounds func() (from, to time.Time)
}

// The engine reads days counted per profile from readers that have them.
var (
	_ query.DayReader = clippedReader{}
	_ query.DayReader = (*store.Store)(nil)
)

func (c clippedReader) clip(from, to time.Time) (time.Time, time.Time, bool) {
	lo, hi := c.bounds()
	if from.Before(lo) {
		from = lo
	}
	if to.After(hi) {
		to = hi
	}
	return from, to, from.Before(to)
}

func (c clippedReader) Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *block.Block, lo, hi int)) error {
	return c.ScanDays(ctx, t, from, to, nil, fn)
}

// ScanDays is Scan that passes the store's closed days counted per profile
// on, so clipped ranges read them as the store's own do.
func (c clippedReader) ScanDays(ctx context.Context, t signin.LogType, from, to time.Time,
	day func(time.Time, []block.ProfileCounts), fn func(b *block.Block, lo, hi int)) error {
	from, to, ok := c.clip(from, to)
	if !ok {
		return nil
	}
	return c.st.ScanDays(ctx, t, from, to, day, fn)
}

func (c clippedReader) Windows(from, to time.Time) int {
	from, to, ok := c.clip(from, to)
	if !ok {
		return 0
	}
	return c.st.Windows(from, to)
}
