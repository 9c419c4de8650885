package memguard

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestGrowFailsPastTheCeiling(t *testing.T) {
	g := New(2 << 20)
	a := g.Account()
	if err := a.Grow(1 << 20); err != nil {
		t.Fatal(err)
	}
	err := a.Grow(1<<20 + 1)
	if !errors.Is(err, ErrMemory) {
		t.Fatalf("err = %v; want ErrMemory", err)
	}
	for _, want := range []string{"2.0 MB", "query_memory_limit_mb", "GF_PLUGIN_QUERY_MEMORY_LIMIT_MB", "narrow the query", "retry"} {
		if !strings.Contains(err.Error(), want) {
			t.Fatalf("error %q does not say %q", err, want)
		}
	}
	if got := g.InUse(); got != 1<<20 {
		t.Fatalf("a failed Grow changed InUse to %d", got)
	}
	if err := a.Grow(1 << 20); err != nil {
		t.Fatalf("exactly the ceiling: %v", err)
	}
}

func TestCloseReleases(t *testing.T) {
	g := New(1000)
	a, b := g.Account(), g.Account()
	_ = a.Grow(600)
	_ = b.Grow(300)
	a.Close()
	a.Close() // idempotent
	if got := g.InUse(); got != 300 {
		t.Fatalf("InUse = %d after closing a; want 300", got)
	}
	if err := a.Grow(1); err == nil {
		t.Fatal("a closed account reserved memory")
	}
	b.Close()
	if got := g.InUse(); got != 0 {
		t.Fatalf("InUse = %d; want 0", got)
	}
}

func TestNilIsUnlimited(t *testing.T) {
	var g *Guard
	a := g.Account()
	if err := a.Grow(1 << 62); err != nil {
		t.Fatal(err)
	}
	if err := a.Wait(context.Background(), 1<<62); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if g.InUse() != 0 || g.Limit() != 0 || New(0) != nil {
		t.Fatal("a nil guard has a ceiling")
	}
}

func TestWaitQueuesUntilReleased(t *testing.T) {
	g := New(1000)
	holder := g.Account()
	if err := holder.Wait(context.Background(), 800); err != nil {
		t.Fatal(err)
	}
	waiter := g.Account()
	done := make(chan error, 1)
	go func() { done <- waiter.Wait(context.Background(), 500) }()
	select {
	case err := <-done:
		t.Fatalf("Wait returned %v with the memory still held", err)
	case <-time.After(50 * time.Millisecond):
	}
	holder.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait did not return after the memory was released")
	}
	if got := g.InUse(); got != 500 {
		t.Fatalf("InUse = %d; want 500", got)
	}
	waiter.Close()
}

func TestWaitGivesUp(t *testing.T) {
	g := New(1000)
	holder := g.Account()
	_ = holder.Grow(900)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Account().Wait(ctx, 500) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	// Never grantable, and holding already: both fail at once instead of queuing.
	if err := g.Account().Wait(context.Background(), 1001); !errors.Is(err, ErrMemory) {
		t.Fatalf("beyond the ceiling: err = %v", err)
	}
	if err := holder.Wait(context.Background(), 200); !errors.Is(err, ErrMemory) {
		t.Fatalf("an account holding memory queued: err = %v", err)
	}
	holder.Close()
	if got := g.InUse(); got != 0 {
		t.Fatalf("InUse = %d; want 0", got)
	}
}

// TestConcurrent: many queries reserving at once never pass the ceiling
// together, and every one finishes.
func TestConcurrent(t *testing.T) {
	const limit = 10_000
	g := New(limit)
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			for range 100 {
				a := g.Account()
				if err := a.Wait(context.Background(), 1000); err != nil {
					t.Error(err)
					return
				}
				for range i % 5 {
					_ = a.Grow(500)
				}
				if used := g.InUse(); used > limit {
					t.Errorf("InUse %d passed the ceiling %d", used, limit)
				}
				a.Close()
			}
		})
	}
	wg.Wait()
	if got := g.InUse(); got != 0 {
		t.Fatalf("InUse = %d after every account closed", got)
	}
}

func TestDefaultLimit(t *testing.T) {
	const gib = 1 << 30
	for _, c := range []struct {
		name           string
		operator, want int64
	}{
		{"no operator limit", 0, 2 * gib},
		{"GOMEMLIMIT 16 GiB", 16 * gib, 4 * gib},
		{"GOMEMLIMIT 512 MiB", gib / 2, 256 << 20},
	} {
		if got := DefaultLimit(c.operator); got != c.want {
			t.Errorf("%s: %d; want %d", c.name, got, c.want)
		}
	}
}
