package store

import "errors"

// ErrBadRange is returned for an empty or inverted time range.
var ErrBadRange = errors.New("store: time range is empty or inverted")
