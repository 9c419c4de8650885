package graph

import "time"

// Observer receives what a metrics layer wants to count. Calls are synchronous on
// the paging goroutine: implementations must be cheap and safe for concurrent use,
// since one Client serves many listings at once.
type Observer interface {
	// Request reports one HTTP exchange with Graph: its status (0 when no response
	// arrived) and how long it took until the body was read.
	Request(status int, d time.Duration)
	// Retry reports a retry and its reason: throttled, server, timeout, network,
	// truncated, unauthorized or skiptoken.
	Retry(reason string)
	// Decoded reports a decoded page: its events and body bytes.
	Decoded(events, bytes int)
}

type nopObserver struct{}

func (nopObserver) Request(int, time.Duration) {}
func (nopObserver) Retry(string)               {}
func (nopObserver) Decoded(int, int)           {}
