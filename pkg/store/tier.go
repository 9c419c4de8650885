package store

import (
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// tier is a place outside the process's memory that keeps closed windows
// encoded: memcached (Config.MemcachedAddresses, l2*.go). On a memory miss
// the store asks its tiers in order; a window fetched from the source is
// encoded once and written to each. A tier never fails a query: what it cannot read
// is a miss, what it cannot write is counted and logged.
//
// The tiers take and settle the store's jobs rather than returning blocks, as
// dskit's cache decorators wrap one interface, so that a tier with more to do
// per window — memcached's leases, which make replicas fetch a window once —
// keeps it to itself.
type tier interface {
	// local reports whether the tier is read on the caller's goroutine, as
	// memory is: a query out of its time budget still gets what it holds.
	local() bool
	// lookup settles the closed windows among jobs that the tier holds and
	// returns the other jobs, in order.
	lookup(jobs []*job) []*job
	// keep writes closed windows just fetched from the source.
	keep(ws []written)
	// close flushes and releases the tier; Store.Close calls it once.
	close()
}

// written is a closed window just fetched and its encoding (nil when it could
// not be encoded).
type written struct {
	j    *job
	data []byte
}

// memcachedTier is L2 as a tier.
type memcachedTier struct{ s *Store }

func (memcachedTier) local() bool                 { return false }
func (m memcachedTier) lookup(jobs []*job) []*job { return m.s.lookupL2(jobs, true) }
func (m memcachedTier) keep(ws []written)         { m.s.storeL2(ws) }
func (m memcachedTier) close()                    { m.s.l2.close() }

// encode encodes a closed window for the tiers. An encoding failure only
// costs their copies (nil is returned): the block is still held in memory.
func (s *Store) encode(key string, b *block.Block) []byte {
	data, err := block.Encode(nil, key, b)
	if err != nil {
		log.DefaultLogger.Warn("Not caching a sign-in window outside memory", "key", key, "error", err)
		return nil
	}
	return data
}
