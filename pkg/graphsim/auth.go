package graphsim

import (
	"context"
	"net/http"
	"strings"
)

// authenticate rejects Graph requests without a live bearer token from the
// token endpoint, with Graph's 401, and passes the token's grant on (the
// throttle needs its tenant).
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g, problem := s.tokens.check(bearerToken(r), s.now())
		if problem != "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+baseURLOf(r)+`/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
			s.writeGraphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", problem)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), grantKey, g)))
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header, or "".
func bearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// grantOf returns the grant authenticate attached to r.
func grantOf(r *http.Request) grant {
	g, _ := r.Context().Value(grantKey).(grant)
	return g
}

// baseURLOf is the scheme and host the request came in on: links the server
// hands out (nextLink, token endpoint) must reach it the same way.
func baseURLOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
