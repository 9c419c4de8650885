package store

import (
	"context"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"

	"github.com/grafana/dskit/cache"
	"github.com/grafana/dskit/concurrency"
)

// lookupL2 reads the closed windows among jobs from L2, settles those found
// (which puts them in memory) and returns the jobs still to load, in order.
// countMisses is set for a load's first lookup; rechecks and polls after a
// lease count only hits, so each window counts one miss at most. A value
// rejected counts as a miss too.
func (s *Store) lookupL2(jobs []*job, countMisses bool) []*job {
	c := s.l2.cache()
	if c == nil || len(jobs) == 0 {
		return jobs
	}
	names := make(map[*job]string, len(jobs))
	var keys []string
	for _, j := range jobs {
		if wanted(j) {
			names[j] = s.l2.itemName(j.key)
			keys = append(keys, names[j])
		}
	}
	if len(keys) == 0 {
		return jobs
	}
	found, err := c.GetMultiWithError(s.ctx, keys)
	s.l2Error("get", err) // found still holds what was read
	rest, manifests := s.readManifests(jobs, names, found)
	if len(manifests) > 0 {
		rest = s.readParts(c, rest, manifests)
	}
	if countMisses && err == nil { // a failed lookup is an error, not a miss
		for _, j := range rest {
			if names[j] != "" {
				s.miss(layerL2)
			}
		}
	}
	return rest
}

// readManifests settles the jobs whose manifest holds the value inline and
// returns the others, with the manifests of those whose value is in parts.
func (s *Store) readManifests(jobs []*job, names map[*job]string, found map[string][]byte) ([]*job, map[*job]manifest) {
	var rest []*job
	manifests := make(map[*job]manifest)
	for _, j := range jobs {
		v, ok := found[names[j]]
		if !wanted(j) || !ok {
			rest = append(rest, j)
			continue
		}
		m, err := s.l2.parseManifest(j.key, v)
		switch {
		case err != nil:
			s.reject(j, err)
		case m.parts == nil:
			if s.acceptL2(j, m.inline) {
				continue
			}
		default:
			manifests[j] = m
		}
		rest = append(rest, j)
	}
	return rest, manifests
}

// readParts reads the parts the manifests name in one round trip, settles the
// jobs whose parts were all read and returns the others.
func (s *Store) readParts(c cache.Cache, jobs []*job, manifests map[*job]manifest) []*job {
	var names []string
	logical := make(map[string]string) // item name → logical key
	for j, m := range manifests {
		for _, pk := range m.partKeys(j.key) {
			name := s.l2.itemName(pk)
			names = append(names, name)
			logical[name] = pk
		}
	}
	found, err := c.GetMultiWithError(s.ctx, names)
	s.l2Error("get parts", err)
	sealed := make(map[string][]byte, len(found))
	for name, v := range found {
		sealed[logical[name]] = v
	}
	var rest []*job
	for _, j := range jobs {
		m, ok := manifests[j]
		if !ok {
			rest = append(rest, j)
			continue
		}
		data, err := s.l2.join(j.key, m, sealed)
		switch {
		case err != nil:
			s.reject(j, err)
		case data != nil && s.acceptL2(j, data):
			continue
		}
		rest = append(rest, j)
	}
	return rest
}

// wanted reports whether a job's window is looked up in L2: closed windows,
// unless L2's value for it was rejected already (it is refetched and rewritten).
func wanted(j *job) bool { return j.closed && !j.l2Bad }

// acceptL2 decodes a value read from L2 and, when it is the window's, settles
// the job, which puts the window in memory.
func (s *Store) acceptL2(j *job, data []byte) bool {
	b, err := block.Decode(data, j.key, s.tables.Of)
	if err == nil && (!b.Start.Equal(j.w.start) || !b.End.Equal(j.w.end())) {
		err = fmt.Errorf("%w: block is [%s, %s)", ErrBadEntry, b.Start, b.End)
	}
	if err != nil {
		s.reject(j, err)
		return false
	}
	s.counts.l2Hits.Add(1)
	s.metrics.hits.WithLabelValues(s.cfg.MetricsLabel, layerL2).Inc()
	s.settle(j, b, nil)
	return true
}

// storeL2 writes fetched closed windows through to L2, then releases their
// leases: a replica waiting on a lease finds the value once the lease is gone.
// Errors are counted and logged, never returned.
func (s *Store) storeL2(ws []written) {
	ctx, cancel := s.l2WriteContext()
	defer cancel()
	c := s.l2.cache()
	_ = concurrency.ForEachJob(ctx, len(ws), l2Concurrency, func(ctx context.Context, i int) error {
		if w := ws[i]; w.data != nil && c != nil {
			s.writeL2(ctx, c, w.j.key, w.data)
		}
		s.releaseLease(ctx, ws[i].j)
		return nil
	})
}

// writeL2 writes one window's items, the manifest last.
func (s *Store) writeL2(ctx context.Context, c cache.Cache, key string, data []byte) {
	items, err := s.l2.split(key, data)
	if err != nil {
		s.l2.warn("Not writing a window to memcached (L2)", "key", key, "error", err)
		return
	}
	for _, it := range items {
		if err := c.Set(ctx, s.l2.itemName(it.logical), it.value, s.l2.ttl); err != nil {
			s.l2Error("set", err)
			return // the manifest is last: no reader sees a value with parts missing
		}
	}
}

// l2WriteContext bounds writes and lease releases. They outlive Close, which
// waits for them: a window fetched just before is still shared, and no lease
// is left to make other replicas wait.
func (s *Store) l2WriteContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(s.ctx), l2WriteTimeout)
}
