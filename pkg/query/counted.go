package query

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ErrNotCounted says a Counter cannot answer a query exactly; the message
// names what (a dimension, an operator, a format). The engine then reads the
// store, which can answer every query.
var ErrNotCounted = errors.New("not answerable by counting")

// Counter answers aggregations from sign-ins counted outside the store — a
// Log Analytics workspace's summarize — so that the engine aggregates its
// rows as it aggregates the store's blocks: the same groups and buckets, the
// same bounds (maxGroups, maxCells, the memory guard) checked while reading,
// the same ranking, "other", metric values and notices. A counter decides
// what to ask and reads its answers; nothing of the aggregation is its own.
type Counter interface {
	// Plan plans q over r, or fails with an error wrapping ErrNotCounted that
	// names what it cannot count exactly.
	Plan(q Query, r Range) (Counting, error)
}

// Counting is a planned count.
type Counting interface {
	// Count calls add for each counted row, from any number of calls in turn
	// (never at once), and returns notices for the answer (where it was
	// computed). An error wrapping ErrNotCounted sends the query to the
	// store after all.
	Count(ctx context.Context, add CountFunc) (notices []string, err error)
}

// CountFunc takes n sign-ins like e — e holds the dimensions and the metric's
// key the query reads; the counter has applied every filter — created in the
// bucket starting at bucket (for a table, any time of the range). It fails
// when the row cannot be taken (a bucket outside the range); counting stops
// with that error.
type CountFunc func(e *signin.Event, bucket time.Time, n int64) error

// Routing sends a datasource's aggregations to a Counter.
type Routing struct {
	Counter Counter
	// After is the shortest range the counter answers: shorter ones are the
	// store's, whose cached windows answer them without asking. Zero: every
	// range.
	After time.Duration
	// Where names the counter in notices ("the workspace").
	Where string
	// Explain adds a notice to an answer read from the store although the
	// routing would have counted it, saying why.
	Explain bool
}

// WithRouting makes the engine answer the queries r routes by counting.
func WithRouting(r Routing) Option {
	return func(e *Engine) {
		if r.Counter != nil {
			e.routing = &r
		}
	}
}

// routed answers q over r: counted when the routing says so and the counter
// can, else from the store (answer's two feeds).
func (e *Engine) routed(ctx context.Context, q Query, r Range, answer func(context.Context, Query, Range, feed) (Result, error)) (Result, error) {
	rt := e.routing
	if rt == nil || r.To.Sub(r.From) < rt.After {
		return answer(ctx, q, r, e.scanned)
	}
	plan, err := rt.Counter.Plan(q, r)
	if err == nil {
		res, cerr := answer(ctx, q, r, counted(plan))
		if !errors.Is(cerr, ErrNotCounted) {
			return res, cerr
		}
		err = cerr
	}
	if !errors.Is(err, ErrNotCounted) {
		return Result{}, err
	}
	res, serr := answer(ctx, q, r, e.scanned)
	if rt.Explain && serr == nil {
		res.Notices = append(res.Notices, fmt.Sprintf("answered from the cache of windows, not in %s: %v", rt.Where, err))
	}
	return res, serr
}

// Counted answers q over r from c alone, never from the store: what Run
// answers when its routing counts q. Tests and benchmarks compare the two.
func (e *Engine) Counted(ctx context.Context, q Query, r Range, c Counter) (Result, error) {
	plan, err := c.Plan(q, r)
	if err != nil {
		return Result{}, err
	}
	switch q.Format {
	case Table:
		return e.table(ctx, q, r, counted(plan))
	case TimeSeries:
		return e.timeSeries(ctx, q, r, counted(plan))
	}
	return Result{}, fmt.Errorf("%w: format %s", ErrNotCounted, q.Format)
}

// feed fills an aggregation with the sign-ins of its query over [from, to):
// the store's blocks (scanned), or a counter's rows (counted).
type feed func(ctx context.Context, a *aggregation, from, to time.Time) (*Partial, error)

// scanned feeds the store's blocks.
func (e *Engine) scanned(ctx context.Context, a *aggregation, from, to time.Time) (*Partial, error) {
	a.noDays = a.noDays || e.noDays
	a.usePlanCache(e.plans)
	add := a.add
	if a.q.Metric.readsTimes() {
		add = a.addSeen
	}
	var day func(time.Time, []block.ProfileCounts)
	if a.readsDays() && !a.noDays {
		day = a.addDay
	}
	return splitPartial(e.scanDays(ctx, a.q, from, to, day, add))
}

// counted feeds a counter's rows. Each row is a profile of a table of the
// query's own, so the aggregation plans it as it plans the store's: the
// filters have been applied by the counter, the group, outcome and distinct
// key are the engine's. The table grows with the rows and is charged to the
// memory guard as it grows.
func counted(plan Counting) feed {
	return func(ctx context.Context, a *aggregation, _, _ time.Time) (*Partial, error) {
		a.filter = newProfileFilter(nil)
		t := block.NewProfiles()
		held := int64(t.Bytes())
		notices, err := plan.Count(ctx, func(e *signin.Event, bucket time.Time, n int64) error {
			k := (bucket.UnixNano() - a.first) / a.size
			if k < 0 || k >= int64(a.buckets) || n < 0 {
				return fmt.Errorf("a counted row of %d sign-ins at %s is outside the range's %d buckets", n, bucket.UTC().Format(time.RFC3339), a.buckets)
			}
			p := t.Intern(e)
			if size := int64(t.Bytes()); size > held {
				a.charge(size - held + countedRowBytes)
				held = size
			}
			a.addCounted(t, p, int32(k), n) // #nosec G115 -- 0 <= k < buckets <= maxCells (at most 10^8), checked above
			return a.err
		})
		a.notices = append(a.notices, notices...)
		return nil, err
	}
}

// countedRowBytes is what a counted profile holds besides its codes in the
// table: its slot in the aggregation's plan and its intern index entry.
const countedRowBytes = 64

// addCounted counts n sign-ins of profile p of table t in bucket k.
func (a *aggregation) addCounted(t *block.Profiles, p uint32, k int32, n int64) {
	if a.start() {
		a.addProfile(a.planOf(t), t, p, k, n)
	}
}

// addProfile counts n sign-ins of profile p of table t, planned in pl, in
// bucket k.
func (a *aggregation) addProfile(pl []slot, t *block.Profiles, p uint32, k int32, n int64) {
	if n == 0 {
		return
	}
	sl := &pl[p]
	if sl.group == unplanned {
		a.planProfile(sl, t, p)
	}
	switch {
	case sl.group == filteredOut:
	case sl.group <= firstMulti:
		for _, g := range a.multi[firstMulti-sl.group] {
			a.addTo(a.groups[g], k, sl, sl.value >= 0, a.buckets == 1, n)
		}
	default:
		a.addTo(a.groups[sl.group], k, sl, sl.value >= 0, a.buckets == 1, n)
	}
}
