package store

import (
	"errors"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// ErrBadRange is returned for an empty or inverted time range. The user is at fault.
var ErrBadRange = errors.New("store: time range is empty or inverted")

// ErrBadEntry marks a cached value that cannot be used: damaged, truncated,
// written by another format version or under another key. The store treats it
// as a miss and refetches; it never reaches a caller of Scan. It is the
// codec's own (block.ErrBadEntry), so a damaged block and a damaged memcached
// value are one case.
var ErrBadEntry = block.ErrBadEntry

// ErrClosed is returned by Scan after Close. The plugin is at fault: a disposed
// instance was used.
var ErrClosed = errors.New("store: closed")

// PartialError is returned by Scan when the range needed more source requests
// than fit in Config.TimeBudget, or before the request's deadline (budget.WithDeadline):
// fn has been called for the Loaded windows, and a background loader keeps
// fetching the rest, newest first, so a later query over the same range gets
// further. Use errors.As to detect it.
type PartialError struct {
	Loaded int // windows of the range that were answered
	Total  int // windows the range covers
}

// PartialLoad is how many of the range's windows were answered, of how many:
// what a reader's caller needs without importing this package.
func (e *PartialError) PartialLoad() (loaded, total int) { return e.Loaded, e.Total }

func (e *PartialError) Error() string {
	return fmt.Sprintf("store: partial result: %d of %d windows loaded; the rest are being fetched", e.Loaded, e.Total)
}
