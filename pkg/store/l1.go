package store

import (
	"errors"
	"fmt"
	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"io/fs"
	"path/filepath"
	"time"

	"github.com/VictoriaMetrics/fastcache"
	"github.com/cespare/xxhash/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// L1 holds encoded closed windows in fastcache. Every value goes through
// SetBig/GetBig: plain Set silently drops entries of 64 KB and more, a busy
// window is far larger, and a key written with one API cannot be read with the
// other. Pieces of a big value can be evicted independently; the codec's
// checksum turns a damaged value into a miss.

// getL1 returns the decoded block of a closed window, or nil on a miss.
func (s *Store) getL1(j *job) *block.Block {
	data := s.l1.GetBig(nil, []byte(j.key))
	if data == nil {
		s.miss(layerL1, j.key)
		return nil
	}
	b, err := block.Decode(data, j.key, s.tables.Of)
	if err == nil && (!b.Start.Equal(j.w.start) || !b.End.Equal(j.w.end())) {
		err = fmt.Errorf("%w: block is [%s, %s)", ErrBadEntry, b.Start, b.End)
	}
	if err != nil {
		log.DefaultLogger.Warn("Dropping a damaged sign-in cache entry", "key", j.key, "error", err)
		s.miss(layerL1, j.key)
		return nil
	}
	s.counts.l1Hits.Add(1)
	s.metrics.hits.WithLabelValues(s.cfg.MetricsLabel, layerL1).Inc()
	return b
}

func (s *Store) miss(layer, key string) {
	if layer == layerL1 {
		s.counts.l1Misses.Add(1)
		s.mu.Lock()
		delete(s.known, key) // evicted or damaged
		s.mu.Unlock()
	} else {
		s.counts.l2Misses.Add(1)
	}
	s.metrics.misses.WithLabelValues(s.cfg.MetricsLabel, layer).Inc()
}

// l1Path is where L1 persists: one directory per namespace, so datasources
// sharing Config.Dir do not overwrite each other.
func (s *Store) l1Path() string {
	return filepath.Join(s.cfg.Dir, fmt.Sprintf("l1-%016x", xxhash.Sum64String(s.cfg.Namespace)))
}

// loadL1 returns the persisted L1, or an empty one. A damaged file is logged and
// ignored: the cache refills from the source.
func (s *Store) loadL1() (c *fastcache.Cache) {
	if s.cfg.Dir == "" {
		return fastcache.New(s.cfg.L1Bytes)
	}
	path := s.l1Path()
	defer func() {
		if r := recover(); r != nil {
			log.DefaultLogger.Warn("Ignoring a damaged sign-in cache file", "path", path, "error", r)
			c = fastcache.New(s.cfg.L1Bytes)
		}
	}()
	c, err := fastcache.LoadFromFileMaxBytes(path, s.cfg.L1Bytes)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.DefaultLogger.Warn("Ignoring a damaged sign-in cache file", "path", path, "error", err)
		}
		return fastcache.New(s.cfg.L1Bytes)
	}
	return c
}

// saveL1 writes L1 to Config.Dir, if set and L1 holds windows not saved yet.
// Saving nothing new matters when a datasource's settings change: Grafana
// makes the new instance, which loads the file, before it disposes of the old
// one, which then saves what it fetched since; the new instance must not
// overwrite that with the older copy it loaded. (One that fetched windows of
// its own meanwhile still does: the old instance's are then fetched again.)
func (s *Store) saveL1() error {
	if s.cfg.Dir == "" || !s.unsaved.Swap(false) {
		return nil
	}
	if err := s.l1.SaveToFileConcurrent(s.l1Path(), 0); err != nil {
		s.unsaved.Store(true)
		err = fmt.Errorf("saving the sign-in cache to %s: %w", s.l1Path(), err)
		msg := err.Error()
		s.counts.saveError.Store(&msg) // for the health check and cache status, not only a log line
		return err
	}
	s.counts.saveError.Store(nil)
	return nil
}

// saveLoop saves L1 every saveEvery until Close, so a crash loses minutes of
// fetches rather than all of them.
func (s *Store) saveLoop() {
	defer s.wg.Done()
	t := time.NewTicker(saveEvery)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			if err := s.saveL1(); err != nil {
				log.DefaultLogger.Warn("Periodic save of the sign-in cache failed", "error", err)
			}
		}
	}
}

// putL1 encodes a closed window into L1 and returns the encoding, which L2
// stores too. An encoding failure only costs the cache entry (nil is returned):
// the block is still served from the hot set.
func (s *Store) putL1(key string, b *block.Block) []byte {
	data, err := block.Encode(nil, key, b)
	if err != nil {
		log.DefaultLogger.Warn("Not caching a sign-in window", "key", key, "error", err)
		return nil
	}
	s.l1.SetBig([]byte(key), data)
	s.unsaved.Store(true)
	return data
}
