// Package pace spaces requests to a throttled service so that the service never
// has to refuse one. Microsoft Graph allows 5 sign-in report requests per 10 s
// per app and tenant and counts a request when it arrives, retries included;
// a Bucket shared by every caller of one datasource is charged the same way:
// one token per HTTP attempt, taken just before it is sent (Wait), dated when
// the service counts it (Ticket.Sent), and pushed back when the service
// answers 429 anyway (PushBack).
//
// The bucket is a GCRA (generic cell rate algorithm) token bucket: it holds
// burst tokens and earns one every interval. Tokens are handed out in the order
// they were asked for.
package pace

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Graph's budget for sign-in reports, the default of New.
const (
	defaultRequests = 5
	defaultWindow   = 10 * time.Second
)

// Bucket is a token bucket shared by concurrent callers. The zero value is not
// usable; call New.
type Bucket struct {
	every time.Duration // one token per every
	tau   time.Duration // (burst − 1) × every: how far ahead of tat a token may be used

	mu sync.Mutex
	// tat is the theoretical arrival time: the bucket is full when tat ≤ now,
	// and the next token may be used at tat − tau.
	tat     time.Time
	floor   time.Time // no token is used before it (PushBack)
	issued  uint64    // tickets handed out; a ticket's seq is the count at its issue
	charged int64     // tokens taken and not given back
	queue   []*Ticket // tickets waited for in Wait and not yet due, in slot order
}

// New returns a full bucket allowing n requests per window: a burst of n, then
// one every window/n. n or window ≤ 0 take Graph's 5 per 10 s.
func New(n int, window time.Duration) *Bucket { return newAt(n, window, time.Now()) }

// newAt is New for a bucket full at now (tests with their own clock).
func newAt(n int, window time.Duration, now time.Time) *Bucket {
	if n <= 0 {
		n = defaultRequests
	}
	if window <= 0 {
		window = defaultWindow
	}
	every := max(window/time.Duration(n), 1)
	return &Bucket{every: every, tau: time.Duration(n-1) * every, tat: now}
}

// Interval is the time the bucket takes to earn one token.
func (b *Bucket) Interval() time.Duration { return b.every }

// Charged is the number of tokens taken and not given back by Cancel.
func (b *Bucket) Charged() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.charged
}

// Ticket is one token: the right to send one request at or after At.
type Ticket struct {
	b    *Bucket
	seq  uint64
	at   time.Time     // guarded by b.mu; moved by PushBack, Sent and Cancel while queued
	wake chan struct{} // signalled when at moves while the ticket is waited for
	used bool          // Sent or Cancel was called, or Wait gave it up
}

// At is when the ticket's request may be sent.
func (t *Ticket) At() time.Time {
	t.b.mu.Lock()
	defer t.b.mu.Unlock()
	return t.at
}

// Reserve takes a token at now without waiting; the request may be sent at
// At. A ticket from Reserve is never moved: only those in Wait follow PushBack.
func (b *Bucket) Reserve(now time.Time) *Ticket {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.reserve(now)
}

func (b *Bucket) reserve(now time.Time) *Ticket {
	at := b.tat.Add(-b.tau)
	if at.Before(now) {
		at = now
	}
	if b.tat.Before(now) {
		b.tat = now
	}
	b.tat = b.tat.Add(b.every)
	b.issued++
	b.charged++
	return &Ticket{b: b, seq: b.issued, at: at}
}

// Wait takes a token and blocks until it may be used: at once while the burst
// lasts, else in the order tokens were asked for. When ctx ends first, or when
// the token's time is past ctx's deadline, it gives the token back (callers
// queued behind move up) and returns an error wrapping ctx's.
func (b *Bucket) Wait(ctx context.Context) (*Ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b.mu.Lock()
	now := time.Now()
	t := b.reserve(now)
	if !t.at.After(now) {
		b.mu.Unlock()
		return t, nil
	}
	t.wake = make(chan struct{}, 1)
	b.queue = append(b.queue, t)
	b.mu.Unlock()

	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		b.mu.Lock()
		now := time.Now()
		d := t.at.Sub(now)
		if d <= 0 {
			b.dequeue(t)
			b.mu.Unlock()
			return t, nil
		}
		if deadline, ok := ctx.Deadline(); ok && deadline.Before(t.at) {
			b.cancel(t)
			b.mu.Unlock()
			return nil, fmt.Errorf("no request slot before the deadline (the next is in %s): %w", d.Round(time.Millisecond), context.DeadlineExceeded)
		}
		b.mu.Unlock()
		if timer == nil {
			timer = time.NewTimer(d)
		} else {
			timer.Reset(d)
		}
		select {
		case <-timer.C:
		case <-t.wake:
		case <-ctx.Done():
			t.Cancel()
			return nil, ctx.Err()
		}
	}
}

// Cancel gives back a token that was not used to send a request. A waiting
// ticket leaves the queue and those behind it move up one place.
func (t *Ticket) Cancel() {
	b := t.b
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cancel(t)
}

func (b *Bucket) cancel(t *Ticket) {
	if t.used {
		return
	}
	t.used = true
	b.charged--
	if i := b.index(t); i >= 0 {
		for j := len(b.queue) - 1; j > i; j-- {
			b.queue[j].at = b.queue[j-1].at
			b.queue[j].signal()
		}
		b.queue = append(b.queue[:i], b.queue[i+1:]...)
	}
	// The token goes back, but not to before a PushBack's floor.
	b.tat = b.tat.Add(-b.every)
	if low := b.floor.Add(b.tau + time.Duration(len(b.queue))*b.every); b.tat.Before(low) {
		b.tat = low
	}
}

// Sent tells the bucket when the service counts the ticket's request: when it
// was written plus the way there, which may be well after At (a new
// connection's TCP and TLS handshakes come first). While the service's bucket
// is full, a token it does not take yet is not earned again; charging the
// request at its real time keeps this bucket from running ahead of the
// service's, and moves the waiting tickets back if it has to. Only the first
// call counts; a ticket never Sent stays charged at At.
func (t *Ticket) Sent(at time.Time) {
	b := t.b
	b.mu.Lock()
	defer b.mu.Unlock()
	if t.used {
		return
	}
	t.used = true
	b.dequeue(t)
	if !at.After(t.at) {
		return
	}
	// tat is the max-plus fold of every charge time: max over tickets k of
	// (time of k + (tickets from k on) × every). Moving one ticket's time
	// later raises its term only.
	// #nosec G115 -- issued >= seq: tickets are numbered as issued; the count is small
	if c := at.Add(time.Duration(b.issued-t.seq+1) * b.every); c.After(b.tat) {
		b.tat = c
		b.respace()
	}
}

// PushBack tells the bucket that the service refused a request just now and
// asked for retryAfter before the next one (0 when it did not say: one interval
// is assumed). No waiting ticket is used before then, and those queued follow
// one interval apart, in their order.
func (b *Bucket) PushBack(retryAfter time.Duration) {
	if retryAfter <= 0 {
		retryAfter = b.every
	}
	b.pushBack(time.Now().Add(retryAfter))
}

func (b *Bucket) pushBack(until time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.floor) {
		b.floor = until
	}
	// The service's bucket is empty until until: the first waiting ticket then,
	// the next one interval later, and tat after the last of them.
	if c := until.Add(b.tau + time.Duration(len(b.queue))*b.every); c.After(b.tat) {
		b.tat = c
	}
	b.respace()
}

// respace moves the waiting tickets so they fit under tat: the last queued
// one interval before the next token, each one an interval before the next.
func (b *Bucket) respace() {
	bound := b.tat.Add(-b.tau - b.every)
	for i := len(b.queue) - 1; i >= 0; i-- {
		if t := b.queue[i]; t.at.Before(bound) {
			t.at = bound
			t.signal()
		}
		bound = bound.Add(-b.every)
	}
}

func (b *Bucket) index(t *Ticket) int {
	for i, q := range b.queue {
		if q == t {
			return i
		}
	}
	return -1
}

func (b *Bucket) dequeue(t *Ticket) {
	if i := b.index(t); i >= 0 {
		b.queue = append(b.queue[:i], b.queue[i+1:]...)
	}
}

// signal wakes the ticket's waiter, which then reads its new time.
func (t *Ticket) signal() {
	if t.wake == nil {
		return
	}
	select {
	case t.wake <- struct{}{}:
	default:
	}
}
