package graphsim

import (
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Server is the simulated Graph and token endpoint. It is an http.Handler, so
// it can be mounted in an httptest.Server, or it can listen itself (Start).
type Server struct {
	opts     Options
	log      *slog.Logger
	handler  http.Handler // the whole chain: stats → router
	graphAPI http.Handler // the chain in front of Graph endpoints
	tokens   *tokenStore
	throttle *throttle // nil when throttling is off
	stats    *statsCounter
	faults   *faultState // nil without fault rules

	workspace    *workspace   // the Log Analytics workspace (workspace.go)
	workspaceAPI http.Handler // the chain in front of its query endpoint

	mu      sync.Mutex // guards the listener state below
	httpSrv *http.Server
	caPEM   []byte
}

// New builds a Server; it does not listen until Start.
func New(o Options) (*Server, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Server{
		opts:   o,
		log:    o.Log,
		tokens: newTokenStore(),
		stats:  newStatsCounter(),
	}
	if o.Throttle > 0 {
		s.throttle = newThrottle(o.Throttle, o.ThrottleWindow)
	}
	s.installFaults()
	s.installWorkspace()
	s.graphAPI = chain(http.HandlerFunc(s.serveSignIns), s.requestIDs, s.injectFaults, s.authenticate, s.throttled)
	s.handler = chain(http.HandlerFunc(s.route), s.countRequests)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Stats returns the counters also served at /_sim/stats.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// middleware wraps a handler. The simulator's behaviours are layers of it
// (stats, request ids, authentication, throttling), so fault injection — 5xx,
// resets, truncated or slow pages — can be added as one more layer in
// New without touching the endpoints.
type middleware func(http.Handler) http.Handler

// chain applies mws so that the first one sees the request first.
func chain(h http.Handler, mws ...middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}
