package loganalytics

import (
	"errors"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Classes of failure. Test with errors.Is; each says who has to act. Those
// every Azure service shares are pkg/azure's, so that one category decides a
// response's status and advice whichever service failed.
var (
	// ErrUnauthorized: the service or Entra ID rejected the credentials (401,
	// or no token could be had). The admin must fix the credentials.
	ErrUnauthorized = azure.ErrUnauthorized
	// ErrForbidden: the identity may not read the workspace (403). It needs the
	// Log Analytics Reader role on it. The service may also answer 403 for a
	// workspace that does not exist.
	ErrForbidden = azure.ErrForbidden
	// ErrWorkspaceNotFound: no workspace has the configured workspaceId (404).
	ErrWorkspaceNotFound = fmt.Errorf("workspace %w", azure.ErrNotFound)
	// ErrTableNotFound: the workspace has no table for a log type: its
	// diagnostic-settings category is not routed there. The log type has no
	// sign-ins; *TableNotFoundError names the table and the category.
	ErrTableNotFound = errors.New("table not found")
	// ErrRowLimit: even one minute of sign-ins exceeds the service's limit of
	// 500,000 rows (or about 64 MB) per result.
	ErrRowLimit = errors.New("result limit exceeded")
	// ErrThrottled: the service kept answering 429 until the retries ran out.
	ErrThrottled = azure.ErrThrottled
	// ErrUnavailable: the service kept failing with 5xx until the retries ran out.
	ErrUnavailable = azure.ErrUnavailable
	// ErrTimeout: queries kept timing out, even over halved ranges.
	ErrTimeout = azure.ErrTimeout
	// ErrBadRequest: the service refused the query (400). A bug, or a
	// workspace whose tables differ from what the client expects.
	ErrBadRequest = azure.ErrBadRequest
	// ErrNetwork: the service could not be reached (dial, DNS, TLS, reset).
	ErrNetwork = azure.ErrNetwork
	// ErrBadAnswer: a 200 whose body is not a result SignInLens can read.
	ErrBadAnswer = errors.New("unreadable answer")
	// ErrTooLarge: a query's text or its answer is larger than the client
	// takes (Config.MaxAnswerBytes, maxQueryBytes). Not retried: the same
	// query would be as large again.
	ErrTooLarge = errors.New("too large")
)

// service names the service in errors.
const service = "log analytics"

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

// SafeText: its text is the settings' and the table's names, no service text.
func (e *TableNotFoundError) SafeText() {}

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
