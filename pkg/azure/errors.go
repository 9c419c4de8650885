package azure

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// The failures of the Azure services SignInLens reads, by who has to act.
// Test with errors.Is; the Graph and Log Analytics clients' errors are these.
var (
	// ErrUnauthorized: Entra ID or the service refused the credential (401,
	// invalid_client, AADSTS…, an expired secret). The admin fixes the
	// tenant, client or secret.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the identity may not read (403): a permission, a role.
	ErrForbidden = errors.New("forbidden")
	// ErrNoPremiumLicense: the tenant lacks Entra ID P1/P2, which sign-in
	// logs need.
	ErrNoPremiumLicense = errors.New("no premium license")
	// ErrNotFound: what the settings name does not exist (a workspace).
	ErrNotFound = errors.New("not found")
	// ErrThrottled: the service kept answering 429 until the retries ran out.
	ErrThrottled = errors.New("throttled")
	// ErrUnavailable: the service kept failing with 5xx until the retries ran out.
	ErrUnavailable = errors.New("unavailable")
	// ErrTimeout: the service kept taking too long, even for smaller requests.
	ErrTimeout = errors.New("timeout")
	// ErrNetwork: the service could not be reached (dial, DNS, TLS, reset).
	ErrNetwork = errors.New("network error")
	// ErrBadRequest: the service refused the request (400): a bug, or a
	// service whose shape differs from what the client expects.
	ErrBadRequest = errors.New("bad request")
)

// Category is who has to act on a failure, and how: what decides a
// response's status, its error source and the admin's advice.
type Category int

// Categories of failure; CategoryOf reads them off an error.
const (
	Other         Category = iota // none of these: the plugin's, or unknown
	BadCredential                 // the admin fixes the credential
	NoPermission                  // the admin grants a permission or role
	NoLicence                     // the tenant needs Entra ID P1/P2
	Missing                       // the admin fixes what the settings name
	Throttled                     // try again later, or ask less
	Unavailable                   // the service fails or is slow: try again later
	Unreachable                   // the network, proxy or endpoint settings
	Refused                       // the request was refused
)

var categories = []struct {
	err error
	cat Category
}{
	{ErrUnauthorized, BadCredential}, {ErrNoPremiumLicense, NoLicence}, {ErrForbidden, NoPermission}, {ErrNotFound, Missing},
	{ErrThrottled, Throttled}, {ErrUnavailable, Unavailable}, {ErrTimeout, Unavailable}, {ErrNetwork, Unreachable},
	{ErrBadRequest, Refused},
}

// CategoryOf is the category of err, Other when it has none.
func CategoryOf(err error) Category {
	for _, c := range categories {
		if errors.Is(err, c.err) {
			return c.cat
		}
	}
	return Other
}

// Error is a failure an Azure service (or Entra ID's token endpoint)
// reported.
type Error struct {
	Service    string // "microsoft graph", "entra id token request", "log analytics"
	StatusCode int    // HTTP status; 0 when no response arrived
	Code       string // the service's error code, e.g. "Authorization_RequestDenied"
	Message    string // the service's message
	RequestID  string // the request id, for Microsoft support
	Kind       error  // one of the Err* failures above, or nil
	Hint       string // what to do; ends the text
}

// Error renders service, status, code, message, hint and request id.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Service)
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ": status %d", e.StatusCode)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Hint != "" {
		fmt.Fprintf(&b, " (%s)", e.Hint)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request-id %s]", e.RequestID)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrForbidden) and friends work.
func (e *Error) Is(target error) bool { return e.Kind != nil && errors.Is(e.Kind, target) }

// Safe marks an error type whose text holds nothing a service sent (a
// missing table, named from the settings): a redacted error still lets
// errors.As reach it.
type Safe interface{ SafeText() }

// Redact returns err, or a copy of it without any of secrets (a client
// secret, the bearer tokens handed out) when its text holds one. The copy
// keeps err's failures for errors.Is, and its Safe errors for errors.As, but
// not err itself, so nothing can unwrap the secret. Secrets shorter than 8
// bytes are not looked for: they would match ordinary text.
func Redact(err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if len(s) >= 8 && strings.Contains(msg, s) {
			msg, changed = strings.ReplaceAll(msg, s, "[redacted]"), true
		}
	}
	if !changed {
		return err
	}
	return &redacted{msg: msg, cause: err}
}

type redacted struct {
	msg   string
	cause error
}

func (r *redacted) Error() string        { return r.msg }
func (r *redacted) Is(target error) bool { return errors.Is(r.cause, target) }

func (r *redacted) As(target any) bool {
	t := reflect.TypeOf(target)
	if t == nil || t.Kind() != reflect.Pointer || !t.Elem().Implements(reflect.TypeFor[Safe]()) {
		return false
	}
	return errors.As(r.cause, target)
}
