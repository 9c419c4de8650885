package graphsim

import (
	"crypto/subtle"
	"net/http"
	"strings"
)

// jwtBearerAssertion is the client_assertion_type of certificate and
// workload-identity credentials.
const jwtBearerAssertion = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" // #nosec G101 -- a standard OAuth URN, not a secret

// tokenRequest is the form of a client-credentials token request.
type tokenRequest struct {
	grantType, clientID, scope       string
	secret, assertion, assertionType string
}

// tokenResponse is Entra ID's success body.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	ExtExpiresIn int64  `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
}

// serveToken answers POST /{tenant}/oauth2/v2.0/token (client credentials).
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, tenant string) {
	if err := r.ParseForm(); err != nil {
		s.writeAADError(w, r, aadFailure{http.StatusBadRequest, "invalid_request", 900144, "The request body is not a valid form: " + err.Error()})
		return
	}
	req := readTokenRequest(r)
	if f := s.checkTokenRequest(tenant, req); f != nil {
		s.writeAADError(w, r, *f)
		return
	}
	now := s.now()
	tok := s.tokens.issue(grant{tenant: strings.ToLower(tenant), clientID: req.clientID, expires: now.Add(s.opts.TokenLifetime)}, now)
	secs := int64(s.opts.TokenLifetime.Seconds())
	s.log.Debug("graphsim: token issued", "tenant", tenant, "client_id", req.clientID)
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", ExpiresIn: secs, ExtExpiresIn: secs, AccessToken: tok})
}

// readTokenRequest reads the form; HTTP Basic credentials stand in for
// client_id/client_secret, as RFC 6749 §2.3.1 allows.
func readTokenRequest(r *http.Request) tokenRequest {
	f := r.PostForm
	req := tokenRequest{
		grantType:     f.Get("grant_type"),
		clientID:      f.Get("client_id"),
		scope:         f.Get("scope"),
		secret:        f.Get("client_secret"),
		assertion:     f.Get("client_assertion"),
		assertionType: f.Get("client_assertion_type"),
	}
	if user, pass, ok := r.BasicAuth(); ok && req.clientID == "" && req.secret == "" {
		req.clientID, req.secret = user, pass
	}
	return req
}

// checkTokenRequest validates the request in the order Entra ID reports
// problems: form parameters, scope, then the client's credential.
func (s *Server) checkTokenRequest(tenant string, req tokenRequest) *aadFailure {
	switch {
	case req.grantType == "":
		return missingParameter("grant_type")
	case req.grantType != "client_credentials":
		return unsupportedGrant(req.grantType)
	case req.clientID == "":
		return missingParameter("client_id")
	case req.scope == "":
		return missingParameter("scope")
	case !hasDefaultScope(req.scope):
		return invalidScope(req.scope)
	}
	if len(s.opts.Credentials) > 0 {
		if _, known := s.opts.Credentials[req.clientID]; !known {
			return unknownClient(req.clientID, tenant)
		}
	}
	switch {
	case req.secret != "":
		return s.checkSecret(req)
	case req.assertion != "" && req.assertionType == jwtBearerAssertion:
		return checkAssertion(req.assertion, req.clientID, s.now())
	}
	return missingClientCredential()
}

// hasDefaultScope reports whether the scope names a resource's /.default, the
// only kind client credentials may ask for. OpenID scopes that some clients
// add are ignored.
func hasDefaultScope(scope string) bool {
	for _, sc := range strings.Fields(scope) {
		if strings.HasSuffix(sc, "/.default") {
			return true
		}
	}
	return false
}

func (s *Server) checkSecret(req tokenRequest) *aadFailure {
	if len(s.opts.Credentials) == 0 {
		return nil
	}
	want := s.opts.Credentials[req.clientID]
	if subtle.ConstantTimeCompare([]byte(req.secret), []byte(want)) != 1 {
		return invalidSecret(req.clientID)
	}
	return nil
}
