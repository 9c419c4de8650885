package graphsim

import (
	"context"
	"net/http"
)

// ctxKey keys the values the middleware hands to the endpoints.
type ctxKey int

const (
	idsKey   ctxKey = iota // requestIDs
	grantKey               // grant of the bearer token
)

// requestIDs are Graph's per-request ids: request-id is the server's,
// client-request-id echoes the client's header so logs on both sides join.
type requestIDs struct {
	request, client string
}

// requestIDs sets the request-id headers Graph returns on every response and
// keeps them for error bodies.
func (s *Server) requestIDs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ids := newRequestIDs(r)
		w.Header().Set("request-id", ids.request)
		w.Header().Set("client-request-id", ids.client)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), idsKey, ids)))
	})
}

func newRequestIDs(r *http.Request) requestIDs {
	ids := requestIDs{request: newUUID(), client: r.Header.Get("client-request-id")}
	if ids.client == "" {
		ids.client = newUUID()
	}
	return ids
}

// idsOf returns the ids the middleware assigned, or new ones outside it.
func idsOf(r *http.Request) requestIDs {
	if ids, ok := r.Context().Value(idsKey).(requestIDs); ok {
		return ids
	}
	return newRequestIDs(r)
}

// graphError is Graph's error body.
type graphError struct {
	Error graphErrorDetail `json:"error"`
}

type graphErrorDetail struct {
	Code       string     `json:"code"`
	Message    string     `json:"message"`
	InnerError innerError `json:"innerError"`
}

type innerError struct {
	Date            string `json:"date"` // UTC, no zone designator, as Graph writes it
	RequestID       string `json:"request-id"`
	ClientRequestID string `json:"client-request-id"`
}

// writeGraphError writes a Graph-shaped error, so clients exercise the same
// decoding they need against the real service.
func (s *Server) writeGraphError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	ids := idsOf(r)
	if status >= http.StatusInternalServerError {
		s.log.Error("graphsim: request failed", "path", r.URL.Path, "status", status, "message", message, "request-id", ids.request)
	}
	writeJSON(w, status, graphError{Error: graphErrorDetail{
		Code:    code,
		Message: message,
		InnerError: innerError{
			Date:            s.now().Format("2006-01-02T15:04:05"),
			RequestID:       ids.request,
			ClientRequestID: ids.client,
		},
	}})
}
