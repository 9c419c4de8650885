package store

import "sync/atomic"

// counters are the store's running totals.
type counters struct {
	l1Hits, l1Misses, l2Hits, l2Misses, requests atomic.Int64
	l2Errors, l2Rejected, l2Waits                atomic.Int64
	abandoned                                    atomic.Int64 // fetches cancelled because every query waiting for them was
	revalidations, revised                       atomic.Int64 // revalidate.go
}

// Stats are the store's counts for the stats resource.
type Stats struct {
	WindowsCached  int64 // closed windows held in memory
	EventsCached   int64 // sign-ins in them
	WindowsPending int64 // windows being loaded
	WindowsOpen    int64 // open windows held in memory
	L1Hits         int64 // closed windows answered from memory
	L1Misses       int64 // closed windows memory did not hold
	L2Hits         int64 // windows read from memcached
	L2Misses       int64 // windows looked up in memcached and not found or unusable
	L2Errors       int64 // memcached operations that failed; the source answered instead
	L2Rejected     int64 // memcached values that failed authentication or decoding
	L2Waits        int64 // windows waited for while another replica fetched them
	BytesCached    int64 // memory of the closed windows held: their blocks, profile tables and days counted
	DaysCounted    int64 // closed days of a log type held counted per profile, for long ranges
	SourceRequests int64 // requests made to the source, pages included
	Abandoned      int64 // fetches cancelled because every query waiting for them was
	Revalidations  int64 // revalidations of recent closed windows started (revalidate.go)
	WindowsRevised int64 // closed windows a revalidation found changed sign-ins in
}

// Stats returns the store's counts.
func (s *Store) Stats() Stats {
	st := Stats{
		L1Hits: s.counts.l1Hits.Load(), L1Misses: s.counts.l1Misses.Load(),
		L2Hits: s.counts.l2Hits.Load(), L2Misses: s.counts.l2Misses.Load(), SourceRequests: s.counts.requests.Load(),
		L2Errors: s.counts.l2Errors.Load(), L2Rejected: s.counts.l2Rejected.Load(), L2Waits: s.counts.l2Waits.Load(), Abandoned: s.counts.abandoned.Load(),
		Revalidations: s.counts.revalidations.Load(), WindowsRevised: s.counts.revised.Load(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st.WindowsCached = int64(len(s.mem.items))
	st.EventsCached = int64(s.mem.events)
	st.BytesCached = s.mem.size()
	st.DaysCounted = int64(len(s.mem.days))
	st.WindowsPending = int64(len(s.pending))
	st.WindowsOpen = int64(len(s.open))
	return st
}

// miss counts a window an outer layer did not have.
func (s *Store) miss(layer string) {
	if layer == layerL2 {
		s.counts.l2Misses.Add(1)
	}
	s.metrics.misses.WithLabelValues(s.cfg.MetricsLabel, layer).Inc()
}
