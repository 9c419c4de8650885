package store

import (
	"errors"
	"fmt"
)

// ErrBadRange is returned for an empty or inverted time range. The user is at fault.
var ErrBadRange = errors.New("store: time range is empty or inverted")

// ErrBadEntry marks a cached value that cannot be used: damaged, truncated,
// written by another format version or under another key. The store treats it
// as a miss and refetches; it never reaches a caller of Scan.
var ErrBadEntry = errors.New("store: unusable cache entry")

// ErrClosed is returned by Scan after Close. The plugin is at fault: a disposed
// instance was used.
var ErrClosed = errors.New("store: closed")

// PartialError is returned by Scan when the range needed more source requests
// than fit in Config.TimeBudget, or before the request's deadline (WithDeadline):
// fn has been called for the Loaded windows, and a background loader keeps
// fetching the rest, newest first, so a later query over the same range gets
// further. Use errors.As to detect it.
type PartialError struct {
	Loaded int // windows of the range that were answered
	Total  int // windows the range covers
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("store: partial result: %d of %d windows loaded; the rest are being fetched", e.Loaded, e.Total)
}
