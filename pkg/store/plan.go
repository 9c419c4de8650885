package store

import (
	"slices"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// job is a window this scan has claimed and must load.
type job struct {
	w      window
	key    string
	e      *entry
	closed bool         // closed windows are read whole and cached
	held   *block.Block // an open window's block so far; nil when read whole
	from   time.Time    // where the fetch starts: w.start, or the newest held sign-in
	asOf   time.Time    // when the job was planned: an open window is as fresh as its fetch's start
	leased bool         // this store holds the window's L2 lease (l2_lease.go)
	l2Bad  bool         // L2 held a value for the window that was rejected
}

// plan returns the entry of each window and the jobs this caller must run:
// windows neither held nor being loaded by another query. Held are decoded
// closed windows and open windows fetched less than MinRefresh ago.
func (s *Store) plan(t signin.LogType, ws []window, now time.Time) (entries []*entry, jobs []*job) {
	closedBefore := now.Add(-s.cfg.Freshness)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forgetClosedOpen(closedBefore)
	entries = make([]*entry, len(ws))
	var tail time.Time // where a refresh of t's open windows starts, worked out when first needed
	tailKnown := false
	hits, misses := 0, 0
	defer func() { s.countMemory(hits, misses) }()
	for i, w := range ws {
		key := cacheKey(s.ns, t, w)
		if e, ok := s.pending[key]; ok && !e.fetch.cancelled() {
			e.interest++
			entries[i] = e
			continue
		}
		j := &job{w: w, key: key, from: w.start, asOf: now, closed: !w.end().After(closedBefore)}
		if j.closed {
			if e := s.mem.get(key); e != nil {
				hits++
				entries[i] = e
				continue
			}
			misses++
		} else if ow := s.open[key]; ow != nil {
			if !tailKnown {
				tail, tailKnown = s.tailStart(t), true
			}
			// A window fetched after its end that ends before the tail is
			// not re-read until it closes: sign-ins created in it that
			// arrive later still are late arrivals, which the whole read
			// when it closes collects.
			ended := !w.end().After(tail) && !ow.fetched.Before(w.end())
			if ended || now.Sub(ow.fetched) < s.cfg.MinRefresh-refreshSlack(s.cfg.MinRefresh) {
				entries[i] = ow.ready
				continue
			}
			// From the tail, or from the window's own newest sign-in when
			// it was last fetched before the log's newer windows were.
			from := tail
			if newest := newestOf(ow.block); newest.Before(from) {
				from = newest
			}
			j.held, j.from = ow.block, later(w.start, from)
		}
		j.e = &entry{done: make(chan struct{}), interest: 1}
		s.pending[key] = j.e
		entries[i] = j.e
		jobs = append(jobs, j)
	}
	s.metrics.pending.Set(float64(len(s.pending)))
	return entries, jobs
}

// countMemory counts a plan's lookups of closed windows in memory, once per
// plan rather than per window (a week's scan looks up 672).
func (s *Store) countMemory(hits, misses int) {
	s.counts.l1Hits.Add(int64(hits))
	s.counts.l1Misses.Add(int64(misses))
	s.metrics.memHits.Add(float64(hits))
	s.metrics.memMisses.Add(float64(misses))
}

// tailStart is where a refresh of log type t's open windows starts:
// tailOverlap (at most Freshness) before the newest sign-in held, so one that
// arrives that much out of order is seen at the next refresh; ge, since
// timestamps can tie, and ids dedupe. But no earlier than the newest half
// page held: the refresh of a busy log then costs one page, the other half
// being for what arrived since, where a fixed overlap re-read two or three
// (BENCHMARKS.md, f). A sign-in later than that is read when its window
// closes, whole once more, and a live tail delivers it then. The zero time
// when t holds nothing open. Callers hold s.mu.
func (s *Store) tailStart(t signin.LogType) time.Time {
	var held []*block.Block
	for _, ow := range s.open {
		if ow.block.LogType == t && ow.block.Len() > 0 {
			held = append(held, ow.block)
		}
	}
	if len(held) == 0 {
		return time.Time{}
	}
	slices.SortFunc(held, func(a, b *block.Block) int { return b.Start.Compare(a.Start) }) // newest first
	from := newestOf(held[0]).UnixNano() - int64(min(tailOverlap, s.cfg.Freshness))
	budget := max(1, s.cfg.PageSize/2)
	for _, b := range held {
		n := b.Len()
		if n >= budget {
			from = max(from, b.Times.At(n-budget))
			break
		}
		budget -= n
	}
	return time.Unix(0, from).UTC()
}

// newestOf is the time of a block's newest sign-in; the zero time when it
// holds none, so that a refresh of it starts at its window's start.
func newestOf(b *block.Block) time.Time {
	if n := b.Len(); n > 0 {
		return time.Unix(0, b.Times.At(n-1)).UTC()
	}
	return time.Time{}
}

// refreshSlack is how much earlier than MinRefresh after its last fetch an
// open window is due again. Callers that refresh every MinRefresh (live tails,
// aligned to the clock) would otherwise find it due only every other time,
// since the last fetch started a moment after their previous tick.
func refreshSlack(minRefresh time.Duration) time.Duration { return minRefresh / 20 }

// forgetClosedOpen drops open windows that have closed since: their next read
// is whole, and a window never read again should not be held. Callers hold s.mu.
func (s *Store) forgetClosedOpen(closedBefore time.Time) {
	for key, ow := range s.open {
		if !ow.w.end().After(closedBefore) {
			delete(s.open, key)
		}
	}
}

// settle publishes a job's outcome: a closed window goes to memory, an open
// one is held for its next tail fetch. A failed job is forgotten, so the next
// query retries.
func (s *Store) settle(j *job, b *block.Block, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending[j.key] == j.e { // a cancelled fetch's window may have a new loader
		delete(s.pending, j.key)
	}
	s.metrics.pending.Set(float64(len(s.pending)))
	if err == nil {
		if j.closed {
			s.mem.put(j.key, b)
		} else {
			// As of the fetch's start, not its end: a refresh every MinRefresh
			// (a live tail's period) must find the window due again.
			s.open[j.key] = &openWindow{w: j.w, block: b, ready: readyEntry(b), fetched: j.asOf}
		}
		s.metrics.loaded.Inc()
	}
	j.e.block, j.e.err = b, err
	close(j.e.done)
}
