package graphsim

import (
	"net/http"
	"testing"
	"time"
)

func TestThrottleBucket(t *testing.T) {
	th := newThrottle(5, 10*time.Second)
	now := testNow
	f := func(tenant string, wantOK bool, wantWait time.Duration) {
		t.Helper()
		ok, wait := th.take(tenant, now)
		if ok != wantOK || wait != wantWait {
			t.Fatalf("at %s, %s: got %v, %s; want %v, %s", now.Sub(testNow), tenant, ok, wait, wantOK, wantWait)
		}
	}
	for range 5 {
		f("a", true, 0)
	}
	f("a", false, 2*time.Second)
	f("b", true, 0) // another tenant has its own budget
	now = now.Add(1500 * time.Millisecond)
	f("a", false, 500*time.Millisecond)
	now = now.Add(500 * time.Millisecond)
	f("a", true, 0)
	f("a", false, 2*time.Second)
	now = now.Add(time.Hour) // credit refills to one window, no more
	for range 5 {
		f("a", true, 0)
	}
	f("a", false, 2*time.Second)
}

func TestRetryAfterSeconds(t *testing.T) {
	f := func(wait time.Duration, want int) {
		t.Helper()
		if got := retryAfterSeconds(wait); got != want {
			t.Fatalf("retryAfterSeconds(%s) = %d; want %d", wait, got, want)
		}
	}
	f(0, 1)
	f(time.Nanosecond, 1)
	f(time.Second, 1)
	f(time.Second+time.Millisecond, 2)
	f(2*time.Second, 2)
}

func TestServerThrottlesPerTenant(t *testing.T) {
	e := newTestEnv(t, Options{Throttle: 5})
	contoso, fabrikam := e.token("contoso"), e.token("fabrikam")
	f := func(tok string, status int, retryAfter string) {
		t.Helper()
		resp, body := e.get("/beta/auditLogs/signIns?$top=1", tok)
		if resp.StatusCode != status || resp.Header.Get("Retry-After") != retryAfter {
			t.Fatalf("status %d, Retry-After %q; want %d, %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), status, retryAfter, body)
		}
		if status == http.StatusTooManyRequests {
			if ge := graphErrorOf(t, body); ge.Code != "TooManyRequests" {
				t.Fatalf("429 body %+v", ge)
			}
		}
	}
	for range 5 {
		f(contoso, 200, "")
	}
	f(contoso, 429, "2")
	f(fabrikam, 200, "")
	e.clock.Advance(time.Second)
	f(contoso, 429, "1")
	e.clock.Advance(time.Second)
	f(contoso, 200, "")
	f(contoso, 429, "2")
	// Token requests and unauthenticated ones do not spend the budget.
	e.token("contoso")
	f("", 401, "")
	e.clock.Advance(2 * time.Second)
	f(contoso, 200, "")
}
