package graphsim

import "errors"

// Sentinel errors. Each names who is at fault: the caller of this package
// (options, files), or the HTTP client talking to the simulator (queries).
var (
	// ErrNoSource means Options.Source was nil (caller's fault).
	ErrNoSource = errors.New("graphsim: Options.Source is nil")
	// ErrBadOption means an Options field is out of range (caller's fault).
	ErrBadOption = errors.New("graphsim: invalid option")
	// ErrBadRecord means a replayed file holds a record the simulator cannot serve
	// (the file's fault).
	ErrBadRecord = errors.New("graphsim: invalid sign-in record")
	// ErrStarted means Start was called twice on one Server (caller's fault).
	ErrStarted = errors.New("graphsim: server already started")

	// ErrBadFilter means the client's $filter is outside the grammar Graph accepts
	// for sign-ins; it becomes a 400 "Invalid filter clause".
	ErrBadFilter = errors.New("invalid filter clause")
	// ErrBadQuery means another query option ($top, $orderby, unknown $-option)
	// is invalid; it becomes a 400.
	ErrBadQuery = errors.New("invalid query option")
	// ErrBadSkipToken means $skiptoken is malformed or was issued for another
	// query; it becomes a 400 as Graph's "Invalid Skip Token".
	ErrBadSkipToken = errors.New("invalid skip token")
)
