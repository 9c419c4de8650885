package graphsim

import (
	"context"
	"net/http"
	"strconv"
	"strings"
)

// authenticateWorkspace admits a workspace query with a live bearer token
// from the token endpoint, whatever scope it was asked for, and otherwise
// answers the service's 401: AuthorizationRequiredError without a token,
// InvalidTokenError with one it does not accept.
func (s *Server) authenticateWorkspace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok := bearerToken(r)
		g, problem := s.tokens.check(tok, s.now())
		if problem == "" {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), grantKey, g)))
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer authorization_uri="`+baseURLOf(r)+`/common/oauth2/authorize", error="invalid_token"`)
		body := laErrorBody{Code: "AuthorizationRequiredError", Message: "Valid authentication was not provided"}
		if tok != "" {
			inner := "InvalidToken"
			if strings.Contains(problem, "expired") {
				inner = "TokenExpired"
			}
			body = laErrorBody{Code: "InvalidTokenError", Message: "The provided authentication is not valid for this resource",
				InnerError: &laInnerError{Code: inner, Message: problem}}
		}
		s.writeWorkspaceError(w, r, http.StatusUnauthorized, body)
	})
}

// throttleWorkspace answers 429 with Retry-After when the workspace is over
// WorkspaceOptions.Throttle queries in the window.
func (s *Server) throttleWorkspace(next http.Handler) http.Handler {
	t := s.workspace.throttle
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := t.take(strings.ToLower(workspaceIDOf(r)), s.now())
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(wait)))
			s.writeWorkspaceError(w, r, http.StatusTooManyRequests, workspaceStatusBodies[http.StatusTooManyRequests])
			return
		}
		next.ServeHTTP(w, r)
	})
}

// injectWorkspaceFaults is the fault layer of workspace queries, in front
// of authentication as Graph's is. Its rules count workspace queries only.
func (s *Server) injectWorkspaceFaults(next http.Handler) http.Handler {
	st := s.workspace.faults
	if st == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule := st.decide(false)
		if rule == nil {
			next.ServeHTTP(w, r)
			return
		}
		switch rule.Kind {
		case FaultStatus:
			s.writeWorkspaceFaultStatus(w, r, rule)
		case FaultSlow:
			if holdBack(r, rule.Delay) {
				next.ServeHTTP(w, r)
			}
		case FaultExpireToken:
			s.expireToken(bearerToken(r))
			next.ServeHTTP(w, r)
		default: // the cuts: reset and the truncations
			cutBody(w, r, next, rule.Kind)
		}
	})
}

// writeWorkspaceFaultStatus answers a FaultStatus rule with the service's
// body for the status (a gateway's HTML page for 502).
func (s *Server) writeWorkspaceFaultStatus(w http.ResponseWriter, r *http.Request, rule *FaultRule) {
	if writeGatewayFault(w, rule) {
		return
	}
	s.writeWorkspaceError(w, r, rule.Status, workspaceStatusBodies[rule.Status])
}
