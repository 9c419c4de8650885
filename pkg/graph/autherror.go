package graph

import (
	"errors"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	json "github.com/goccy/go-json"
)

// oauthError is the error body of the Entra ID token endpoint (and of IMDS).
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	TraceID     string `json:"trace_id"`
}

// networkHints are the texts azidentity leaves of a transport failure: it turns
// the cause into a string, so errors.As cannot find it any more.
var networkHints = []string{"dial tcp", "no such host", "connection refused", "connection reset",
	"i/o timeout", "x509:", "tls:", "eof", "network is unreachable", "timeout awaiting"}

// authError turns a credential failure into an *Error classed ErrUnauthorized, or
// a network error naming the authority. It builds its own text from the OAuth
// answer rather than wrapping azidentity's, which dumps whole responses, and removes
// the secret from whatever it keeps.
func authError(err error, authority, secret string) error {
	var afe *azidentity.AuthenticationFailedError
	if errors.As(err, &afe) && afe.RawResponse != nil {
		return fromOAuthResponse(afe.RawResponse, secret)
	}
	// azidentity puts the transport failure on a later line of its text: look
	// for it everywhere, but show only the line that names it.
	full := redactedText(err.Error(), secret)
	for _, line := range strings.Split(full, "\n") {
		lower := strings.ToLower(line)
		for _, h := range networkHints {
			if strings.Contains(lower, h) {
				return networkError(authority, errors.New(strings.TrimSpace(line)))
			}
		}
	}
	return newError(Error{Message: firstLine(full)}, ErrUnauthorized, true)
}

// fromOAuthResponse reads error and error_description (AADSTS…) of a token answer.
func fromOAuthResponse(resp *http.Response, secret string) error {
	e := newError(Error{StatusCode: resp.StatusCode, RequestID: resp.Header.Get("x-ms-request-id")}, ErrUnauthorized, true)
	body, _ := runtime.Payload(resp)
	var oe oauthError
	if json.Unmarshal(body, &oe) == nil && (oe.Error != "" || oe.Description != "") {
		e.Code, e.Message = oe.Error, firstLine(oe.Description)
		if oe.TraceID != "" {
			e.RequestID = oe.TraceID
		}
	} else {
		e.Message = http.StatusText(resp.StatusCode)
	}
	e.Message = redactedText(e.Message, secret)
	e.Code = redactedText(e.Code, secret)
	return e
}

// firstLine keeps the first line: Entra descriptions append trace ids and
// timestamps on further lines, azidentity appends links.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return strings.TrimSpace(strings.TrimSuffix(s, "\r"))
}
