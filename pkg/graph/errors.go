package graph

import (
	"fmt"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
)

// Classes of failure. Test with errors.Is; each says who has to act. They are
// pkg/azure's, which every Azure service shares, so that one category decides
// a response's status and advice whichever service failed.
var (
	// ErrUnauthorized: Entra ID rejected the credentials (401, invalid_client, AADSTS…).
	// The admin must fix tenantId, clientId or the secret/certificate.
	ErrUnauthorized = azure.ErrUnauthorized
	// ErrForbidden: the app has no permission to read sign-in logs.
	ErrForbidden = azure.ErrForbidden
	// ErrNoPremiumLicense: the tenant lacks Entra ID P1/P2, which sign-in logs need.
	ErrNoPremiumLicense = azure.ErrNoPremiumLicense
	// ErrThrottled: Graph kept answering 429 until the retries ran out.
	ErrThrottled = azure.ErrThrottled
	// ErrNetwork: Graph or the authority could not be reached (dial, DNS, TLS, reset).
	ErrNetwork = azure.ErrNetwork
	// ErrBadRequest: Graph refused the request (400); a bug or an unsupported filter.
	ErrBadRequest = azure.ErrBadRequest
	// ErrUnavailable: Graph kept failing with 5xx until the retries ran out.
	ErrUnavailable = azure.ErrUnavailable
	// ErrTimeout: pages kept timing out even at the smallest page size.
	ErrTimeout = azure.ErrTimeout
)

// hints tell the admin what to do about each class; they end the error text.
var hints = map[error]string{
	ErrUnauthorized:     "check tenantId, clientId and the client secret or certificate",
	ErrForbidden:        "the app registration needs the Microsoft Graph application permissions AuditLog.Read.All and Directory.Read.All, with admin consent",
	ErrNoPremiumLicense: "reading sign-in logs needs a Microsoft Entra ID P1 or P2 license in the tenant",
	ErrThrottled:        "Microsoft Graph is throttling this app; query a shorter range or less often",
	ErrUnavailable:      "Microsoft Graph is failing; try again later",
	ErrTimeout:          "Microsoft Graph did not answer in time even for small pages; query a shorter range",
}

// Error is a failure reported by Microsoft Graph or the Entra ID token
// endpoint: pkg/azure's, with Graph's hint for its class.
type Error = azure.Error

// Services named in errors.
const (
	serviceGraph = "microsoft graph"
	serviceToken = "entra id token request" // #nosec G101 -- a label in messages, not a secret
)

// newError is an *Error of Graph's (or the token endpoint's, when auth),
// with the admin's hint for its class.
func newError(e Error, kind error, auth bool) *Error {
	e.Service, e.Kind, e.Hint = serviceGraph, kind, hints[kind]
	if auth {
		e.Service = serviceToken
	}
	return &e
}

// classifyStatus picks the class of a non-2xx Graph answer.
func classifyStatus(status int, code, message string) error {
	switch {
	case status == 401:
		return ErrUnauthorized
	case status == 403 && isPremiumError(code, message):
		return ErrNoPremiumLicense
	case status == 403:
		return ErrForbidden
	case status == 400:
		return ErrBadRequest
	case status == 429:
		return ErrThrottled
	case status >= 500:
		return ErrUnavailable
	}
	return nil
}

// isPremiumError recognises Graph's 403 for tenants without Entra ID P1/P2: the code
// Authentication_RequestFromNonPremiumTenantOrB2CTenant, or a message such as
// "Neither tenant is B2C or tenant doesn't have premium license".
func isPremiumError(code, message string) bool {
	return strings.EqualFold(code, "Authentication_RequestFromNonPremiumTenantOrB2CTenant") ||
		strings.Contains(strings.ToLower(message), "premium license")
}

// isSkipTokenError recognises Graph's 400 for an expired or invalid $skiptoken,
// after which the listing must be resumed by time instead of by token.
func isSkipTokenError(code, message string) bool {
	s := strings.ToLower(code + " " + message)
	return strings.Contains(s, "skip token") || strings.Contains(s, "skiptoken")
}

// networkError classifies a failure to reach host, keeping the cause for errors.As.
func networkError(host string, cause error) error {
	return fmt.Errorf("%w: cannot reach %s: %w", ErrNetwork, host, cause)
}

// redactedText replaces every occurrence of secret in s.
func redactedText(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}

// redact returns err, or a copy of it without secret when its text contains it.
// It is the last step of every exported method: a defence in depth should any
// layer (azidentity, a proxy's error page) ever echo the secret.
func redact(err error, secret string) error { return azure.Redact(err, secret) }
