package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/budget"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// gateSource is a fakeSource whose calls block until open is closed.
type gateSource struct {
	fakeSource
	open chan struct{}
}

func (g *gateSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.fakeSource.ListSignIns(ctx, t, from, to, fn)
}

func closedNow() time.Time { return day.Add(48 * time.Hour) }

// TestCancelledScanThenScan: a scan cancelled before its fetch asks the source
// leaves nothing behind; the next scan loads the window with one request,
// whether the cancelled fetch stopped before asking or was answered first.
func TestCancelledScanThenScan(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	s := New(src, Config{Now: closedNow})
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := scanEvents(s, ctx, signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("unexpected error %v; want context.Canceled", err)
	}
	close(src.open)
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("unexpected source calls; got %d; want 1 (a cancelled fetch is stopped or its answer used, never both)", got)
	}
}

// pagingFailure delivers the first page of a listing, then fails.
type pagingFailure struct {
	fakeSource
	failing atomic.Bool
}

func (p *pagingFailure) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	if !p.failing.Load() {
		return p.fakeSource.ListSignIns(ctx, t, from, to, fn)
	}
	p.calls.Add(1)
	if err := fn([]signin.Event{{ID: "x", Created: from, LogType: t}}); err != nil {
		return err
	}
	return errors.New("invalid skip token")
}

func TestWindowFetchedInPartIsNotCached(t *testing.T) {
	src := &pagingFailure{}
	src.failing.Store(true)
	s := New(src, Config{Now: closedNow})
	defer s.Close()
	if err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(time.Hour), func(*signin.Event) {}); err == nil {
		t.Fatal("expected the paging failure")
	}
	src.failing.Store(false)
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if st := s.Stats(); st.WindowsCached != 1 || st.EventsCached != 60 || st.SourceRequests != 2 {
		t.Fatalf("unexpected stats %+v", st)
	}
}

func TestTimeBudgetGivesPartialResult(t *testing.T) {
	src := &gateSource{open: make(chan struct{})}
	close(src.open)
	s := New(src, Config{Now: closedNow, TimeBudget: time.Hour})
	defer s.Close()
	count(t, s, day.Add(2*time.Hour), day.Add(3*time.Hour)) // one window held
	src.open = make(chan struct{})
	s.cfg.TimeBudget = time.Millisecond // only Scan reads it
	n := 0
	err := scanEvents(s, context.Background(), signin.Interactive, day, day.Add(3*time.Hour), func(*signin.Event) { n++ })
	var partial *PartialError
	if !errors.As(err, &partial) || partial.Loaded != 1 || partial.Total != 3 {
		t.Fatalf("unexpected error %v; want a PartialError of 1 of 3 windows", err)
	}
	if n != 60 {
		t.Fatalf("unexpected sign-ins from the loaded window; got %d; want 60", n)
	}
	// The background loader finishes once the source answers.
	close(src.open)
	s.cfg.TimeBudget = time.Hour // only Scan reads it
	if got, want := count(t, s, day, day.Add(3*time.Hour)), 180; got != want {
		t.Fatalf("unexpected count after loading; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("unexpected source calls; got %d; want 2", got)
	}
}

func TestPersistenceAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	src := &fakeSource{}
	cfg := Config{Now: closedNow, Dir: dir, Namespace: "uid-1/tenant/abc", L1Bytes: 32 << 20}
	s := New(src, cfg)
	if got, want := count(t, s, day, day.Add(6*time.Hour)), 360; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	calls := src.calls.Load()
	s = New(src, cfg)
	defer s.Close()
	if got, want := count(t, s, day, day.Add(6*time.Hour)), 360; got != want {
		t.Fatalf("unexpected count after restart; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != calls {
		t.Fatalf("a restarted store called the source %d times; want 0", got-calls)
	}
	if st := s.Stats(); st.DiskHits != 6 || st.L1Misses != 6 || st.DiskBytes == 0 || st.BytesCached == 0 {
		t.Fatalf("unexpected stats %+v", st)
	}
	// Another namespace in the same directory shares nothing.
	other := cfg
	other.Namespace = "uid-2/tenant/abc"
	o := New(src, other)
	defer o.Close()
	count(t, o, day, day.Add(time.Hour))
	if got := src.calls.Load(); got != calls+1 {
		t.Fatalf("unexpected source calls for another namespace; got %d; want %d", got-calls, 1)
	}
}

// TestReplacedInstanceKeepsTheSave: Grafana makes a datasource's new instance
// (which loads the cache file) before it disposes of the old one (which saves
// what it fetched). The new instance, having fetched nothing, must not
// overwrite that save with the older copy it loaded.
func TestReplacedInstanceKeepsTheSave(t *testing.T) {
	dir := t.TempDir()
	src := &fakeSource{}
	cfg := Config{Now: closedNow, Dir: dir, Namespace: "ns", L1Bytes: 32 << 20}
	old := New(src, cfg)
	count(t, old, day, day.Add(6*time.Hour))
	replacement := New(src, cfg) // loads no file: the old instance has not saved yet
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if err := replacement.Close(); err != nil {
		t.Fatal(err)
	}
	calls := src.calls.Load()
	s := New(src, cfg)
	defer s.Close()
	if got := count(t, s, day, day.Add(6*time.Hour)); got != 360 || src.calls.Load() != calls {
		t.Fatalf("after the replacement closed: %d sign-ins with %d source calls; want 360 with none", got, src.calls.Load()-calls)
	}
}

func TestDamagedCacheFileGivesEmptyCache(t *testing.T) {
	dir := t.TempDir()
	src := &fakeSource{}
	cfg := Config{Now: closedNow, Dir: dir, Namespace: "ns", L1Bytes: 32 << 20}
	s := New(src, cfg)
	count(t, s, day, day.Add(time.Hour))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(s.diskPath(), "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no cache files written: %v", err)
	}
	for _, f := range files {
		if err := os.WriteFile(f, []byte("garbage"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s = New(src, cfg)
	defer s.Close()
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("unexpected source calls; got %d; want 2 (the damaged cache is dropped)", got)
	}
}

// TestDamagedWindowFileIsAMiss: a window file damaged on disk is dropped at
// load and only its window is fetched again.
func TestDamagedWindowFileIsAMiss(t *testing.T) {
	dir := t.TempDir()
	src := &fakeSource{}
	cfg := Config{Now: closedNow, Dir: dir, Namespace: "ns"}
	s := New(src, cfg)
	count(t, s, day, day.Add(2*time.Hour))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	key := cacheKey(s.ns, signin.Interactive, window{start: day, size: time.Hour})
	path := filepath.Join(s.diskPath(), windowFile(key))
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the first window's file: %v", err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s = New(src, cfg)
	if got, want := count(t, s, day, day.Add(2*time.Hour)), 120; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if got := src.calls.Load(); got != 2 {
		t.Fatalf("unexpected source calls; got %d; want 2 (the damaged window is refetched)", got)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the refetched window was not saved again at close: %v", err)
	}
}

// TestEvictedWindowComesBackFromDisk: a window memory let go is read from its
// file, not fetched again; the files stay within DiskBytes, oldest out first.
func TestEvictedWindowComesBackFromDisk(t *testing.T) {
	src := &fakeSource{}
	s := New(src, Config{Now: closedNow, Dir: t.TempDir(), Namespace: "ns", L1Bytes: 1, DiskBytes: 1 << 30})
	defer s.Close()
	count(t, s, day, day.Add(3*time.Hour)) // memory keeps only the last window
	waitFiles(t, s, 3)
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want || src.calls.Load() != 1 {
		t.Fatalf("evicted window: %d sign-ins with %d source calls; want %d with 1", got, src.calls.Load(), want)
	}
	if st := s.Stats(); st.DiskHits != 1 || st.WindowsCached != 1 {
		t.Fatalf("unexpected stats %+v; want 1 disk hit, 1 window in memory", st)
	}

	dir := t.TempDir()
	probe := New(&fakeSource{}, Config{Now: closedNow, Dir: dir, Namespace: "probe"})
	count(t, probe, day, day.Add(time.Hour))
	waitFiles(t, probe, 1)
	one := probe.Stats().DiskBytes
	probe.Close()
	limit := int(2*one + one/2)
	small := New(&fakeSource{}, Config{Now: closedNow, Dir: dir, Namespace: "ns", DiskBytes: limit})
	defer small.Close()
	// One window at a time, each written before the next is fetched: files
	// written by concurrent fetches have no order to assert on.
	for h := range 4 {
		start := day.Add(time.Duration(h) * time.Hour)
		count(t, small, start, start.Add(time.Hour))
		waitWindowFile(t, small, cacheKey(small.ns, signin.Interactive, window{start: start, size: time.Hour}))
	}
	small.Close() // waits for the last write's trim
	files, _ := filepath.Glob(filepath.Join(small.diskPath(), "*.win"))
	var onDisk int64
	for _, f := range files {
		if info, err := os.Stat(f); err == nil {
			onDisk += info.Size()
		}
	}
	if st := small.Stats(); st.DiskBytes > int64(limit) || onDisk != st.DiskBytes || len(files) < 2 {
		t.Fatalf("%d files of %d bytes, counted %d; want at least 2 within the limit of %d (one is %d)", len(files), onDisk, st.DiskBytes, limit, one)
	}
	newest := cacheKey(small.ns, signin.Interactive, window{start: day.Add(3 * time.Hour), size: time.Hour})
	if _, err := os.Stat(filepath.Join(small.diskPath(), windowFile(newest))); err != nil {
		t.Fatalf("the newest window's file went: %v", err)
	}
}

// waitFiles waits until the store has written at least n window files, which
// it does just after the windows' queries are answered.
func waitFiles(t *testing.T, s *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		files, _ := filepath.Glob(filepath.Join(s.diskPath(), "*.win"))
		if len(files) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d window files written; want %d", len(files), n)
		}
	}
}

// waitWindowFile waits until the store has written the window's file.
func waitWindowFile(t *testing.T, s *Store, key string) {
	t.Helper()
	path := filepath.Join(s.diskPath(), windowFile(key))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("window file %s not written", path)
		}
	}
}

// TestDiskAnswersOutOfBudget: windows on disk are answered even when the
// request's time budget is spent, as windows in memory are.
func TestDiskAnswersOutOfBudget(t *testing.T) {
	dir := t.TempDir()
	src := &fakeSource{}
	cfg := Config{Now: closedNow, Dir: dir, Namespace: "ns"}
	s := New(src, cfg)
	count(t, s, day, day.Add(3*time.Hour))
	waitFiles(t, s, 3)
	s.Close()
	s = New(src, cfg)
	defer s.Close()
	spent := budget.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	n := 0
	if err := scanEvents(s, spent, signin.Interactive, day, day.Add(3*time.Hour), func(*signin.Event) { n++ }); err != nil || n != 180 {
		t.Fatalf("out of budget: %d sign-ins, %v; want all 180 from disk", n, err)
	}
	if got := src.calls.Load(); got != 1 {
		t.Fatalf("%d source calls; want 1", got)
	}
}

// TestDiskWriteErrorStays: a failed write to the cache directory is reported
// until a write succeeds; refreshing an open window, which writes nothing,
// does not clear it.
func TestDiskWriteErrorStays(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{Dir: dir, Namespace: "ns", Now: func() time.Time { return day.Add(3*time.Hour + 5*time.Minute) }}
	probe := New(&fakeSource{}, cfg)
	path := probe.diskPath()
	probe.Close()
	if err := os.WriteFile(path, nil, 0o600); err != nil { // a file where the directory goes
		t.Fatal(err)
	}
	s := New(&fakeSource{}, cfg)
	count(t, s, day, day.Add(2*time.Hour)) // closed windows: their writes fail
	deadline := time.Now().Add(10 * time.Second)
	for s.Stats().SaveError == "" && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	count(t, s, day.Add(3*time.Hour), day.Add(3*time.Hour+5*time.Minute)) // the open window
	time.Sleep(20 * time.Millisecond)
	if msg := s.Stats().SaveError; !strings.Contains(msg, "saving the sign-in cache") {
		t.Fatalf("save error %q after an open window's refresh; want it kept", msg)
	}
	if err := s.Close(); err == nil {
		t.Fatal("Close did not report the failed writes")
	}
}
