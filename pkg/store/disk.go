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
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// disk is the tier in Config.Dir: one file per closed window, written when the
// window is fetched, so a restart (or a window memory let go) reads it back
// instead of asking the source, and a process that is killed loses nothing
// it fetched (files are not synced: after the machine crashes, a damaged
// file is refetched). A file is its window's key and the window's block
// encoding, which carries the key and a checksum: a damaged, truncated or
// misplaced file is deleted and its window refetched. A store keeps its files
// under Config.DiskBytes, the least recently written going first; two stores
// of one namespace (Grafana builds a datasource's new instance before it
// disposes of the old one) share the directory and may briefly hold more.
//
// One file per window rather than one for the cache: nothing is rewritten
// when a window is added, and a damaged file costs one window.
type disk struct {
	s     *Store
	dir   string
	limit int64
	mu    sync.Mutex
	files map[string]diskFile // by file name
	bytes int64
}

type diskFile struct {
	size int64
	mod  time.Time
}

// fileMagic starts every window file; bump it with the layout below.
const fileMagic = "SLW1"

// diskPath is the namespace's directory, so datasources sharing Config.Dir do
// not see each other's windows.
func (s *Store) diskPath() string {
	return filepath.Join(s.cfg.Dir, fmt.Sprintf("l1-%016x", xxhash.Sum64String(s.cfg.Namespace)))
}

func windowFile(key string) string { return fmt.Sprintf("%016x.win", xxhash.Sum64String(key)) }

// staleWrite is how old a temporary file must be to be a write cut short
// rather than another store's write in progress.
const staleWrite = 10 * time.Minute

// openDisk lists the namespace's window files. Anything else in the directory
// (an older build's cache, a write cut short) is removed.
func openDisk(s *Store) *disk {
	d := &disk{s: s, dir: s.diskPath(), limit: int64(s.cfg.DiskBytes), files: make(map[string]diskFile)}
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.DefaultLogger.Warn("Ignoring the sign-in cache directory", "path", d.dir, "error", err)
		}
		return d
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		switch {
		case strings.HasSuffix(e.Name(), ".tmp") && time.Since(info.ModTime()) < staleWrite:
		case !info.Mode().IsRegular() || !strings.HasSuffix(e.Name(), ".win"):
			_ = os.RemoveAll(filepath.Join(d.dir, e.Name()))
		default:
			d.files[e.Name()] = diskFile{size: info.Size(), mod: info.ModTime()}
			d.bytes += info.Size()
		}
	}
	d.trim() // DiskBytes may have been lowered
	return d
}

func (d *disk) local() bool { return true }

// lookup settles the closed windows that have a file.
func (d *disk) lookup(jobs []*job) []*job {
	var rest []*job
	for _, j := range jobs {
		if b := d.read(j); b != nil {
			d.s.counts.diskHits.Add(1)
			d.s.metrics.hits.WithLabelValues(d.s.cfg.MetricsLabel, layerDisk).Inc()
			d.s.settle(j, b, nil)
			continue
		}
		rest = append(rest, j)
	}
	return rest
}

// read returns a closed job's window from its file, or nil.
func (d *disk) read(j *job) *block.Block {
	name := windowFile(j.key)
	d.mu.Lock()
	_, ok := d.files[name]
	d.mu.Unlock()
	if !j.closed || !ok {
		return nil
	}
	b, err := d.decode(filepath.Join(d.dir, name), j)
	if errors.Is(err, fs.ErrNotExist) { // another store of the namespace trimmed it
		d.forget(name)
		return nil
	}
	if err != nil {
		log.DefaultLogger.Warn("Dropping a damaged sign-in cache file", "path", filepath.Join(d.dir, name), "error", err)
		d.remove(name)
		d.s.metrics.rejected.WithLabelValues(d.s.cfg.MetricsLabel, layerDisk).Inc()
		return nil
	}
	return b
}

// decode reads a window file, which must hold the job's window.
func (d *disk) decode(path string, j *job) (*block.Block, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(data, []byte(fileMagic))
	if !ok {
		return nil, fmt.Errorf("%w: not a window file", ErrBadEntry)
	}
	n, k := binary.Uvarint(rest)
	if k <= 0 || n > uint64(len(rest)-k) || string(rest[k:k+int(n)]) != j.key {
		return nil, fmt.Errorf("%w: the file of another window", ErrBadEntry)
	}
	b, err := block.Decode(rest[k+int(n):], j.key, d.s.tables.Of)
	if err == nil && (!b.Start.Equal(j.w.start) || !b.End.Equal(j.w.end())) {
		err = fmt.Errorf("%w: block is [%s, %s)", ErrBadEntry, b.Start, b.End)
	}
	return b, err
}

// keep writes the windows' files, then removes the least recently written
// while over the limit. A failed write is reported by Stats, the health check
// and Close until a later write succeeds; the window stays in memory.
func (d *disk) keep(ws []written) {
	for _, w := range ws {
		if w.data == nil {
			continue
		}
		if err := d.write(w.j.key, w.data); err != nil {
			msg := fmt.Sprintf("saving the sign-in cache to %s: %v", d.dir, err)
			d.s.counts.saveError.Store(&msg)
			log.DefaultLogger.Warn("Saving a sign-in window failed", "error", err)
			continue
		}
		d.s.counts.saveError.Store(nil)
	}
	d.trim()
}

// write writes a window file whole or not at all.
func (d *disk) write(key string, data []byte) error {
	if err := os.MkdirAll(d.dir, 0o700); err != nil {
		return err
	}
	head := binary.AppendUvarint([]byte(fileMagic), uint64(len(key)))
	head = append(head, key...)
	name := windowFile(key)
	// A name of its own: another store of the namespace may write the same
	// window at the same time.
	f, err := os.CreateTemp(d.dir, name+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(append(head, data...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.dir, name))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bytes += int64(len(head)+len(data)) - d.files[name].size
	d.files[name] = diskFile{size: int64(len(head) + len(data)), mod: time.Now()}
	return nil
}

// trim removes the least recently written files while over the limit, down
// to nine tenths of it, so that it does not run on every write.
func (d *disk) trim() {
	d.mu.Lock()
	if d.bytes <= d.limit {
		d.mu.Unlock()
		return
	}
	names := make([]string, 0, len(d.files))
	for name := range d.files {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return d.files[names[i]].mod.Before(d.files[names[j]].mod) })
	var drop []string
	for _, name := range names {
		if d.bytes <= d.limit*9/10 {
			break
		}
		d.bytes -= d.files[name].size
		delete(d.files, name)
		drop = append(drop, name)
	}
	d.mu.Unlock()
	for _, name := range drop {
		_ = os.Remove(filepath.Join(d.dir, name))
	}
}

func (d *disk) remove(name string) {
	d.forget(name)
	_ = os.Remove(filepath.Join(d.dir, name))
}

func (d *disk) forget(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.bytes -= d.files[name].size
	delete(d.files, name)
}

func (d *disk) close() {}

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
