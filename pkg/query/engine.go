package query

import (
	"context"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// Reader gives the engine the sign-ins of one log type created in [from, to), as
// the store's columnar blocks with the index range inside [from, to).
// *store.Store implements it.
type Reader interface {
	Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *store.Block, lo, hi int)) error
}

// Engine answers queries over a Reader.
type Engine struct {
	r Reader
}

// New returns an engine reading from r.
func New(r Reader) *Engine { return &Engine{r: r} }

// Range is a query's time range and the panel's interval.
type Range struct {
	From, To time.Time
	Interval time.Duration
}

// scanMatching calls fn for each block of each of the query's log types with a
// per-profile pass mask: filters are evaluated once per distinct profile, not
// once per sign-in, which is what keeps scans of millions cheap.
func (e *Engine) scanMatching(ctx context.Context, q Query, from, to time.Time, fn func(b *store.Block, lo, hi int, pass []bool)) error {
	for _, t := range q.LogTypes {
		err := e.r.Scan(ctx, t, from, to, func(b *store.Block, lo, hi int) {
			pass := make([]bool, len(b.Profiles))
			for p := range b.Profiles {
				pass[p] = matchAll(q.Filters, &b.Profiles[p])
			}
			fn(b, lo, hi, pass)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
