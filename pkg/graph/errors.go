package graph

import (
	"errors"
	"fmt"
	"strings"
)

// Classes of failure. Test with errors.Is; each says who has to act.
var (
	// ErrUnauthorized: Entra ID rejected the credentials (401, invalid_client, AADSTS…).
	// The admin must fix tenantId, clientId or the secret/certificate.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the app has no permission to read sign-in logs.
	ErrForbidden = errors.New("forbidden")
	// ErrNoPremiumLicense: the tenant lacks Entra ID P1/P2, which sign-in logs need.
	ErrNoPremiumLicense = errors.New("no premium license")
	// ErrThrottled: Graph kept answering 429 until the retries ran out.
	ErrThrottled = errors.New("throttled")
	// ErrNetwork: Graph or the authority could not be reached (dial, DNS, TLS, reset).
	ErrNetwork = errors.New("network error")
	// ErrBadRequest: Graph refused the request (400); a bug or an unsupported filter.
	ErrBadRequest = errors.New("bad request")
	// ErrUnavailable: Graph kept failing with 5xx until the retries ran out.
	ErrUnavailable = errors.New("graph unavailable")
	// ErrTimeout: pages kept timing out even at the smallest page size.
	ErrTimeout = errors.New("timeout")
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

// Error is a failure reported by Microsoft Graph or the Entra ID token endpoint.
type Error struct {
	StatusCode int    // HTTP status; 0 when no response arrived
	Code       string // Graph error.code or OAuth error, e.g. "Authorization_RequestDenied"
	Message    string // Graph error.message or OAuth error_description
	RequestID  string // Graph request-id, for Microsoft support

	kind error // one of the Err* classes, or nil
	auth bool  // reported by the token endpoint, not by Graph
}

// Error renders status, code, message, the admin hint and the request id.
func (e *Error) Error() string {
	var b strings.Builder
	if e.auth {
		b.WriteString("entra id token request")
	} else {
		b.WriteString("microsoft graph")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": status %d", e.StatusCode)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if h := hints[e.kind]; h != "" {
		fmt.Fprintf(&b, " (%s)", h)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request-id %s]", e.RequestID)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrForbidden) and friends work.
func (e *Error) Is(target error) bool { return e.kind != nil && e.kind == target }

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

// redacted is an error whose text had a secret removed. It keeps the classification
// of the original but not the original itself, so nothing can unwrap the secret.
type redacted struct {
	msg   string
	cause error
}

func (r *redacted) Error() string        { return r.msg }
func (r *redacted) Is(target error) bool { return errors.Is(r.cause, target) }

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
func redact(err error, secret string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return &redacted{msg: redactedText(err.Error(), secret), cause: err}
}
