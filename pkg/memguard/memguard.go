// Package memguard bounds the memory the plugin's queries hold at once. Each
// query is bounded on its own (maxCells, limits), but a few heavy ones at once
// plus their answers could still take the process out of memory: a Guard is a
// process-wide ceiling that every query charges what it builds against.
package memguard

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// ErrMemory is what a query gets when it would take the plugin's queries past
// the ceiling.
var ErrMemory = errors.New("query memory limit reached")

// errClosed is returned by an account used after Close.
var errClosed = errors.New("memguard: account used after Close")

// Guard is a ceiling on the bytes all queries reserve together. A nil *Guard
// has no ceiling.
//
// It is a mutex and a channel rather than golang.org/x/sync/semaphore: a
// Weighted semaphore refuses TryAcquire whenever anyone is queued, so a query
// merely waiting to start would make every running query fail its next
// group even with memory to spare, and it cannot report what is in use.
// Running queries go first here: they already hold memory and free it when
// they finish, which is what the queued ones wait for.
type Guard struct {
	limit int64

	mu       sync.Mutex
	used     int64
	released chan struct{} // closed (and replaced) whenever memory is released
}

// New returns a guard of limitBytes; nil (no ceiling) for limitBytes ≤ 0.
func New(limitBytes int64) *Guard {
	if limitBytes <= 0 {
		return nil
	}
	return &Guard{limit: limitBytes, released: make(chan struct{})}
}

// Limit returns the ceiling in bytes, 0 for none.
func (g *Guard) Limit() int64 {
	if g == nil {
		return 0
	}
	return g.limit
}

// InUse returns the bytes reserved by open accounts.
func (g *Guard) InUse() int64 {
	if g == nil {
		return 0
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.used
}

// Account returns a new account for one query; nil (unlimited) for a nil guard.
func (g *Guard) Account() *Account {
	if g == nil {
		return nil
	}
	return &Account{g: g}
}

// Account is what one query reserved. Close it when the query is answered.
// A nil *Account reserves nothing and never fails.
type Account struct {
	g      *Guard
	held   int64 // guarded by g.mu
	closed bool  // guarded by g.mu
}

// Grow reserves n more bytes, failing at once with an error wrapping ErrMemory
// when that would pass the ceiling: a query in the middle of a scan must not
// wait for memory while holding some, or two of them could wait for each other.
func (a *Account) Grow(n int64) error {
	if a == nil || n <= 0 {
		return nil
	}
	g := a.g
	g.mu.Lock()
	defer g.mu.Unlock()
	return a.reserveLocked(n)
}

// Wait reserves n bytes, queuing until other accounts release enough or ctx is
// done (then it returns ctx.Err()). It is for the start of a query, before it
// holds anything: an account already holding memory does not queue but fails
// as Grow does, so no two queries ever wait for each other. A reservation
// larger than the ceiling fails at once, as it could never be granted.
func (a *Account) Wait(ctx context.Context, n int64) error {
	if a == nil || n <= 0 {
		return nil
	}
	g := a.g
	for {
		g.mu.Lock()
		if a.closed || a.held > 0 || n > g.limit || g.used+n <= g.limit {
			err := a.reserveLocked(n)
			g.mu.Unlock()
			return err
		}
		released := g.released
		g.mu.Unlock()
		select {
		case <-released:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// reserveLocked adds n to the account if it fits under the ceiling.
func (a *Account) reserveLocked(n int64) error {
	g := a.g
	if a.closed {
		return errClosed
	}
	if g.used+n > g.limit {
		return fmt.Errorf("%w: the plugin's queries may hold at most %s at once (server setting query_memory_limit_mb, environment variable GF_PLUGIN_QUERY_MEMORY_LIMIT_MB); narrow the query (a shorter range, fewer or coarser groupBy keys, more filters) or retry when other queries have finished",
			ErrMemory, megabytes(g.limit))
	}
	g.used += n
	a.held += n
	return nil
}

// Close releases everything the account reserved and wakes queued accounts.
// Closing twice is harmless; the account reserves nothing after it.
func (a *Account) Close() {
	if a == nil {
		return
	}
	g := a.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if a.closed {
		return
	}
	a.closed = true
	if a.held > 0 {
		g.used -= a.held
		a.held = 0
		close(g.released)
		g.released = make(chan struct{})
	}
}

// megabytes formats a byte count in MB, with a decimal below 10 MB so a small
// test ceiling does not read "0 MB".
func megabytes(n int64) string {
	mb := float64(n) / (1 << 20)
	if mb < 10 {
		return fmt.Sprintf("%.1f MB", mb)
	}
	return fmt.Sprintf("%.0f MB", mb)
}

// Bounds of DefaultLimit.
const (
	minDefault      = 256 << 20
	fallbackDefault = 2 << 30
)

// DefaultLimit is a ceiling for a server that sets none: a quarter of the
// process's memory limit when its operator set one (GOMEMLIMIT; 0 or less
// for none), at least 256 MiB; else 2 GiB, a quarter of an 8 GiB host. A
// quarter, because the plugin is not alone: Grafana itself usually runs on
// the same host or container, and the plugin's own sign-in cache
// (cacheSizeMB) and the answers being encoded take their share beside the
// queries' work. The host's and the cgroup's memory are not read: that would
// mean reading /proc and /sys, and a plugin may not read the server's files
// (Grafana's catalog rules); the server admin sets query_memory_limit_mb on
// a smaller host. (1 GiB made a cold dashboard wait for memory: 1.6× slower.)
func DefaultLimit(operatorLimit int64) int64 {
	if operatorLimit <= 0 {
		return fallbackDefault
	}
	return max(operatorLimit/4, minDefault)
}

// SoftLimit is the garbage collector's soft memory limit for a process whose
// queries may hold ceiling and whose caches (the datasources' sign-ins and
// what they keep beside them) may hold caches: what is live at most, plus a
// quarter of the caches for garbage, at least 512 MiB. A host then plans for
// about ceiling + 1.5 × cacheSizeMB (BENCHMARKS.md, figure j); below what the
// caches hold the collector would run without pause. The collector runs more
// often as the heap nears it: by default it lets the heap grow to twice what
// is live, which took a 2 GB cache to 5.6–8.9 GiB of RSS while panels ran.
func SoftLimit(ceiling, caches int64) int64 {
	caches = max(caches, 0)
	return max(ceiling+caches+caches/4, 512<<20)
}
