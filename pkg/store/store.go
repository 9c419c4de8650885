// Package store keeps the sign-ins fetched from a source per (log type, UTC
// window), so a closed window is fetched once and every later query over it is
// served from cache. Layers, fastest first:
//
//   - L1, memory: the decoded blocks of closed windows, the process's one copy
//     of them, least recently used out first (memory.go);
//   - L2: the encoded windows (package block's codec) in memcached, sealed,
//     shared by Grafana replicas and outliving a restart of the plugin, with
//     leases so that replicas fetch a window once (l2*.go), a tier behind one
//     interface (tier.go). There is no disk tier: a plugin may not touch the
//     file system (Grafana's catalog rules);
//   - the source, which paces itself within the datasource's request budget,
//     with adjacent missing windows fetched by one paged request (fetch.go).
//
// Open windows — those that may still receive late sign-ins — are held apart
// and refreshed by fetching only their new tail (plan.go, block.MergeTail). Concurrent queries
// share one fetch per window, and a fetch outlives the query that started it.
package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Source lists the sign-ins of one log type created in [from, to), page by page.
// *graph.Client implements it. The store copies what it keeps of a page before
// fn returns, so a source may reuse the page for the next.
type Source interface {
	ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error
}

// Store caches sign-ins per log type and window. Close releases it.
type Store struct {
	src     Source
	cfg     Config
	ns      string        // Config.Namespace as it goes into keys
	l2      *l2           // nil without memcached
	sem     chan struct{} // bounds fetches in flight
	metrics *metrics
	counts  counters
	tables  *block.Tables // profile tables shared by the blocks of a log type and day
	tiers   []tier        // outside memory, asked in order on a miss: L2

	// ctx is cancelled by Close: it stops background fetches and seal rounds.
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closed    atomic.Bool
	closeOnce sync.Once

	started time.Time // Config.Now at New: when the first revalidation of a log type is due from

	mu           sync.Mutex
	revalidated  map[signin.LogType]time.Time // when each log type's last revalidation began
	revalidating map[signin.LogType]bool      // log types with a revalidation running
	pending      map[string]*entry            // windows being loaded
	mem          *memory                      // closed windows
	open         map[string]*openWindow       // open windows held, never cached
}

// entry is a window being loaded. done is closed once block or err is set.
type entry struct {
	done  chan struct{}
	block *block.Block
	err   error

	// Guarded by Store.mu: the queries waiting for the window that have not
	// been cancelled, and the fetch loading it, once assigned. A query that
	// ran out of its time budget keeps its interest, so the window finishes
	// loading for the next refresh; one that was cancelled gives it up, and a
	// fetch nobody is interested in any more is cancelled (fetch.go).
	interest int
	fetch    *fetchCtl
}

// readyEntry is the entry of a block held: made once when the block is kept,
// and shared by the scans that read it (they never write to it).
func readyEntry(b *block.Block) *entry { return &entry{done: closedDone, block: b} }

// closedDone is the done channel of every entry that is ready when made.
var closedDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// openWindow is an open window's block and when it was last fetched.
type openWindow struct {
	w       window
	block   *block.Block
	ready   *entry // block's entry, handed to every scan until the next fetch
	fetched time.Time
}

// New returns a store that reads from src, and from memcached when cfg names one.
func New(src Source, cfg Config) *Store {
	cfg.applyDefaults()
	ctx, cancel := context.WithCancel(context.Background())
	s := &Store{
		src: src, cfg: cfg, ns: namespaceKey(cfg.Namespace),
		sem:     make(chan struct{}, fetchConcurrency),
		metrics: newMetrics(cfg.MetricsLabel), tables: block.NewTables(),
		ctx: ctx, cancel: cancel,
		pending: make(map[string]*entry), mem: newMemory(cfg.L1Bytes),
		open:        make(map[string]*openWindow),
		started:     cfg.Now(),
		revalidated: make(map[signin.LogType]time.Time), revalidating: make(map[signin.LogType]bool),
	}
	if s.startL2(); s.l2 != nil {
		s.tiers = append(s.tiers, memcachedTier{s})
	}
	s.wg.Add(1)
	go s.sealLoop()
	return s
}

// Close stops background fetches, lets writes to memcached finish (at most
// l2WriteTimeout) and releases its leases. Scans after Close fail with
// ErrClosed. Close is safe to call more than once.
func (s *Store) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock() // no background work starts after this (background)
		s.closed.Store(true)
		s.mu.Unlock()
		s.cancel()
		s.wg.Wait()
		for _, t := range s.tiers {
			t.close()
		}
		s.mu.Lock()
		s.mem = newMemory(s.cfg.L1Bytes) // queries may still hold the store
		s.mu.Unlock()
		s.metrics.forget()
	})
}

// Scan calls fn with the block of each window overlapping [from, to), oldest
// first, and the index range [lo, hi) of its sign-ins inside [from, to). It
// loads what is not held. Blocks are shared: fn must not modify them.
//
// When windows are still loading after Config.TimeBudget, or at the request's
// deadline set by budget.WithDeadline if that comes first, Scan calls fn for those
// loaded and returns a *PartialError; the rest keep loading. Past that
// deadline Scan does not wait at all: it answers from the windows in memory and on disk.
func (s *Store) Scan(ctx context.Context, t signin.LogType, from, to time.Time, fn func(b *block.Block, lo, hi int)) error {
	return s.ScanDays(ctx, t, from, to, nil, fn)
}

// ScanDays is Scan that hands each closed UTC day inside [from, to) to day,
// counted per profile, instead of its blocks to fn: an aggregation over a long
// range then reads about a tenth as many entries (days.go). A nil day scans
// every block.
func (s *Store) ScanDays(ctx context.Context, t signin.LogType, from, to time.Time, day func(start time.Time, counts []block.ProfileCounts), fn func(b *block.Block, lo, hi int)) error {
	if !from.Before(to) {
		return fmt.Errorf("%w: from %s, to %s", ErrBadRange, from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	if s.closed.Load() {
		return ErrClosed
	}
	ws := windowsCovering(from, to, s.cfg.Window)
	now := s.cfg.Now()
	entries, jobs := s.plan(t, ws, now)
	s.load(ctx, t, jobs)
	s.revalidateIfDue(t, from, to, now)
	ready, err := s.wait(ctx, entries)
	if err != nil {
		return fmt.Errorf("loading %s sign-ins: %w", t, err)
	}
	loaded := 0
	for i := 0; i < len(entries); i++ {
		if !ready[i] {
			continue
		}
		if day != nil {
			if n, counts := s.wholeDay(t, ws, entries, ready, i, from, to, now.Add(-s.cfg.Freshness)); n > 0 {
				day(ws[i].start, counts)
				loaded += n
				i += n - 1
				continue
			}
		}
		loaded++
		if lo, hi := entries[i].block.Range(from, to); lo < hi {
			fn(entries[i].block, lo, hi)
		}
	}
	if loaded < len(entries) {
		return &PartialError{Loaded: loaded, Total: len(entries)}
	}
	return nil
}

// wait waits for the entries until ctx is done or the time budget is spent and
// reports which are ready. The first failed window's error is returned.
//
// The budget ends at waitUntil: one deadline shared by the scans of a request,
// so scanning log types one after another does not multiply the time a panel
// waits. A budget already spent leaves only the entries ready now.
func (s *Store) wait(ctx context.Context, entries []*entry) ([]bool, error) {
	if err := ctx.Err(); err != nil {
		// Checked first: with the budget spent, the loop below never looks at
		// ctx, and a cancelled query must still give up its interest.
		s.abandon(entries)
		return nil, err
	}
	left := time.Until(s.waitUntil(ctx, time.Now()))
	budget := time.NewTimer(left)
	defer budget.Stop()
	ready := make([]bool, len(entries))
	spent := left <= 0
	for i, e := range entries {
		if e.done == closedDone { // held when planned: nothing to wait for (a week's scan has 672)
			ready[i] = true
			continue
		}
		if !spent {
			select {
			case <-e.done:
			case <-ctx.Done():
				s.abandon(entries[i:])
				return nil, ctx.Err()
			case <-budget.C:
				spent = true
			}
		}
		select {
		case <-e.done:
			if e.err != nil {
				return nil, e.err
			}
			ready[i] = true
		default:
		}
	}
	return ready, nil
}
