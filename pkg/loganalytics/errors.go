package loganalytics

import (
	"errors"
	"fmt"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Classes of failure. Test with errors.Is; each says who has to act.
var (
	// ErrUnauthorized: the service or Entra ID rejected the credentials (401,
	// or no token could be had). The admin must fix the credentials.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the identity may not read the workspace (403). It needs the
	// Log Analytics Reader role on it. The service may also answer 403 for a
	// workspace that does not exist.
	ErrForbidden = errors.New("forbidden")
	// ErrWorkspaceNotFound: no workspace has the configured workspaceId (404).
	ErrWorkspaceNotFound = errors.New("workspace not found")
	// ErrTableNotFound: the workspace has no table for a log type: its
	// diagnostic-settings category is not routed there. The log type has no
	// sign-ins; *TableNotFoundError names the table and the category.
	ErrTableNotFound = errors.New("table not found")
	// ErrRowLimit: even one minute of sign-ins exceeds the service's limit of
	// 500,000 rows (or about 64 MB) per result.
	ErrRowLimit = errors.New("result limit exceeded")
	// ErrThrottled: the service kept answering 429 until the retries ran out.
	ErrThrottled = errors.New("throttled")
	// ErrUnavailable: the service kept failing with 5xx until the retries ran out.
	ErrUnavailable = errors.New("log analytics unavailable")
	// ErrTimeout: queries kept timing out, even over halved ranges.
	ErrTimeout = errors.New("timeout")
	// ErrBadRequest: the service refused the query (400). A bug, or a
	// workspace whose tables differ from what the client expects.
	ErrBadRequest = errors.New("bad request")
	// ErrNetwork: the service could not be reached (dial, DNS, TLS, reset).
	ErrNetwork = errors.New("network error")
	// ErrBadAnswer: a 200 whose body is not a result SignInLens can read.
	ErrBadAnswer = errors.New("unreadable answer")
	// ErrTooLarge: a query's text or its answer is larger than the client
	// takes (Config.MaxAnswerBytes, maxQueryBytes). Not retried: the same
	// query would be as large again.
	ErrTooLarge = errors.New("too large")
)

// Error is a failure the query service reported.
type Error struct {
	StatusCode int    // HTTP status
	Code       string // error.code, e.g. "InsufficientAccessError"
	Message    string // error.message, with the innermost message when it says more
	RequestID  string // x-ms-request-id, for Microsoft support

	kind error  // one of the Err* classes, or nil
	hint string // what to do, ends the text
}

// Error renders status, code, message, the admin hint and the request id.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "log analytics: status %d", e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.hint != "" {
		fmt.Fprintf(&b, " (%s)", e.hint)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request-id %s]", e.RequestID)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrForbidden) and friends work.
func (e *Error) Is(target error) bool { return e.kind != nil && e.kind == target }

// TableNotFoundError is the 400 for a log type whose table the workspace does
// not have. It wraps ErrTableNotFound.
type TableNotFoundError struct {
	LogType     signin.LogType
	Table       string // "AADManagedIdentitySignInLogs"
	Category    string // "ManagedIdentitySignInLogs"
	WorkspaceID string
}

func (e *TableNotFoundError) Error() string {
	return fmt.Sprintf("log analytics workspace %s has no table %s, so it holds no %s sign-ins: in Microsoft Entra ID, Monitoring, Diagnostic settings, send the %s category to this workspace",
		e.WorkspaceID, e.Table, e.LogType, e.Category)
}

// Unwrap makes errors.Is(err, ErrTableNotFound) true.
func (e *TableNotFoundError) Unwrap() error { return ErrTableNotFound }

// tokenError is a failure to get a token from the caller's credential. It
// keeps the credential's error for errors.As (azidentity's types).
type tokenError struct {
	audience string
	err      error
}

func (e *tokenError) Error() string {
	return fmt.Sprintf("%s: getting a token for %s: %v", ErrUnauthorized, e.audience, e.err)
}
func (e *tokenError) Unwrap() []error { return []error{ErrUnauthorized, e.err} }

// redacted is an error whose text had a token removed. It keeps the
// classification of the original but not the original, so nothing can unwrap
// the token.
type redacted struct {
	msg   string
	cause error
}

func (r *redacted) Error() string        { return r.msg }
func (r *redacted) Is(target error) bool { return errors.Is(r.cause, target) }
func (r *redacted) As(target any) bool {
	// Only the typed errors that carry no server text may be reached.
	if t, ok := target.(**TableNotFoundError); ok {
		return errors.As(r.cause, t)
	}
	return false
}
