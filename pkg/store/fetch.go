package store

import (
	"context"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// load runs the claimed jobs, which memory does not hold: they are looked up
// in the tiers (disk, then L2) and the rest fetched, newest run first. The
// disk is read here, as memory is, so a query out of its time budget still
// gets what the disk holds; memcached and the source in the background.
// Fetches are detached from ctx: a query that gives up does not cancel a
// fetch other queries wait on, and a fetch that completes after its query
// left still fills the cache.
func (s *Store) load(ctx context.Context, t signin.LogType, jobs []*job) {
	missing, remote := jobs, s.tiers
	for len(remote) > 0 && remote[0].local() && len(missing) > 0 {
		missing, remote = remote[0].lookup(missing), remote[1:]
	}
	if len(missing) == 0 {
		return
	}
	base := context.WithoutCancel(ctx)
	started := s.background(func() {
		for _, t := range remote {
			missing = t.lookup(missing)
		}
		rs := runsOf(missing, s.cfg.MaxRun)
		for i := len(rs) - 1; i >= 0; i-- { // newest first
			ctx := s.control(base, rs[i])
			if err := s.acquire(ctx); err != nil {
				s.fail(rs[i], err)
				continue
			}
			s.wg.Add(1)
			go func(run []*job) {
				defer s.wg.Done()
				defer func() { <-s.sem }()
				s.fetchShared(ctx, t, run)
			}(rs[i])
		}
	})
	if !started {
		s.fail(missing, ErrClosed)
	}
}

// fetchCtl cancels a run's fetch once no query waits for any of its windows.
type fetchCtl struct {
	cancel  context.CancelFunc
	entries []*entry
	stopped bool // guarded by Store.mu
}

// cancelled reports whether the fetch was cancelled; callers hold Store.mu.
func (f *fetchCtl) cancelled() bool { return f != nil && f.stopped }

// control returns the context of a run's fetch and ties the run's entries to
// it. A run whose queries all left before it started is cancelled at once.
func (s *Store) control(base context.Context, run []*job) context.Context {
	ctx, cancel := context.WithCancel(base)
	f := &fetchCtl{cancel: cancel}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, j := range run {
		j.e.fetch = f
		f.entries = append(f.entries, j.e)
	}
	s.stopIfAbandoned(f)
	return ctx
}

// abandon gives up a cancelled query's interest in the entries it still waits
// for, and cancels the fetches nobody else waits for: Graph requests stop
// promptly, and the windows are neither cached nor held (fetchRun settles a
// window only when its whole request succeeded).
func (s *Store) abandon(entries []*entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range entries {
		select {
		case <-e.done:
			continue
		default:
		}
		e.interest--
		if e.fetch != nil {
			s.stopIfAbandoned(e.fetch)
		}
	}
}

// stopIfAbandoned cancels f when none of its windows has an interested query.
// Callers hold s.mu.
func (s *Store) stopIfAbandoned(f *fetchCtl) {
	if f.stopped {
		return
	}
	for _, e := range f.entries {
		if e.interest > 0 {
			return
		}
	}
	f.stopped = true
	f.cancel()
	s.counts.abandoned.Add(1)
}

// acquire takes a fetch slot; an error once the store is closing or the run's
// fetch was cancelled.
func (s *Store) acquire(ctx context.Context) error {
	select {
	case s.sem <- struct{}{}:
		return nil
	case <-s.ctx.Done():
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) fail(run []*job, err error) {
	for _, j := range run {
		s.settle(j, nil, err)
	}
}

// runsOf splits jobs (oldest first) into runs fetched by one paged request each:
// adjacent windows, at most max of them. A sparse log over a week costs a few
// requests instead of 168. A run starts where its first job starts (an open
// window's tail, or a window's start) and covers the later windows whole; held
// sign-ins fetched again are deduped when merged.
func runsOf(jobs []*job, max int) [][]*job {
	var out [][]*job
	for i, j := range jobs {
		if i > 0 && jobs[i-1].w.end().Equal(j.w.start) && len(out[len(out)-1]) < max {
			out[len(out)-1] = append(out[len(out)-1], j)
			continue
		}
		out = append(out, []*job{j})
	}
	return out
}

// fetchRun fetches a run with one paged request and settles its windows. A
// window is settled only when the whole request succeeded: a window fetched in
// part is never cached or held.
func (s *Store) fetchRun(base context.Context, t signin.LogType, run []*job) {
	ctx, cancel := context.WithTimeout(base, fetchTimeout)
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel) // Close stops fetches
	defer stop()
	from, to := run[0].from, run[len(run)-1].w.end()
	byWindow := make(map[int64][]signin.Event, len(run))
	var seen map[string]struct{}
	err := s.list(ctx, t, from, to, func(page []signin.Event) error {
		if seen == nil {
			seen = make(map[string]struct{}, len(page))
		}
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
			evs, ok := byWindow[start]
			if !ok && len(run) == 1 {
				evs = make([]signin.Event, 0, len(page)) // a refresh's one page, without growing
			}
			byWindow[start] = append(evs, ev)
		}
		return nil
	})
	if err != nil {
		s.releaseLeases(run)
		s.fail(run, fmt.Errorf("fetching [%s, %s): %w", from.Format("2006-01-02T15:04Z"), to.Format("2006-01-02T15:04Z"), err))
		return
	}
	var ws []written
	for _, j := range run {
		events := byWindow[j.w.start.Unix()]
		var b *block.Block
		if j.held != nil {
			b = block.MergeTail(j.held, events, later(from, j.w.start))
		} else {
			b = block.New(t, j.w.start, j.w.end(), events, s.tables.Of(t, j.w.start))
		}
		if j.closed && len(s.tiers) > 0 {
			ws = append(ws, written{j: j, data: s.encode(j.key, b)})
		}
		s.settle(j, b, nil)
	}
	// After settling: queries do not wait for them.
	s.keep(ws)
}

// keep writes closed windows to the tiers, memcached first, as it releases
// the leases other replicas wait on.
func (s *Store) keep(ws []written) {
	for i := len(s.tiers) - 1; i >= 0 && len(ws) > 0; i-- {
		s.tiers[i].keep(ws)
	}
}

// sealLoop frees, every Config.SealEvery, the intern indexes of the day
// tables whose days are over and that took nothing since the previous round:
// they take no new profiles unless a window of the day is loaded again.
func (s *Store) sealLoop() {
	s.every(s.cfg.SealEvery, func() bool {
		s.tables.SealIdle(s.cfg.Now().Add(-s.cfg.Freshness))
		return false
	})
}

// background runs fn in a goroutine counted in s.wg, unless the store is
// closed: Close waits for what started before it, and nothing starts after
// (the closed flag is set and read under s.mu, around s.wg.Add).
func (s *Store) background(fn func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed.Load() {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		fn()
	}()
	return true
}

// every calls fn every period until Close or until fn returns true; it is a
// background goroutine's body, counted in s.wg.
func (s *Store) every(period time.Duration, fn func() (done bool)) {
	defer s.wg.Done()
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if fn() {
				return
			}
		}
	}
}
