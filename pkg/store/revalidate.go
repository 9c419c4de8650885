package store

import (
	"context"
	"errors"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// ChangeLister is a Source that can list, cheaply, the sign-ins of closed
// windows that may have changed since they were read: Graph returns a
// sign-in's new version when Identity Protection remediates, dismisses or
// confirms its risk, and a workspace re-emits it. Both clients implement it;
// a store whose source does not never revalidations.
type ChangeLister interface {
	ListChanged(ctx context.Context, t signin.LogType, from, to time.Time, fn func(page []signin.Event) error) error
}

// A closed window is read whole once and then served from cache; a sign-in
// that changes later (a risk remediated hours after it happened) would keep
// its old version until the window left every range. So the recently closed
// windows — those that ended within Config.RevalidatePeriod — are revalidated: at
// most every Config.RevalidateEvery per log type, a scan that reads one of them
// starts a revalidation in the background and is answered from what is held (as
// an HTTP cache serves while it revalidates). A revalidation asks the source for
// the sign-ins of the whole period that may have changed — one short listing
// per risk state on Graph, the rows ingested late in a workspace — and puts
// each one's new version into the window memory holds, in place of the old
// one under its id (block.Revise): counted once, in its latest version. A
// revised window replaces its block in memory (which forgets its day's
// counts) and in memcached. A window not in memory is not revised: read
// whole later from the source it is current; read from memcached, it is as
// current as the last revalidation of the replica that wrote it, and the next
// revalidation here brings it up to date. A revalidation that fails changes nothing
// and is tried again after RevalidateEvery.

// maxRevalidated bounds the sign-ins one revalidation holds (about 1 KB
// each while held), so a storm of risky sign-ins does not make it unbounded:
// about as many as Graph's listings of a busy day's risky sign-ins.
var maxRevalidated = 100_000 // a variable for tests

// errTooManyChanged stops a listing of changed sign-ins at maxRevalidated.
var errTooManyChanged = errors.New("more changed sign-ins than one revalidation takes")

// revalidateIfDue starts a revalidation of log type t when the scan of [from, to)
// reads a window of the revalidation period, the source lists changes, none of
// t's is running, the last began RevalidateEvery ago (or the store did) and
// memory holds a window it could revise.
func (s *Store) revalidateIfDue(t signin.LogType, from, to, now time.Time) {
	lister, ok := s.src.(ChangeLister)
	if !ok || s.cfg.RevalidatePeriod <= 0 {
		return
	}
	lo, hi := s.revalidateSpan(now)
	if !lo.Before(hi) || !from.Before(hi) || !lo.Before(to) {
		return
	}
	s.mu.Lock()
	last, ok := s.revalidated[t]
	if !ok {
		last = s.started
	}
	due := !s.revalidating[t] && now.Sub(last) >= s.cfg.RevalidateEvery && s.holdsClosed(t, lo, hi)
	if due {
		s.revalidating[t], s.revalidated[t] = true, now
	}
	s.mu.Unlock()
	if !due {
		return
	}
	started := s.background(func() {
		defer func() {
			s.mu.Lock()
			delete(s.revalidating, t)
			s.mu.Unlock()
		}()
		s.revalidate(lister, t, lo, hi)
	})
	if !started {
		s.mu.Lock()
		delete(s.revalidating, t)
		s.mu.Unlock()
	}
}

// holdsClosed reports whether memory holds a closed window of t in
// [from, to): a revalidation of windows none of which is held would revise
// nothing (a cold load's first scans, say), and is not worth its requests.
// Callers hold s.mu.
func (s *Store) holdsClosed(t signin.LogType, from, to time.Time) bool {
	for _, w := range windowsCovering(from, to, s.cfg.Window) {
		if s.mem.peek(cacheKey(s.ns, t, w)) != nil {
			return true
		}
	}
	return false
}

// revalidateSpan is the range of the closed windows that ended within
// RevalidatePeriod of now: whole windows, up to the last closed one.
func (s *Store) revalidateSpan(now time.Time) (from, to time.Time) {
	to = now.Add(-s.cfg.Freshness).Truncate(s.cfg.Window)
	from = now.Add(-s.cfg.RevalidatePeriod).Truncate(s.cfg.Window)
	return from, to
}

// revalidate lists the sign-ins of [from, to) that may have changed and revises
// the windows memory holds with them.
func (s *Store) revalidate(src ChangeLister, t signin.LogType, from, to time.Time) {
	// Not one of the fetch slots (s.sem): a revalidation of several paced
	// listings would hold it from the loads queries wait for. The source
	// paces its requests within the datasource's budget either way.
	ctx, cancel := context.WithTimeout(s.ctx, fetchTimeout)
	defer cancel()
	s.counts.revalidations.Add(1)
	s.metrics.revalidations.Inc()
	// By window, then id: a sign-in whose state changed between two of
	// Graph's listings comes twice, the later listing's being the newer.
	changed := map[int64]map[string]signin.Event{}
	listed := 0
	err := src.ListChanged(ctx, t, from, to, func(page []signin.Event) error {
		if listed += len(page); listed > maxRevalidated {
			return errTooManyChanged
		}
		for _, e := range page {
			if e.Created.Before(from) || !e.Created.Before(to) || e.ID == "" {
				continue
			}
			start := e.Created.Truncate(s.cfg.Window).Unix()
			if changed[start] == nil {
				changed[start] = map[string]signin.Event{}
			}
			changed[start][e.ID] = e
		}
		return nil
	})
	switch {
	case errors.Is(err, errTooManyChanged):
		// What was listed is each sign-in's latest version: kept; the rest
		// wait for the next revalidation.
		log.DefaultLogger.Warn("Revalidating recent sign-ins: more changed than one revalidation takes; the rest wait for the next",
			"logType", t.String(), "limit", maxRevalidated)
	case err != nil && s.ctx.Err() != nil:
		return // closed: the datasource was updated or deleted
	case err != nil:
		log.DefaultLogger.Warn("Revalidating recent sign-ins failed; the cached windows stay as they were until the next revalidation",
			"logType", t.String(), "error", err)
		return
	}
	var ws []written
	for start, byID := range changed {
		if w, ok := s.revise(t, window{start: time.Unix(start, 0).UTC(), size: s.cfg.Window}, byID); ok {
			ws = append(ws, w)
		}
	}
	s.keep(ws)
}

// revise puts the changed sign-ins into window w's block if memory holds it
// and they change it; the new block goes to memory, and is returned encoded
// for the tiers.
func (s *Store) revise(t signin.LogType, w window, byID map[string]signin.Event) (written, bool) {
	key := cacheKey(s.ns, t, w)
	s.mu.Lock()
	held := s.mem.peek(key)
	s.mu.Unlock()
	if held == nil {
		return written{}, false
	}
	events := make([]signin.Event, 0, len(byID))
	for _, e := range byID {
		events = append(events, e)
	}
	b, changed := block.Revise(held, events)
	if !changed {
		return written{}, false
	}
	s.mu.Lock()
	kept := s.mem.holds(key, held)
	if kept {
		s.mem.put(key, b) // forgets the day's counts, which counted the old block
	}
	s.mu.Unlock()
	if !kept {
		return written{}, false
	}
	s.counts.revised.Add(1)
	j := &job{w: w, key: key, closed: true}
	var data []byte
	if len(s.tiers) > 0 {
		data = s.encode(key, b)
	}
	return written{j: j, data: data}, true
}
