package loganalytics

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/grafana/dskit/backoff"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Retry reasons, as reported to Observer.Retry.
const (
	reasonThrottled    = "throttled"
	reasonServer       = "server"
	reasonTimeout      = "timeout"
	reasonNetwork      = "network"
	reasonUnauthorized = "unauthorized"
	// reasonSplit is not a retry of the same query: a result cut at the row
	// limit is asked for again in two halves.
	reasonSplit = "split"
)

// Backoff between retries without a Retry-After, as pkg/graph's.
var retryBackoff = backoff.Config{MinBackoff: time.Second, MaxBackoff: 30 * time.Second}

// failure is why one attempt failed and whether another may succeed.
type failure struct {
	err        error         // returned when not retried or out of retries
	reason     string        // retry reason; "" when retrying cannot help
	retryAfter time.Duration // the service's Retry-After, 0 when absent
	noCreated  bool          // 400: the table has no CreatedDateTime column
}

// retrier counts the retries of one query and waits between them. Retries
// spent on a range before a 504 halved it are carried into its halves, so
// a service that keeps timing out costs at most MaxRetries levels of halving.
type retrier struct {
	c         *Client
	bo        *backoff.Backoff
	n         int
	refreshed bool
}

func (c *Client) newRetrier(ctx context.Context, spent int) *retrier {
	r := &retrier{c: c, bo: backoff.New(ctx, retryBackoff)}
	for range spent {
		r.bo.NextDelay() // the halves back off from where their range left off
	}
	r.n = spent
	return r
}

// next decides after a failed attempt: nil to try again (having waited), or
// the error to return.
func (r *retrier) next(ctx context.Context, f *failure) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if f.reason == reasonUnauthorized && !r.refreshed {
		// The bearer policy dropped the rejected token: the next attempt
		// gets a fresh one, which is the fix, so there is no reason to wait.
		r.refreshed = true
		r.c.cfg.Observer.Retry(f.reason)
		return nil
	}
	if f.reason == "" || f.reason == reasonUnauthorized {
		return f.err
	}
	if r.n >= r.c.cfg.MaxRetries {
		return fmt.Errorf("giving up after %d retries: %w", r.n, f.err)
	}
	r.n++
	d := r.bo.NextDelay()
	if f.retryAfter > 0 {
		d = f.retryAfter
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return fmt.Errorf("not waiting %s for a retry past the request deadline: %w", d, f.err)
	}
	r.c.cfg.Observer.Retry(f.reason)
	return r.c.cfg.Sleep(ctx, d)
}

// classify turns what QueryWorkspace returned into a failure. t is the log
// type queried, for a missing table; -1 for none.
func (c *Client) classify(ctx context.Context, err error, t signin.LogType) *failure {
	var (
		timeout *errAttemptTimeout
		tokErr  *tokenError
		re      *azcore.ResponseError
		big     *answerTooLarge
	)
	switch {
	case errors.As(err, &timeout):
		return &failure{err: fmt.Errorf("%w: %s gave no answer within %s", ErrTimeout, c.host, timeout.d), reason: reasonTimeout}
	case errors.As(err, &tokErr):
		return &failure{err: tokErr}
	case errors.As(err, &re) && re.RawResponse != nil:
		return c.statusFailure(re.RawResponse, t)
	case ctx.Err() != nil:
		return &failure{err: ctx.Err()}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return &failure{err: err} // the pacer found no slot before the deadline
	case errors.As(err, &big):
		return &failure{err: big} // as large again if asked again
	}
	var ue *url.Error
	var ne net.Error
	if !errors.As(err, &ue) && !errors.As(err, &ne) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		// Not the transport's: azlogs could not read a 200's body (cut
		// short, or not JSON). Another attempt may bring it whole.
		return &failure{err: fmt.Errorf("%w from %s: %s", ErrBadAnswer, c.host, clip.String(err.Error())), reason: reasonNetwork}
	}
	nerr := fmt.Errorf("%w: cannot reach %s: %w", ErrNetwork, c.host, err)
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &certErr) {
		// certificate problems do not fix themselves
		return &failure{err: fmt.Errorf("%w (if a proxy intercepts TLS, add its CA as tlsCACert)", nerr)}
	}
	return &failure{err: nerr, reason: reasonNetwork}
}

// serviceError is the service's error body, innermost errors included:
// {"error": {"code", "message", "innererror": {...}, "details": [...]}}.
type serviceError struct {
	Code       string         `json:"code"`
	Message    string         `json:"message"`
	InnerError *serviceError  `json:"innererror"`
	Details    []serviceError `json:"details"`
}

// walk calls fn for e and every error inside it, depth first.
func (e *serviceError) walk(fn func(*serviceError)) {
	if e == nil {
		return
	}
	fn(e)
	e.InnerError.walk(fn)
	for i := range e.Details {
		e.Details[i].walk(fn)
	}
}

// innermost is the most specific message: the deepest innererror's.
func (e *serviceError) innermost() string {
	msg := ""
	for x := e; x != nil; x = x.InnerError {
		if x.Message != "" {
			msg = x.Message
		}
	}
	return msg
}

// has reports whether any error inside e has the code.
func (e *serviceError) has(code string) bool {
	found := false
	e.walk(func(x *serviceError) { found = found || strings.EqualFold(x.Code, code) })
	return found
}

// says reports whether any message inside e contains s.
func (e *serviceError) says(s string) bool {
	found := false
	e.walk(func(x *serviceError) { found = found || strings.Contains(x.Message, s) })
	return found
}

// statusFailure turns a non-200 answer into an error and says whether to retry.
func (c *Client) statusFailure(resp *http.Response, t signin.LogType) *failure {
	body, _ := runtime.Payload(resp)
	var wrapper struct {
		Error serviceError `json:"error"`
	}
	_ = json.Unmarshal(body, &wrapper) // a proxy's HTML page leaves it empty
	se := &wrapper.Error
	e := &Error{StatusCode: resp.StatusCode, Code: se.Code, Message: se.Message, RequestID: requestID(resp.Header)}
	if inner := se.innermost(); inner != "" && inner != e.Message {
		if e.Message == "" {
			e.Message = inner
		} else {
			e.Message += ": " + inner
		}
	}
	e.Message = clip.String(e.Message)
	if e.Message == "" && e.Code == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	f := &failure{err: e}
	switch status := resp.StatusCode; {
	case status == http.StatusBadRequest:
		e.kind = ErrBadRequest
		if ti, ok := tableOf(t); ok && se.says("Failed to resolve table or column expression named '"+ti.table+"'") {
			f.err = &TableNotFoundError{LogType: t, Table: ti.table, Category: ti.category, WorkspaceID: c.cfg.WorkspaceID}
		} else if ok && se.says("'"+createdColumn+"'") && (se.has("SemanticError") || se.says("Failed to resolve")) {
			f.noCreated = true
		}
	case status == http.StatusUnauthorized:
		e.kind, f.reason = ErrUnauthorized, reasonUnauthorized
		e.hint = "the token was refused: check the credentials, and that they are for the tenant that owns the workspace"
	case status == http.StatusForbidden:
		e.kind = ErrForbidden
		e.hint = fmt.Sprintf("grant the identity the Log Analytics Reader role on workspace %s (or on its resource group or subscription), and check that workspaceId is right", c.cfg.WorkspaceID)
	case status == http.StatusNotFound:
		e.kind = ErrWorkspaceNotFound
		e.hint = fmt.Sprintf("no workspace has workspaceId %s at %s: use the Workspace ID from the workspace's overview page", c.cfg.WorkspaceID, c.host)
	case status == http.StatusTooManyRequests:
		e.kind, f.reason, f.retryAfter = ErrThrottled, reasonThrottled, retryAfter(resp.Header)
		e.hint = "the Log Analytics query API allows about 200 requests per 30 s per user; query a shorter range or less often"
	case status == http.StatusGatewayTimeout || status == http.StatusRequestTimeout:
		e.kind, f.reason = ErrTimeout, reasonTimeout
		e.hint = "the query ran past the service's timeout; query a shorter range"
	case status == http.StatusServiceUnavailable:
		e.kind, f.reason, f.retryAfter = ErrUnavailable, reasonServer, retryAfter(resp.Header)
	case status >= 500:
		e.kind, f.reason = ErrUnavailable, reasonServer
	}
	return f
}

func requestID(h http.Header) string {
	for _, k := range []string{"x-ms-request-id", "request-id", "x-ms-correlation-request-id"} {
		if v := h.Get(k); v != "" {
			return clip.String(v)
		}
	}
	return ""
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 when absent or past.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return max(time.Duration(s)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}
