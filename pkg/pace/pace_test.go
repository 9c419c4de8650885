package pace

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// enqueue is Reserve for a ticket that is waited for (as in Wait), without a
// goroutine: PushBack, Sent and Cancel move it.
func (b *Bucket) enqueue(now time.Time) *Ticket {
	b.mu.Lock()
	defer b.mu.Unlock()
	t := b.reserve(now)
	if t.at.After(now) {
		t.wake = make(chan struct{}, 1)
		b.queue = append(b.queue, t)
	}
	return t
}

func wantAt(t *testing.T, what string, tk *Ticket, want time.Duration) {
	t.Helper()
	if got := tk.At().Sub(t0); got != want {
		t.Fatalf("%s: unexpected time t0+%s; want t0+%s", what, got, want)
	}
}

func TestReserveBurstThenInterval(t *testing.T) {
	b := newAt(5, 10*time.Second, t0)
	for range 5 {
		wantAt(t, "burst", b.Reserve(t0), 0)
	}
	wantAt(t, "6th", b.Reserve(t0), 2*time.Second)
	wantAt(t, "7th", b.Reserve(t0), 4*time.Second)
	wantAt(t, "at 4s", b.Reserve(t0.Add(4*time.Second)), 6*time.Second)
	wantAt(t, "refilled", b.Reserve(t0.Add(30*time.Second)), 30*time.Second)
	if got := b.Charged(); got != 9 {
		t.Fatalf("unexpected tokens charged %d; want 9", got)
	}
}

func TestCancelReturnsToken(t *testing.T) {
	b := newAt(5, 10*time.Second, t0)
	for range 5 {
		b.Reserve(t0)
	}
	tk := b.Reserve(t0)
	wantAt(t, "6th", tk, 2*time.Second)
	tk.Cancel()
	tk.Cancel() // only once
	wantAt(t, "after cancel", b.Reserve(t0), 2*time.Second)
	if got := b.Charged(); got != 6 {
		t.Fatalf("unexpected tokens charged %d; want 6", got)
	}

	// A waiting ticket that is cancelled lets the ones behind it move up, in order.
	q1, q2, q3 := b.enqueue(t0), b.enqueue(t0), b.enqueue(t0)
	wantAt(t, "q1", q1, 4*time.Second)
	q1.Cancel()
	wantAt(t, "q2 moved up", q2, 4*time.Second)
	wantAt(t, "q3 moved up", q3, 6*time.Second)
	wantAt(t, "next", b.Reserve(t0), 8*time.Second)
}

func TestWaitCancelReturnsToken(t *testing.T) {
	b := New(1, 200*time.Millisecond)
	start := time.Now()
	if _, err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() {
		_, err := b.Wait(ctx)
		errc <- err
	}()
	waitQueued(t, b, 1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("unexpected error %v; want context.Canceled", err)
	}
	if got := b.Charged(); got != 1 {
		t.Fatalf("unexpected tokens charged %d; want 1 (the cancelled wait's returned)", got)
	}
	// The next waiter gets the cancelled one's slot (200 ms), not the one after.
	if _, err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 390*time.Millisecond {
		t.Fatalf("got a token after %s: the cancelled token was not given back", d)
	}
}

func TestWaitPastDeadlineFailsAtOnce(t *testing.T) {
	b := New(1, time.Hour)
	if _, err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := b.Wait(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("unexpected %v after %s; want DeadlineExceeded at once", err, time.Since(start))
	}
	if got := b.Charged(); got != 1 {
		t.Fatalf("unexpected tokens charged %d; want 1", got)
	}
}

// Waiters get their tokens in the order they asked.
func TestWaitFIFO(t *testing.T) {
	const n = 8
	b := New(1, 20*time.Millisecond)
	var mu sync.Mutex
	var order []int
	var wg sync.WaitGroup
	if _, err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.Wait(context.Background()); err != nil {
				t.Error(err)
			}
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
		}()
		waitIssued(t, b, uint64(i+2)) // the next asks once this one has
	}
	wg.Wait()
	for i, got := range order {
		if got != i {
			t.Fatalf("unexpected order %v; want 0..%d", order, n-1)
		}
	}
}

func TestPushBack(t *testing.T) {
	b := newAt(5, 10*time.Second, t0)
	for range 5 {
		b.Reserve(t0)
	}
	q1, q2 := b.enqueue(t0), b.enqueue(t0)
	wantAt(t, "q1", q1, 2*time.Second)
	wantAt(t, "q2", q2, 4*time.Second)
	// A 429 at 1s with Retry-After 3 s: nothing before 4 s, then every 2 s.
	b.pushBack(t0.Add(4 * time.Second))
	wantAt(t, "q1 pushed", q1, 4*time.Second)
	wantAt(t, "q2 pushed", q2, 6*time.Second)
	q3 := b.enqueue(t0.Add(time.Second))
	wantAt(t, "next", q3, 8*time.Second)
	// A push-back the schedule already honours changes nothing.
	b.pushBack(t0.Add(3 * time.Second))
	wantAt(t, "q1 kept", q1, 4*time.Second)
	wantAt(t, "q2 kept", q2, 6*time.Second)
	wantAt(t, "q3 kept", q3, 8*time.Second)
	wantAt(t, "after", b.enqueue(t0.Add(time.Second)), 10*time.Second)

	// With nobody waiting, the next token is at the push-back's time, even
	// from a full bucket.
	b = newAt(5, 10*time.Second, t0)
	b.pushBack(t0.Add(time.Second))
	wantAt(t, "full bucket", b.Reserve(t0), time.Second)
	wantAt(t, "then", b.Reserve(t0), 3*time.Second)
	// Returning a token does not undo the push-back.
	b = newAt(5, 10*time.Second, t0)
	tk := b.Reserve(t0)
	b.pushBack(t0.Add(time.Second))
	tk.Cancel()
	wantAt(t, "after cancel", b.Reserve(t0), time.Second)
}

// PushBack wakes a waiter and makes it wait longer.
func TestPushBackDelaysWaiter(t *testing.T) {
	b := New(1, 200*time.Millisecond)
	if _, err := b.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	done := make(chan time.Duration)
	go func() {
		if _, err := b.Wait(context.Background()); err != nil {
			t.Error(err)
		}
		done <- time.Since(start)
	}()
	waitQueued(t, b, 1)
	b.PushBack(600 * time.Millisecond)
	if d := <-done; d < 600*time.Millisecond {
		t.Fatalf("the waiter left after %s; want ≥ 600ms (the push-back)", d)
	}
}

// A request written late after an idle period is charged when it was written:
// the waiting tickets move back by as much.
func TestSentLate(t *testing.T) {
	b := newAt(5, 10*time.Second, t0)
	burst := make([]*Ticket, 5)
	for i := range burst {
		burst[i] = b.Reserve(t0)
	}
	q := b.enqueue(t0)
	wantAt(t, "6th", q, 2*time.Second)
	// The first five reach the server 300 ms late (new connections); the
	// server's bucket is full until then, so the sixth may go at 2.3 s.
	for _, tk := range burst {
		tk.Sent(t0.Add(300 * time.Millisecond))
	}
	wantAt(t, "6th moved", q, 2300*time.Millisecond)
	wantAt(t, "7th", b.Reserve(t0), 4300*time.Millisecond)
	// A request sent on time (or early) changes nothing.
	b = newAt(5, 10*time.Second, t0)
	b.Reserve(t0).Sent(t0)
	for range 4 {
		b.Reserve(t0)
	}
	wantAt(t, "on time", b.Reserve(t0), 2*time.Second)
	// In a queue (the bucket empty), sending late by less than the burst's
	// span costs nothing: the service's bucket has not refilled meanwhile.
	b = newAt(5, 10*time.Second, t0)
	for range 5 {
		b.Reserve(t0)
	}
	late := b.Reserve(t0)
	late.Sent(t0.Add(3 * time.Second))
	wantAt(t, "steady", b.Reserve(t0), 4*time.Second)
}

func waitIssued(t *testing.T, b *Bucket, n uint64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b.mu.Lock()
		got := b.issued
		b.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d tokens asked for; want %d", got, n)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

func waitQueued(t *testing.T, b *Bucket, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b.mu.Lock()
		q := len(b.queue)
		b.mu.Unlock()
		if q >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d waiters queued; want %d", q, n)
		}
		time.Sleep(time.Millisecond)
	}
}
