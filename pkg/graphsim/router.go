package graphsim

import (
	"net/http"
	"strings"
)

// route dispatches on the path. Graph matches paths without regard to case
// (clients send both signIns and signins), so segments are compared folded.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	segs := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	switch {
	case isSignInsPath(segs):
		if s.allowMethod(w, r, http.MethodGet) {
			s.graphAPI.ServeHTTP(w, r)
		}
	case isWorkspaceQueryPath(segs):
		s.workspaceAPI.ServeHTTP(w, r) // answers its own 405: the service's error shape
	case matchPath(segs, "*", "v2.0", ".well-known", "openid-configuration"):
		if s.allowMethod(w, r, http.MethodGet) {
			s.serveOpenIDConfig(w, r, segs[0])
		}
	case matchPath(segs, "*", "oauth2", "v2.0", "token"):
		if s.allowMethod(w, r, http.MethodPost) {
			s.serveToken(w, r, segs[0])
		}
	case strings.EqualFold("/"+strings.Join(segs, "/"), ReplayPath):
		if s.allowMethod(w, r, http.MethodGet) {
			s.serveReplay(w, r)
		}
	case matchPath(segs, "_sim", "stats"):
		if s.allowMethod(w, r, http.MethodGet) {
			writeJSON(w, http.StatusOK, s.Stats())
		}
	default:
		s.writeGraphError(w, r, http.StatusNotFound, "ResourceNotFound", "Resource not found for the segment '"+r.URL.Path+"'.")
	}
}

// isSignInsPath matches /v1.0/auditLogs/signIns and /beta/auditLogs/signIns.
func isSignInsPath(segs []string) bool {
	return len(segs) == 3 && apiVersionOf(segs[0]) != "" && matchPath(segs, "*", "auditLogs", "signIns")
}

// apiVersionOf returns the canonical spelling of a Graph API version segment,
// or "" if it is not one.
func apiVersionOf(seg string) string {
	switch strings.ToLower(seg) {
	case "v1.0":
		return "v1.0"
	case "beta":
		return "beta"
	}
	return ""
}

// matchPath compares segments without regard to case; "*" matches any
// non-empty segment.
func matchPath(segs []string, pattern ...string) bool {
	if len(segs) != len(pattern) {
		return false
	}
	for i, p := range pattern {
		if segs[i] == "" || (p != "*" && !strings.EqualFold(segs[i], p)) {
			return false
		}
	}
	return true
}

// allowMethod answers 405 for any method but the one allowed.
func (s *Server) allowMethod(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	s.writeGraphError(w, r, http.StatusMethodNotAllowed, "MethodNotAllowed", "The method '"+r.Method+"' is not allowed on this resource.")
	return false
}
