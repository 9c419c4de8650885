package graphsim

import (
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Stats counts what the simulator served. Tests use it to check that a client
// made the requests it should (no more pages than needed, retries after 429).
type Stats struct {
	Requests      int64            `json:"requests"`      // every request but /_sim/* and ReplayPath
	ByStatus      map[string]int64 `json:"byStatus"`      // by HTTP status code
	SignInsServed int64            `json:"signInsServed"` // records in successful pages
	Pages         int64            `json:"pages"`         // successful sign-in pages
	// WorkspaceQueries are the Log Analytics queries answered, by workspace id.
	WorkspaceQueries map[string]int64 `json:"workspaceQueries"`
}

type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

func newStatsCounter() *statsCounter {
	return &statsCounter{s: Stats{ByStatus: make(map[string]int64), WorkspaceQueries: make(map[string]int64)}}
}

func (c *statsCounter) request(status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Requests++
	c.s.ByStatus[strconv.Itoa(status)]++
}

func (c *statsCounter) page(records int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Pages++
	c.s.SignInsServed += int64(records)
}

func (c *statsCounter) workspaceQuery(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.WorkspaceQueries[id]++
}

func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.s
	out.ByStatus = maps.Clone(c.s.ByStatus)
	out.WorkspaceQueries = maps.Clone(c.s.WorkspaceQueries)
	return out
}

// countRequests counts every request by its final status. The simulator's own
// /_sim/ endpoints are left out so that reading the stats does not change them.
func (s *Server) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := strings.ToLower(r.URL.Path); strings.HasPrefix(p, "/_sim/") || p == ReplayPath {
			// The simulator's own paths: not the traffic of Graph or a workspace.
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		s.stats.request(rec.status)
	})
}

// statusRecorder remembers the status code a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusRecorder) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer (flushes,
// deadlines), which fault injection will need.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
