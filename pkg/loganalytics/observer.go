package loganalytics

import "time"

// Observer receives what a metrics layer wants to count, as graph.Observer
// does. Calls are synchronous: implementations must be cheap and safe for
// concurrent use.
type Observer interface {
	// Request reports one HTTP attempt: its status (0 when no response
	// arrived) and how long it took until the body was read.
	Request(status int, d time.Duration)
	// Retry reports a retry and its reason: throttled, server, timeout,
	// network or unauthorized; or split, when a result cut at the row limit
	// is asked for again in halves.
	Retry(reason string)
	// Decoded reports a decoded answer: its rows and the sign-ins they gave.
	Decoded(rows, events int)
}

type nopObserver struct{}

func (nopObserver) Request(int, time.Duration) {}
func (nopObserver) Retry(string)               {}
func (nopObserver) Decoded(int, int)           {}
