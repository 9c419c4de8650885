package graphsim

import (
	"errors"
	"net/http"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// laError is the service's error body: a code and message, the
// correlation id it logs the request under, and for a bad query the kind
// (innererror) and, innermost, what exactly went wrong.
type laError struct {
	Error laErrorBody `json:"error"`
}

type laErrorBody struct {
	Message       string          `json:"message"`
	Code          string          `json:"code"`
	CorrelationID string          `json:"correlationId,omitempty"`
	InnerError    *laInnerError   `json:"innererror,omitempty"`
	Details       []laErrorDetail `json:"details,omitempty"`
}

type laInnerError struct {
	Code       string        `json:"code"`
	Message    string        `json:"message"`
	Line       int           `json:"line,omitempty"`
	Pos        int           `json:"pos,omitempty"`
	Token      string        `json:"token,omitempty"`
	InnerError *laInnerError `json:"innererror,omitempty"`
}

type laErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// invalidProperties is the service's message for every 400 of a request it
// read but will not run.
const invalidProperties = "The request had some invalid properties"

// writeWorkspaceError answers an error in the service's shape.
func (s *Server) writeWorkspaceError(w http.ResponseWriter, r *http.Request, status int, body laErrorBody) {
	body.CorrelationID = newUUID()
	if status >= http.StatusInternalServerError {
		s.log.Error("graphsim: workspace query failed", "path", r.URL.Path, "status", status, "message", body.Message, "correlationId", body.CorrelationID)
	}
	writeJSON(w, status, laError{Error: body})
}

// badRequest is a 400 for a request the service cannot read (innerCode says
// what part).
func badRequest(innerCode, message string) laErrorBody {
	return laErrorBody{Message: invalidProperties, Code: "BadArgumentError", InnerError: &laInnerError{Code: innerCode, Message: message}}
}

// badQuery is the 400 for a query the subset rejects: the kind under
// BadArgumentError, with the service's message for it, and the specific
// problem innermost.
func badQuery(err error) laErrorBody {
	var qe *kql.Error
	if !errors.As(err, &qe) {
		return badRequest("SyntaxError", err.Error())
	}
	kind := "A semantic error occurred."
	if qe.Kind == kql.SyntaxError {
		kind = "A recognition error occurred in the query."
	}
	inner := &laInnerError{Code: qe.Code, Message: qe.Message, Line: qe.Line, Pos: qe.Pos, Token: qe.Token}
	return laErrorBody{Message: invalidProperties, Code: "BadArgumentError",
		InnerError: &laInnerError{Code: string(qe.Kind), Message: kind, InnerError: inner}}
}

// workspaceStatusBodies are what the service answers for the statuses a
// fault rule injects (502 is a gateway's HTML page, as for Graph).
var workspaceStatusBodies = map[int]laErrorBody{
	http.StatusForbidden:           {Code: "InsufficientAccessError", Message: "The provided credentials have insufficient access to perform the requested operation"},
	http.StatusTooManyRequests:     {Code: "ThrottledError", Message: "Your request was throttled. Please retry after the time the Retry-After header gives."},
	http.StatusInternalServerError: {Code: "InternalServerError", Message: "An internal error occurred while processing the request."},
	http.StatusServiceUnavailable:  {Code: "ServiceUnavailableError", Message: "The service is temporarily unavailable. Please retry later."},
	http.StatusGatewayTimeout:      {Code: "GatewayTimeout", Message: "The query did not complete within the allowed time."},
}
