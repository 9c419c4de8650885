package graphsim

import (
	"net/http"
	"strconv"
)

// faultStatusBody is the error a FaultStatus rule answers with.
type faultStatusBody struct {
	code, message string
}

// faultStatusBodies hold, per status a rule may inject, what Graph sends. 502
// has no Graph body: it comes from a gateway in front of Graph, as an HTML
// page, which a client must cope with too.
var faultStatusBodies = map[int]faultStatusBody{
	http.StatusForbidden:           {"Authorization_RequestDenied", "Insufficient privileges to complete the operation."},
	http.StatusTooManyRequests:     {"TooManyRequests", "Too many requests, please retry later."},
	http.StatusInternalServerError: {"UnknownError", "An internal server error occurred."},
	http.StatusBadGateway:          {"html", ""},
	http.StatusServiceUnavailable:  {"ServiceUnavailable", "The service is temporarily unavailable. Please retry later."},
	http.StatusGatewayTimeout:      {"GatewayTimeout", "The request timed out while assembling the response."},
}

// badGatewayPage is what a gateway answers when Graph behind it fails.
const badGatewayPage = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"

// writeGatewayFault starts a FaultStatus answer as Graph and the workspace
// have it alike: the rule's Retry-After, and for 502 the gateway's page. It
// reports whether the answer is written.
func writeGatewayFault(w http.ResponseWriter, rule *FaultRule) bool {
	if rule.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(rule.RetryAfter))
	}
	if rule.Status != http.StatusBadGateway {
		return false
	}
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Content-Length", strconv.Itoa(len(badGatewayPage)))
	w.WriteHeader(http.StatusBadGateway)
	w.Write([]byte(badGatewayPage))
	return true
}

// writeFaultStatus answers the rule's status.
func (s *Server) writeFaultStatus(w http.ResponseWriter, r *http.Request, rule *FaultRule) {
	if writeGatewayFault(w, rule) {
		return
	}
	b := faultStatusBodies[rule.Status]
	s.writeGraphError(w, r, rule.Status, b.code, b.message)
}

// writeBadSkipToken answers as Graph does for an expired or unknown $skiptoken.
func (s *Server) writeBadSkipToken(w http.ResponseWriter, r *http.Request) {
	s.writeGraphError(w, r, http.StatusBadRequest, "BadRequest", "Invalid skip token: the token has expired or is not valid.")
}
