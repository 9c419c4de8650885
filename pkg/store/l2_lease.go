package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/grafana/dskit/cache"
	"github.com/grafana/dskit/concurrency"
	"github.com/grafana/gomemcache/memcache"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Leases keep replicas from fetching the same window from the source at once.
// Before fetching closed windows a store adds a lease item per window (TTL
// leaseTTL); memcached's add succeeds for one replica only. The winner
// fetches, writes the window through and deletes the lease. A loser waits: it
// polls L2 with growing pauses and reads the value once written, takes the
// lease itself if it disappears without a value (the winner's fetch failed, or
// the lease expired), and after leaseWait fetches anyway: a lease saves
// Graph requests, it never makes a query fail. Windows are claimed one by one,
// not runs, so replicas that split a range differently still share its windows.
//
// A winner reads L2 once more after taking its leases: another replica may have
// written a window and released its lease between this store's lookup and its
// claim. Deleting a lease is unconditional (the cache interface has no
// compare-and-delete), so a fetch outlasting leaseTTL may delete the lease of a
// replica that took over; that costs a duplicate fetch, nothing more.
const (
	leasePollMin = 100 * time.Millisecond
	leasePollMax = time.Second
)

func leaseKey(key string) string { return key + "/lease" }

// errNotAsked marks a lease not asked for because the store is closing.
var errNotAsked = errors.New("lease not asked for")

// fetchShared fetches a run, its caller holding a fetch slot. With L2, closed
// windows another replica is fetching are waited for instead.
func (s *Store) fetchShared(base context.Context, t signin.LogType, run []*job) {
	if s.l2 == nil {
		s.fetchRun(base, t, run)
		return
	}
	mine, theirs := s.claim(run)
	if len(theirs) > 0 {
		s.wg.Add(1)
		go s.await(base, t, theirs)
	}
	for _, r := range runsOf(s.recheck(mine), s.cfg.MaxRun) {
		s.fetchRun(base, t, r)
	}
}

// claim takes the leases of the closed windows among jobs. It returns, in
// order, the jobs this store fetches — open windows, windows it leased, windows
// whose lease could not be asked for — and the windows another replica holds.
func (s *Store) claim(jobs []*job) (mine, theirs []*job) {
	c := s.l2.cache()
	if c == nil {
		return jobs, nil
	}
	errs := make([]error, len(jobs))
	for i := range errs {
		errs[i] = errNotAsked
	}
	_ = concurrency.ForEachJob(s.ctx, len(jobs), l2Concurrency, func(ctx context.Context, i int) error {
		if j := jobs[i]; j.closed {
			lk := leaseKey(j.key)
			errs[i] = c.Add(ctx, s.l2.itemName(lk), s.l2.seal(lk, nil), s.l2.leaseTTL)
		}
		return nil
	})
	for i, j := range jobs {
		switch err := errs[i]; {
		case err == nil:
			j.leased = true
			mine = append(mine, j)
		case errors.Is(err, cache.ErrNotStored):
			theirs = append(theirs, j)
		default:
			if err != errNotAsked {
				s.l2Error("add lease", err)
			}
			mine = append(mine, j)
		}
	}
	return mine, theirs
}

// recheck reads the windows just leased from L2 once more, settles and
// releases those found and returns the jobs still to fetch.
func (s *Store) recheck(jobs []*job) []*job {
	var leased []*job
	for _, j := range jobs {
		if j.leased {
			leased = append(leased, j)
		}
	}
	if len(leased) == 0 {
		return jobs
	}
	missing := make(map[*job]bool)
	for _, j := range s.lookupL2(leased, false) {
		missing[j] = true
	}
	var rest []*job
	for _, j := range jobs {
		if j.leased && !missing[j] {
			s.releaseLease(s.ctx, j)
			continue
		}
		rest = append(rest, j)
	}
	return rest
}

// await waits for windows other replicas are fetching, polling L2, and loads
// those that do not appear in time itself.
func (s *Store) await(base context.Context, t signin.LogType, jobs []*job) {
	defer s.wg.Done()
	s.counts.l2Waits.Add(int64(len(jobs)))
	s.metrics.leaseWaits.Add(float64(len(jobs)))
	if s.l2.onWait != nil {
		s.l2.onWait()
	}
	deadline := time.Now().Add(leaseWait)
	for delay := leasePollMin; len(jobs) > 0 && time.Now().Before(deadline); delay = min(2*delay, leasePollMax) {
		timer := time.NewTimer(min(delay, time.Until(deadline)))
		select {
		case <-s.ctx.Done():
			timer.Stop()
			s.fail(jobs, ErrClosed)
			return
		case <-timer.C:
		}
		jobs = s.lookupL2(jobs, false)
		var bad, rest []*job
		for _, j := range jobs {
			if j.l2Bad {
				bad = append(bad, j) // written, but unusable: waiting longer will not help
			} else {
				rest = append(rest, j)
			}
		}
		mine, theirs := s.claim(rest)
		s.fetchWithSlot(base, t, append(bad, s.recheck(mine)...))
		jobs = theirs
	}
	if len(jobs) > 0 {
		s.l2.warn("Stopped waiting for another replica's fetch; fetching the windows here", "windows", len(jobs))
		s.fetchWithSlot(base, t, jobs)
	}
}

// fetchWithSlot fetches jobs (oldest first) under a fetch slot.
func (s *Store) fetchWithSlot(base context.Context, t signin.LogType, jobs []*job) {
	if len(jobs) == 0 {
		return
	}
	if err := s.acquire(base); err != nil {
		s.releaseLeases(jobs)
		s.fail(jobs, err)
		return
	}
	defer func() { <-s.sem }()
	for _, r := range runsOf(sortedJobs(jobs), s.cfg.MaxRun) {
		s.fetchRun(base, t, r)
	}
}

// releaseLease deletes j's lease, if it holds one. A lease already expired is
// no error.
func (s *Store) releaseLease(ctx context.Context, j *job) {
	if !j.leased {
		return
	}
	j.leased = false
	c := s.l2.cache()
	if c == nil {
		return // backing off: the lease expires with its TTL
	}
	if err := c.Delete(ctx, s.l2.itemName(leaseKey(j.key))); !errors.Is(err, memcache.ErrCacheMiss) {
		s.l2Error("delete lease", err)
	}
}

func (s *Store) releaseLeases(jobs []*job) {
	ctx, cancel := s.l2WriteContext()
	defer cancel()
	for _, j := range jobs {
		s.releaseLease(ctx, j)
	}
}

// sortedJobs returns jobs oldest first, as runsOf needs them.
func sortedJobs(jobs []*job) []*job {
	out := slices.Clone(jobs)
	slices.SortFunc(out, func(a, b *job) int { return a.w.start.Compare(b.w.start) })
	return out
}
