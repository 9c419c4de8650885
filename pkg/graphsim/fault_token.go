package graphsim

import (
	"encoding/base64"
	"net/http"
	"strconv"
)

// expireToken ends tok's lifetime now, so the authentication that follows
// answers Graph's own 401 for an expired token, for this request and any
// retry with the same token.
func (s *Server) expireToken(tok string) {
	now := s.now()
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	if g, ok := s.tokens.grants[tok]; ok && now.Before(g.expires) {
		g.expires = now
		s.tokens.grants[tok] = g
	}
}

// revokeToken forgets the request's token and answers as Graph does under
// Continuous Access Evaluation: 401 with a claims challenge. A client passes
// the claims to the token endpoint, which makes it issue a new token instead
// of the cached, revoked one.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	s.tokens.mu.Lock()
	delete(s.tokens.grants, bearerToken(r))
	s.tokens.mu.Unlock()
	claims := `{"access_token":{"nbf":{"essential":true,"value":"` + strconv.FormatInt(s.now().Unix(), 10) + `"}}}`
	w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+baseURLOf(r)+`/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="`+base64.StdEncoding.EncodeToString([]byte(claims))+`"`)
	s.writeGraphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken",
		"Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp")
}
