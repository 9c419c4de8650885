package query

import (
	"context"
	"fmt"
	"sort"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// LogLines are sign-ins for Explore, newest first.
type LogLines struct {
	Events  []signin.Event
	Matched int // sign-ins that matched; more than len(Events) when cut by the limit
}

// ring keeps the last n references of an ascending stream: the newest n.
type ring struct {
	refs  []ref
	next  int
	count int
}

type ref struct {
	b *block.Block
	i int
}

func (r *ring) push(x ref) {
	r.count++
	if len(r.refs) < cap(r.refs) {
		r.refs = append(r.refs, x)
		return
	}
	r.refs[r.next] = x
	r.next = (r.next + 1) % len(r.refs)
}

// Logs answers a logs query: the newest Limit matching sign-ins, newest first.
// Blocks arrive oldest first and sorted inside, so a ring of Limit references is
// all the memory a scan of any range needs.
func (e *Engine) Logs(ctx context.Context, q Query, r Range) (Result, error) {
	// The rings and the lines they become are known in advance: reserve them
	// at the start, waiting for memory rather than failing.
	acct := e.guard.Account()
	defer acct.Close()
	if err := acct.Wait(ctx, int64(len(q.LogTypes))*int64(q.Limit)*logLineBytes); err != nil {
		return Result{}, fmt.Errorf("waiting for query memory: %w", err)
	}
	// One ring per log type: each type's blocks arrive in time order, but the
	// types arrive one after the other.
	rings := make(map[signin.LogType]*ring)
	partial, err := splitPartial(e.scanMatching(ctx, q, r.From, r.To, func(b *block.Block, lo, hi int, pass []bool) {
		buf := rings[b.LogType]
		if buf == nil {
			buf = &ring{refs: make([]ref, 0, q.Limit)}
			rings[b.LogType] = buf
		}
		for i := lo; i < hi; i++ {
			if pass[b.Profile.At(i)] {
				buf.push(ref{b, i})
			}
		}
	}))
	if err != nil {
		return Result{}, err
	}
	lines := &LogLines{}
	for _, buf := range rings {
		lines.Matched += buf.count
		for _, x := range buf.refs {
			lines.Events = append(lines.Events, x.b.Event(x.i))
		}
	}
	sort.Slice(lines.Events, func(i, j int) bool {
		if !lines.Events[i].Created.Equal(lines.Events[j].Created) {
			return lines.Events[i].Created.After(lines.Events[j].Created)
		}
		return lines.Events[i].ID > lines.Events[j].ID
	})
	if len(lines.Events) > q.Limit {
		lines.Events = lines.Events[:q.Limit]
	}
	res := Result{Logs: lines, Partial: partial}
	if lines.Matched > len(lines.Events) {
		res.Notices = append(res.Notices, fmt.Sprintf("showing the newest %d of %d sign-ins; raise the limit (at most %d) or narrow the range or filters", len(lines.Events), lines.Matched, MaxLimit))
	}
	return res, nil
}
