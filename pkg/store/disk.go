package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// The disk tier. With Config.Dir set, every closed window held in memory is
// also a file in the namespace's directory, written by the periodic save and
// by Close and removed once the window has left memory; New loads the files
// back, most recently written first, up to the memory limit, so a restart
// starts warm. A file is its window's key and the window's block encoding,
// which carries the key and a checksum: a damaged, truncated or misplaced file
// is deleted and its window refetched.
//
// One file per window rather than one for the cache: a save writes only the
// windows fetched since the last one, and a damaged file costs one window.

// fileMagic starts every window file; bump it with the layout below.
const fileMagic = "SLW1"

// diskPath is the namespace's directory, so datasources sharing Config.Dir do
// not overwrite each other.
func (s *Store) diskPath() string {
	return filepath.Join(s.cfg.Dir, fmt.Sprintf("l1-%016x", xxhash.Sum64String(s.cfg.Namespace)))
}

func windowFile(key string) string { return fmt.Sprintf("%016x.win", xxhash.Sum64String(key)) }

// loadDisk puts the windows saved in Config.Dir into memory. Files that cannot
// be read as one of this namespace's windows are logged and removed.
func (s *Store) loadDisk() {
	if s.cfg.Dir == "" {
		return
	}
	dir := s.diskPath()
	files, err := os.ReadDir(dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.DefaultLogger.Warn("Ignoring the sign-in cache directory", "path", dir, "error", err)
		}
		return
	}
	for _, f := range newestFiles(files) {
		path := filepath.Join(dir, f.Name())
		key, b, err := s.readWindow(path)
		if err != nil {
			log.DefaultLogger.Warn("Dropping a damaged sign-in cache file", "path", path, "error", err)
			_ = os.Remove(path)
			continue
		}
		if s.mem.size()+columnBytes(b) > s.mem.limit {
			_ = os.Remove(path) // would only push out a newer window
			continue
		}
		s.mem.put(key, b)
		s.onDisk[key] = struct{}{}
	}
	s.tables.Seal(s.cfg.Now().Add(-s.cfg.Freshness))
}

// newestFiles returns the regular files, most recently modified first.
func newestFiles(entries []os.DirEntry) []fs.FileInfo {
	var out []fs.FileInfo
	for _, e := range entries {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			out = append(out, info)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ModTime().After(out[j].ModTime()) })
	return out
}

// readWindow reads a window file: the key it names must be the one its name
// hashes and a window of this namespace, and the block must be that window.
func (s *Store) readWindow(path string) (string, *block.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, err
	}
	rest, ok := bytes.CutPrefix(data, []byte(fileMagic))
	if !ok {
		return "", nil, fmt.Errorf("%w: not a window file", ErrBadEntry)
	}
	n, k := binary.Uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k) {
		return "", nil, fmt.Errorf("%w: truncated key", ErrBadEntry)
	}
	key := string(rest[k : k+int(n)])
	if windowFile(key) != filepath.Base(path) || !strings.HasPrefix(key, keyVersion+":"+s.ns+":") {
		return "", nil, fmt.Errorf("%w: file of another window or namespace", ErrBadEntry)
	}
	b, err := block.Decode(rest[k+int(n):], key, s.tables.Of)
	if err == nil && cacheKey(s.ns, b.LogType, window{start: b.Start, size: b.End.Sub(b.Start)}) != key {
		err = fmt.Errorf("%w: block is [%s, %s)", ErrBadEntry, b.Start, b.End)
	}
	return key, b, err
}

// save writes the windows put in memory since the last save and removes the
// files of windows that left it. It does nothing when nothing changed, which
// matters when a datasource's settings change: Grafana makes the new instance,
// which loads the files, before it disposes of the old one, which then writes
// what it fetched since; the files of the two add up.
func (s *Store) save() error {
	if s.cfg.Dir == "" || !s.unsaved.Swap(false) {
		return nil
	}
	s.mu.Lock()
	items := s.mem.newestFirst()
	evicted := s.mem.evicted
	s.mem.evicted = make(map[string]struct{})
	s.mu.Unlock()
	err := s.writeWindows(items, evicted)
	if err != nil {
		s.unsaved.Store(true)
		err = fmt.Errorf("saving the sign-in cache to %s: %w", s.diskPath(), err)
		msg := err.Error()
		s.counts.saveError.Store(&msg) // for the health check and cache status, not only a log line
		return err
	}
	s.counts.saveError.Store(nil)
	return nil
}

func (s *Store) writeWindows(items []*memItem, evicted map[string]struct{}) error {
	dir := s.diskPath()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for key := range evicted {
		if _, ok := s.onDisk[key]; ok {
			if err := os.Remove(filepath.Join(dir, windowFile(key))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			delete(s.onDisk, key)
		}
	}
	for i := len(items) - 1; i >= 0; i-- { // oldest first: the newest gets the latest time
		it := items[i]
		if _, ok := s.onDisk[it.key]; ok {
			continue
		}
		if err := writeWindow(filepath.Join(dir, windowFile(it.key)), it.key, it.block); err != nil {
			return err
		}
		s.onDisk[it.key] = struct{}{}
	}
	return nil
}

// writeWindow writes a window file whole or not at all.
func writeWindow(path, key string, b *block.Block) error {
	data := binary.AppendUvarint([]byte(fileMagic), uint64(len(key)))
	data = append(data, key...)
	data, err := block.Encode(data, key, b)
	if err != nil {
		log.DefaultLogger.Warn("Not saving a sign-in window", "key", key, "error", err)
		return nil // the window stays in memory; it is refetched after a restart
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// saveLoop saves every saveEvery until Close, so a crash loses minutes of
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
			if err := s.save(); err != nil {
				log.DefaultLogger.Warn("Periodic save of the sign-in cache failed", "error", err)
			}
		}
	}
}

// encodeForL2 encodes a closed window for memcached. An encoding failure only
// costs the L2 entry (nil is returned): the block is still held in memory.
func (s *Store) encodeForL2(key string, b *block.Block) []byte {
	data, err := block.Encode(nil, key, b)
	if err != nil {
		log.DefaultLogger.Warn("Not caching a sign-in window in memcached", "key", key, "error", err)
		return nil
	}
	return data
}
