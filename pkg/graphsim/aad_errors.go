package graphsim

import (
	"net/http"
	"strconv"
)

// aadFailure is an Entra ID token-endpoint error: HTTP status, OAuth2 error
// code and the AADSTS number and text the real service sends, so clients are
// tested against the codes they will meet (azidentity surfaces them verbatim).
type aadFailure struct {
	status int
	err    string // OAuth2 "error": invalid_client, invalid_request, ...
	code   int    // AADSTS number
	msg    string
}

// aadError is Entra ID's error body.
type aadError struct {
	Error         string `json:"error"`
	Description   string `json:"error_description"`
	Codes         []int  `json:"error_codes"`
	Timestamp     string `json:"timestamp"`
	TraceID       string `json:"trace_id"`
	CorrelationID string `json:"correlation_id"`
	ErrorURI      string `json:"error_uri"`
}

func (s *Server) writeAADError(w http.ResponseWriter, r *http.Request, f aadFailure) {
	now := s.now()
	trace, corr := newUUID(), newUUID()
	desc := "AADSTS" + strconv.Itoa(f.code) + ": " + f.msg +
		"\r\nTrace ID: " + trace + "\r\nCorrelation ID: " + corr + "\r\nTimestamp: " + now.Format("2006-01-02 15:04:05Z")
	s.log.Debug("graphsim: token request refused", "error", f.err, "code", f.code)
	writeJSON(w, f.status, aadError{
		Error:         f.err,
		Description:   desc,
		Codes:         []int{f.code},
		Timestamp:     now.Format("2006-01-02 15:04:05Z"),
		TraceID:       trace,
		CorrelationID: corr,
		ErrorURI:      baseURLOf(r) + "/error?code=" + strconv.Itoa(f.code),
	})
}

// Token-endpoint failures, with the AADSTS codes Entra ID uses for them.
func missingParameter(name string) *aadFailure {
	return &aadFailure{http.StatusBadRequest, "invalid_request", 900144,
		"The request body must contain the following parameter: '" + name + "'."}
}

func unsupportedGrant(grantType string) *aadFailure {
	return &aadFailure{http.StatusBadRequest, "unsupported_grant_type", 70003,
		"The app requested an unsupported grant type '" + grantType + "'."}
}

func invalidScope(scope string) *aadFailure {
	return &aadFailure{http.StatusBadRequest, "invalid_scope", 1002012,
		"The provided value for scope " + scope + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."}
}

func missingClientCredential() *aadFailure {
	return &aadFailure{http.StatusUnauthorized, "invalid_client", 7000218,
		"The request body must contain the following parameter: 'client_assertion' or 'client_secret'."}
}

func unknownClient(clientID, tenant string) *aadFailure {
	return &aadFailure{http.StatusBadRequest, "unauthorized_client", 700016,
		"Application with identifier '" + clientID + "' was not found in the directory '" + tenant + "'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."}
}

func invalidSecret(clientID string) *aadFailure {
	return &aadFailure{http.StatusUnauthorized, "invalid_client", 7000215,
		"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '" + clientID + "'."}
}

func malformedAssertion(why string) *aadFailure {
	return &aadFailure{http.StatusBadRequest, "invalid_request", 50027,
		"JWT token is invalid or malformed (" + why + ")."}
}

func assertionClientMismatch() *aadFailure {
	return &aadFailure{http.StatusUnauthorized, "invalid_client", 700021,
		"Client assertion application identifier doesn't match 'client_id' parameter."}
}

func assertionExpired() *aadFailure {
	return &aadFailure{http.StatusUnauthorized, "invalid_client", 700024,
		"Client assertion is not within its valid time range."}
}
