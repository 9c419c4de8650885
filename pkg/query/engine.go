package query

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Reader gives the engine the sign-ins of one log type created in [from, to), as
// the store's columnar blocks with the index range inside [from, to).
// *store.Store implements it; a Scan that answers part of the range returns
// an error with a PartialLoad() (loaded, total int) method.
type Reader interface {
	Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *block.Block, lo, hi int)) error
	// Windows is how many windows a Scan of [from, to) covers: a log type
	// scanned whole counts them all in a partial answer's Loaded and Total.
	Windows(from, to time.Time) int
}

// Engine answers queries over a Reader.
type Engine struct {
	r      Reader
	limits Limits
	guard  *memoryGuard // process-wide memory ceiling of queries; nil for none (memory.go)
	plans  *planCache   // plans kept across queries (plancache.go)
	// routing sends aggregations to a counter (counted.go); nil for none.
	routing *Routing
	// noDays makes aggregations read every sign-in, never a reader's days
	// counted per profile (days.go) nor partials (partial.go): tests
	// compare the two.
	noDays bool
}

// Option configures an Engine.
type Option func(*Engine)

// withMaxGroups bounds the groups one aggregation keeps (default MaxGroups);
// those found beyond it are summed up as "other" with a notice.
func withMaxGroups(n int) Option {
	return func(e *Engine) {
		if n > 0 {
			e.limits.MaxGroups = n
		}
	}
}

// WithLimits sets the bounds of every query; zero fields keep the defaults.
func WithLimits(l Limits) Option {
	return func(e *Engine) { e.limits = l.withDefaults() }
}

// New returns an engine reading from r.
func New(r Reader, opts ...Option) *Engine {
	e := &Engine{r: r, limits: DefaultLimits(), plans: newPlanCache(defaultPlanCacheBytes)}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Limits returns the engine's bounds, for parsing queries against them.
func (e *Engine) Limits() Limits { return e.limits }

// Range is a query's time range and the panel's interval.
type Range struct {
	From, To time.Time
	Interval time.Duration
}

// scanMatching calls fn for each block of each of the query's log types with the
// filter verdicts of the block's profile table, settled for the sign-ins
// [lo, hi): filters are evaluated once per distinct profile and query, not once
// per sign-in, which is what keeps scans of millions cheap.
//
// When the store can only answer part of the range in its time budget, the
// loaded part is scanned and a *Partial (summed over log types) is
// returned; callers finish their answer and mark it partial.
func (e *Engine) scanMatching(ctx context.Context, q Query, from, to time.Time, fn func(b *block.Block, lo, hi int, pass []bool)) error {
	filter := newProfileFilter(q.Filters)
	return e.scan(ctx, q, from, to, func(b *block.Block, lo, hi int) {
		fn(b, lo, hi, filter.of(b, lo, hi))
	})
}

// scan calls fn for each block of each of the query's log types, with partial
// answers as scanMatching. A partial answer counts the windows of the log
// types scanned whole too: Loaded of Total must say how much of the whole
// query is answered, not only of its partial log types.
func (e *Engine) scan(ctx context.Context, q Query, from, to time.Time, fn func(b *block.Block, lo, hi int)) error {
	return e.scanDays(ctx, q, from, to, nil, fn)
}

// scanDays is scan that hands closed UTC days to day, counted per profile,
// when the reader keeps them (days.go); a nil day, or a reader without them,
// scans every block.
func (e *Engine) scanDays(ctx context.Context, q Query, from, to time.Time, day func(time.Time, []block.ProfileCounts), fn func(b *block.Block, lo, hi int)) error {
	read := e.r.Scan
	if dr, ok := e.r.(DayReader); ok && day != nil {
		read = func(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *block.Block, lo, hi int)) error {
			return dr.ScanDays(ctx, t, from, to, day, fn)
		}
	}
	var partial *Partial
	whole := 0 // windows of the log types scanned whole
	for _, t := range q.LogTypes {
		err := read(ctx, t, from, to, fn)
		var pl partialLoad
		if errors.As(err, &pl) {
			partial = partial.add(pl.PartialLoad())
			continue
		}
		if err != nil {
			return err
		}
		whole += e.r.Windows(from, to)
	}
	if partial == nil {
		return nil
	}
	return partial.add(whole, whole)
}

// Partial says how much of an answer's range was loaded when the reader
// could answer only part of it in its time budget: Loaded of Total windows.
// The rest goes on loading; the answer must not pass as complete.
type Partial struct {
	Loaded, Total int
}

func (p *Partial) Error() string {
	return fmt.Sprintf("partial answer: %d of %d windows loaded", p.Loaded, p.Total)
}

// partialLoad is a reader's error that says it answered part of a range
// (the store's *PartialError): how many of the range's windows it loaded.
type partialLoad interface {
	error
	PartialLoad() (loaded, total int)
}

// add sums windows into a partial answer, starting one from nil.
func (p *Partial) add(loaded, total int) *Partial {
	if p == nil {
		p = &Partial{}
	}
	p.Loaded += loaded
	p.Total += total
	return p
}

// PartialLoad makes a *Partial a partialLoad, as a reader's partial answer is.
func (p *Partial) PartialLoad() (loaded, total int) { return p.Loaded, p.Total }

// IsPartial reports whether err is a partial answer, the reader's or the
// engine's: part of the range is loaded and the rest goes on loading.
func IsPartial(err error) bool {
	var pl partialLoad
	return errors.As(err, &pl)
}

// splitPartial separates a partial answer, the reader's or the engine's, from
// a failure.
func splitPartial(err error) (*Partial, error) {
	var pl partialLoad
	if errors.As(err, &pl) {
		return new(Partial).add(pl.PartialLoad()), nil
	}
	return nil, err
}
