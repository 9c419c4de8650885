package store

import (
	"context"

	"github.com/grafana/dskit/cache"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// SideCache is a space of L2 beside the windows, for the small values of
// another package that replicas should share (the push-down's settled days).
// It reuses what makes L2 safe to share: values are sealed under the store's
// key with their full logical key as associated data, and item names are keyed
// hashes. Its logical keys are "side:<space>:<key>", which no window key
// ("v2:…") or part key ("v2:…/part/…") can be, so a side value never answers
// for a window or the other way round, and two spaces never meet.
//
// A value is one memcached item: larger values are not stored (a miss later),
// since parts would cost a round trip each for values that are recomputed by
// one query. Memcached errors, a store closing and values that fail to open
// are misses, never errors: a side cache can only save work.
type SideCache struct {
	s     *Store
	space string
}

// SideCache returns the space of L2 named space, or nil when the store has no
// memcached configured.
func (s *Store) SideCache(space string) *SideCache {
	if s.l2 == nil {
		return nil
	}
	return &SideCache{s: s, space: space}
}

func (c *SideCache) logical(key string) string { return "side:" + c.space + ":" + key }

// MaxValue is the largest value Set stores: what fits one item, sealed.
func (c *SideCache) MaxValue() int { return c.s.l2.partMax }

// Get returns the value of key; false for a miss, for memcached failing or
// backing off, and for a value that fails authentication.
func (c *SideCache) Get(key string) ([]byte, bool) {
	mc := c.client()
	if mc == nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(c.s.ctx, l2Timeout)
	defer cancel()
	logical := c.logical(key)
	name := c.s.l2.itemName(logical)
	found, err := mc.GetMultiWithError(ctx, []string{name})
	if err != nil {
		c.s.l2Error("get", err)
		return nil, false
	}
	sealed, ok := found[name]
	if !ok {
		return nil, false
	}
	plain, err := c.s.l2.open(logical, sealed)
	if err != nil {
		c.s.counts.l2Rejected.Add(1)
		c.s.metrics.rejected.WithLabelValues(c.s.cfg.MetricsLabel, layerL2).Inc()
		c.s.l2.warn("Rejecting a memcached (L2) value", "space", c.space, "error", err)
		return nil, false
	}
	return plain, true
}

// Set stores value under key for memcached's longest relative TTL (its LRU
// evicts sooner). A value above MaxValue is not stored; errors are counted and
// logged, never returned.
func (c *SideCache) Set(key string, value []byte) {
	mc := c.client()
	if mc == nil {
		return
	}
	if len(value) > c.MaxValue() {
		log.DefaultLogger.Debug("Not writing a value to memcached (L2): larger than an item", "space", c.space, "bytes", len(value), "max", c.MaxValue())
		return
	}
	// Bounded like the windows' writes, and detached from a closing store for
	// as long: a value computed just before Close is still worth sharing.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.s.ctx), l2Timeout)
	defer cancel()
	logical := c.logical(key)
	if err := mc.Set(ctx, c.s.l2.itemName(logical), c.s.l2.seal(logical, value), c.s.l2.ttl); err != nil {
		c.s.l2Error("set", err)
	}
}

// client is the memcached client, or nil while there is none, L2 is backing
// off or the store is closed (whose client is stopped).
func (c *SideCache) client() cache.Cache {
	if c.s.closed.Load() {
		return nil
	}
	return c.s.l2.cache()
}
