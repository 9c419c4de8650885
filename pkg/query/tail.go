package query

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/memguard"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Tail follows a query's sign-ins as they arrive, for a live view: each call
// of Next returns the matching sign-ins that were not there at the call
// before, oldest first, each once. It remembers the ids it has passed over
// for as long as they may still be scanned (the lookback); a sign-in that
// arrives later than that after it was created is not seen by a tail, as it
// is not by the store's refreshes either.
//
// Ids rather than a time watermark: sign-ins arrive late and out of order, so
// one created before the newest delivered may still be new.
type Tail struct {
	e        *Engine
	q        Query
	lookback time.Duration
	seen     map[string]int64 // id → created (Unix ns), of sign-ins delivered or there at the start
	primed   bool             // the sign-ins there at the start are in seen

	// held charges seen to the memory guard for as long as the tail lives
	// (a busy log's lookback is tens of thousands of ids); Close releases it.
	held    *memguard.Account
	charged int64
}

// tailBatch is what one call of Tail.Next found.
type tailBatch struct {
	Events []signin.Event // new matching sign-ins, oldest first, at most the query's limit
	// Waiting counts new sign-ins beyond the limit, left for the next call:
	// a tail falls behind rather than skip or reorder.
	Waiting int
	// Partial is set when the store could not load the whole lookback in its
	// time budget; the rest comes in a later call.
	Partial *Partial
}

// Tail returns a tail of q over the last lookback of each call's now.
func (e *Engine) Tail(q Query, lookback time.Duration) *Tail {
	return &Tail{e: e, q: q, lookback: lookback, seen: make(map[string]int64), held: e.guard.Account()}
}

// Close releases what the tail holds. The tail is not used after it.
func (t *Tail) Close() {
	t.held.Close()
	t.seen = nil
}

// Limit is the most sign-ins one call of Next returns.
func (t *Tail) Limit() int { return t.q.Limit }

// Next scans [now-lookback, now). The first complete scan only learns what is
// already there: a live view starts with what arrives after it opened.
func (t *Tail) Next(ctx context.Context, now time.Time) (tailBatch, error) {
	// What the last call left to remember is charged before this one reads
	// on: failing here loses nothing, the ids stay and the next call retries.
	if err := t.chargeSeen(); err != nil {
		return tailBatch{}, fmt.Errorf("remembering the live tail's %d sign-ins: %w", len(t.seen), err)
	}
	// The batch is known in advance, as a logs answer's: reserve it at the
	// start, waiting for memory rather than failing.
	acct := t.e.guard.Account()
	defer acct.Close()
	if err := acct.Wait(ctx, int64(t.q.Limit)*logLineBytes); err != nil {
		return tailBatch{}, fmt.Errorf("waiting for query memory: %w", err)
	}
	from := now.Add(-t.lookback)
	var fresh []ref
	partial, err := splitPartial(t.e.scanMatching(ctx, t.q, from, now, func(b *block.Block, lo, hi int, pass []bool) {
		for i := lo; i < hi; i++ {
			if !pass[b.Profile.At(i)] {
				continue
			}
			id := b.IDs.At(i)
			if _, ok := t.seen[id]; ok {
				continue
			}
			if !t.primed {
				t.seen[id] = b.Times.At(i)
				continue
			}
			fresh = append(fresh, ref{b, i})
		}
	}))
	if err != nil {
		return tailBatch{}, fmt.Errorf("following new sign-ins: %w", err)
	}
	// A partial first scan has not seen all that was there: what a later
	// scan loads of it is not new.
	t.primed = t.primed || partial == nil
	batch := tailBatch{Partial: partial}
	batch.Events, batch.Waiting = t.take(fresh)
	t.forget(from)
	// Best effort: the batch is taken (its ids are seen), so it is delivered
	// whatever; a charge that does not fit fails the next call instead.
	_ = t.chargeSeen()
	return batch, nil
}

// seenBytes is what one remembered id holds: its map entry (string header,
// time, the map's share) and the id's bytes.
const seenBytes = 96

// chargeSeen brings the tail's charge to what seen holds now: more is
// reserved (failing with memguard.ErrMemory past the ceiling); when seen has
// shrunk to less than half its charge, the account is opened again at its
// size, as an account only grows.
func (t *Tail) chargeSeen() error {
	want := int64(len(t.seen)) * seenBytes
	if want < t.charged/2 {
		t.held.Close()
		t.held, t.charged = t.e.guard.Account(), 0
	}
	if want <= t.charged {
		return nil
	}
	if err := t.held.Grow(want - t.charged); err != nil {
		return err
	}
	t.charged = want
	return nil
}

// take materialises the oldest of the fresh sign-ins, up to the query's limit,
// and marks them seen.
func (t *Tail) take(fresh []ref) ([]signin.Event, int) {
	sort.Slice(fresh, func(i, j int) bool {
		a, b := fresh[i], fresh[j]
		if ta, tb := a.b.Times.At(a.i), b.b.Times.At(b.i); ta != tb {
			return ta < tb
		}
		return a.b.IDs.At(a.i) < b.b.IDs.At(b.i)
	})
	waiting := max(0, len(fresh)-t.q.Limit)
	fresh = fresh[:len(fresh)-waiting]
	events := make([]signin.Event, len(fresh))
	for k, x := range fresh {
		events[k] = x.b.Event(x.i)
		t.seen[events[k].ID] = x.b.Times.At(x.i)
	}
	return events, waiting
}

// forget drops the ids created before from: no later scan reaches them.
func (t *Tail) forget(from time.Time) {
	edge := from.UnixNano()
	for id, created := range t.seen {
		if created < edge {
			delete(t.seen, id)
		}
	}
}
