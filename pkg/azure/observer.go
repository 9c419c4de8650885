package azure

import "time"

// Observer receives what a metrics layer counts of a client's exchanges with
// a Microsoft service (Graph pages, a workspace's answers). Calls are
// synchronous on the requesting goroutine: implementations must be cheap and
// safe for concurrent use, since one client serves many requests at once.
type Observer interface {
	// Request reports one HTTP exchange: its status (0 when no response
	// arrived) and how long it took until the body was read.
	Request(status int, d time.Duration)
	// Retry reports a retry and its reason (the Reason* names), or a split
	// when an answer cut at the service's row limit is asked for in halves.
	Retry(reason string)
	// Decoded reports what a page or an answer gave.
	Decoded(d Decoded)
}

// Decoded is what one page or answer gave: its sign-ins, the rows they came
// from (a Graph page has one per sign-in; a workspace may re-emit one) and
// its body's bytes, 0 when not known.
type Decoded struct {
	Events, Rows, Bytes int
}

// NopObserver observes nothing: a client's Observer when none is given.
type NopObserver struct{}

func (NopObserver) Request(int, time.Duration) {}
func (NopObserver) Retry(string)               {}
func (NopObserver) Decoded(Decoded)            {}
