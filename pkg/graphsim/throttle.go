package graphsim

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// throttle is a token bucket per tenant, as Graph throttles identity reports.
// Budget is kept as time credit rather than fractional tokens so the
// arithmetic is exact: each request costs window/limit, the bucket holds at
// most one window, and credit accrues at wall-clock (Options.Now) speed.
type throttle struct {
	mu      sync.Mutex
	cost    time.Duration
	window  time.Duration
	buckets map[string]*bucket
}

type bucket struct {
	credit time.Duration
	last   time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{cost: window / time.Duration(limit), window: window, buckets: make(map[string]*bucket)}
}

// take spends one request of the tenant's budget, or reports how long until
// one is available.
func (t *throttle) take(tenant string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[tenant]
	if !ok {
		b = &bucket{credit: t.window, last: now}
		t.buckets[tenant] = b
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.credit = min(t.window, b.credit+elapsed)
		b.last = now
	}
	if b.credit >= t.cost {
		b.credit -= t.cost
		return true, 0
	}
	return false, t.cost - b.credit
}

// throttled answers 429 with Retry-After when the token's tenant is over budget.
func (s *Server) throttled(next http.Handler) http.Handler {
	if s.throttle == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := s.throttle.take(grantOf(r).tenant, s.now())
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
			s.writeGraphError(w, r, http.StatusTooManyRequests, "TooManyRequests", "Too many requests, please retry later.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// retryAfterSeconds rounds a wait up to whole seconds, at least 1, as the
// Retry-After header counts.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int((wait+time.Second-1)/time.Second))
}
