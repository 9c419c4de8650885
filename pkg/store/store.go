// Package store keeps the sign-ins fetched from a source per (log type, UTC window),
// so closed windows are fetched once and every later query over them is served
// from memory. Concurrent queries share one fetch per window.
//
// This is the foundation's store: closed windows live in process memory as
// columnar blocks (see Block), with a bound on the sign-ins held. The compact columnar encoding,
// fastcache, memcached and persistence come with the store issue.
package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Source lists the sign-ins of one log type created in [from, to), page by page.
// *graph.Client implements it.
type Source interface {
	ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error
}

// Config tunes a Store.
type Config struct {
	// Window is the size of a cached window. Default 1h.
	Window time.Duration
	// Freshness is how long after its end a window may still receive late sign-ins;
	// until then it is refetched on every query and never cached. Default 15m.
	Freshness time.Duration
	// MaxEvents bounds the sign-ins held; the oldest-cached windows go first.
	// Default 2,000,000 (roughly 1 GB; the columnar store lowers this cost).
	MaxEvents int
	// Now is the clock; tests set it. Default time.Now.
	Now func() time.Time
}

func (c *Config) applyDefaults() {
	if c.Window <= 0 {
		c.Window = time.Hour
	}
	if c.Freshness <= 0 {
		c.Freshness = 15 * time.Minute
	}
	if c.MaxEvents <= 0 {
		c.MaxEvents = 2_000_000
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Store caches sign-ins per log type and window.
type Store struct {
	src Source
	cfg Config

	mu      sync.Mutex
	entries map[entryKey]*entry
	order   []entryKey // closed windows in the order they were cached, for eviction
	held    int        // events held in closed windows
}

type entryKey struct {
	logType signin.LogType
	start   int64 // window start, Unix seconds
}

// entry is a window being fetched or held. done is closed once block or err is set.
type entry struct {
	done  chan struct{}
	block *Block
	err   error
}

// New returns a store that reads from src.
func New(src Source, cfg Config) *Store {
	cfg.applyDefaults()
	return &Store{src: src, cfg: cfg, entries: make(map[entryKey]*entry)}
}

// Scan calls fn with the block of each window overlapping [from, to), oldest
// first, and the index range [lo, hi) of its sign-ins inside [from, to). It
// fetches what is not held yet. Blocks are shared: fn must not modify them.
func (s *Store) Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *Block, lo, hi int)) error {
	if !from.Before(to) {
		return fmt.Errorf("%w: from %s, to %s", ErrBadRange, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	ws := windowsCovering(from, to, s.cfg.Window)
	entries, claimed := s.claim(t, ws)
	for _, run := range runs(claimed) {
		s.fetchRun(ctx, t, run)
	}
	for i, w := range ws {
		e := entries[i]
		select {
		case <-e.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if e.err != nil {
			return fmt.Errorf("fetching %s sign-ins of %s: %w", t, w.start.Format(time.RFC3339), e.err)
		}
		if lo, hi := e.block.Range(from, to); lo < hi {
			fn(e.block, lo, hi)
		}
	}
	return nil
}

// ScanEvents calls fn for every sign-in of log type t created in [from, to),
// oldest first. It materialises each sign-in: for scans of a few thousand.
func (s *Store) ScanEvents(ctx context.Context, t signin.LogType, from, to time.Time, fn func(e *signin.Event)) error {
	return s.Scan(ctx, t, from, to, func(b *Block, lo, hi int) {
		for i := lo; i < hi; i++ {
			e := b.Event(i)
			fn(&e)
		}
	})
}

// claim returns the entry of each window and the windows this caller must fetch:
// those neither held nor being fetched by another query.
func (s *Store) claim(t signin.LogType, ws []window) (entries []*entry, claimed []window) {
	s.mu.Lock()
	defer s.mu.Unlock()
	entries = make([]*entry, len(ws))
	for i, w := range ws {
		k := entryKey{logType: t, start: w.start.Unix()}
		if e, ok := s.entries[k]; ok {
			entries[i] = e
			continue
		}
		e := &entry{done: make(chan struct{})}
		s.entries[k] = e
		entries[i] = e
		claimed = append(claimed, w)
	}
	return entries, claimed
}

// fetchRun fetches adjacent windows with one paged query and settles their entries.
// A failed fetch settles them with the error and forgets them, so the next query
// retries instead of reading a partial window.
func (s *Store) fetchRun(ctx context.Context, t signin.LogType, run []window) {
	from, to := run[0].start, run[len(run)-1].end()
	byWindow := make(map[int64][]signin.Event, len(run))
	seen := make(map[string]struct{})
	err := s.src.ListSignIns(ctx, t, from, to, func(page []signin.Event) error {
		for _, ev := range page {
			if ev.Created.Before(from) || !ev.Created.Before(to) {
				continue
			}
			// Graph may repeat a sign-in across pages when paging races ingestion.
			if _, dup := seen[ev.ID]; dup && ev.ID != "" {
				continue
			}
			seen[ev.ID] = struct{}{}
			start := ev.Created.Truncate(s.cfg.Window).Unix()
			byWindow[start] = append(byWindow[start], ev)
		}
		return nil
	})
	blocks := make([]*Block, len(run))
	if err == nil {
		for i, w := range run {
			blocks[i] = newBlock(t, w, byWindow[w.start.Unix()])
		}
	}
	s.settle(t, run, blocks, err)
}

func (s *Store) settle(t signin.LogType, run []window, blocks []*Block, err error) {
	closedBefore := s.cfg.Now().Add(-s.cfg.Freshness)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, w := range run {
		k := entryKey{logType: t, start: w.start.Unix()}
		e := s.entries[k]
		e.block, e.err = blocks[i], err
		if err != nil || w.end().After(closedBefore) {
			delete(s.entries, k) // open or failed: never kept
		} else {
			s.order = append(s.order, k)
			s.held += e.block.Len()
		}
		close(e.done)
	}
	s.evict()
}

// evict drops the oldest-cached closed windows while more than MaxEvents are held.
// Callers hold s.mu.
func (s *Store) evict() {
	for s.held > s.cfg.MaxEvents && len(s.order) > 0 {
		k := s.order[0]
		s.order = s.order[1:]
		if e, ok := s.entries[k]; ok {
			s.held -= e.block.Len()
			delete(s.entries, k)
		}
	}
}

// Stats are the store's counts for the stats resource.
type Stats struct {
	WindowsCached  int64 // closed windows held
	EventsCached   int64 // sign-ins in them
	WindowsPending int64 // windows being fetched
}

// Stats returns the store's counts.
func (s *Store) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := Stats{WindowsCached: int64(len(s.order)), EventsCached: int64(s.held)}
	for _, e := range s.entries {
		select {
		case <-e.done:
		default:
			st.WindowsPending++
		}
	}
	return st
}
