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
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// reasonSplit is not a retry of the same query: a result cut at the row
// limit is asked for again in two halves. The retry reasons are pkg/azure's.
const reasonSplit = "split"

// failure is why one attempt failed and whether another may succeed.
type failure struct {
	azure.Failure
	noCreated bool // 400: the table has no CreatedDateTime column
}

// fail is a failure that retrying cannot help.
func fail(err error) *failure { return &failure{Failure: azure.Failure{Err: err}} }

// retry is a failure another attempt may not have.
func retry(err error, reason string) *failure {
	return &failure{Failure: azure.Failure{Err: err, Reason: reason}}
}

// newRetrier counts the retries of one query. Retries spent on a range
// before a 504 halved it are carried into its halves, so a service that
// keeps timing out costs at most MaxRetries levels of halving.
func (c *Client) newRetrier(ctx context.Context, spent int) *azure.Retrier {
	return azure.NewRetrier(ctx, c.cfg.MaxRetries, spent, c.cfg.Observer.Retry, c.cfg.Sleep)
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
		return retry(fmt.Errorf("%w: %s gave no answer within %s", ErrTimeout, c.host, timeout.d), azure.ReasonTimeout)
	case errors.As(err, &tokErr):
		return fail(tokErr)
	case errors.As(err, &re) && re.RawResponse != nil:
		return c.statusFailure(re.RawResponse, t)
	case ctx.Err() != nil:
		return fail(ctx.Err())
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fail(err) // the pacer found no slot before the deadline
	case errors.As(err, &big):
		return fail(big) // as large again if asked again
	}
	var ue *url.Error
	var ne net.Error
	if !errors.As(err, &ue) && !errors.As(err, &ne) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		// Not the transport's: azlogs could not read a 200's body (cut
		// short, or not JSON). Another attempt may bring it whole.
		return retry(fmt.Errorf("%w from %s: %s", ErrBadAnswer, c.host, clip.String(err.Error())), azure.ReasonNetwork)
	}
	nerr := fmt.Errorf("%w: cannot reach %s: %w", ErrNetwork, c.host, err)
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &certErr) {
		// certificate problems do not fix themselves
		return fail(fmt.Errorf("%w (if a proxy intercepts TLS, add its CA as tlsCACert)", nerr))
	}
	return retry(nerr, azure.ReasonNetwork)
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
	e := &azure.Error{Service: service, StatusCode: resp.StatusCode, Code: se.Code, Message: se.Message, RequestID: requestID(resp.Header)}
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
	f := fail(e)
	switch status := resp.StatusCode; {
	case status == http.StatusBadRequest:
		e.Kind = ErrBadRequest
		if ti, ok := tableOf(t); ok && se.says("Failed to resolve table or column expression named '"+ti.table+"'") {
			f.Err = &TableNotFoundError{LogType: t, Table: ti.table, Category: ti.category, WorkspaceID: c.cfg.WorkspaceID}
		} else if ok && se.says("'"+createdColumn+"'") && (se.has("SemanticError") || se.says("Failed to resolve")) {
			f.noCreated = true
		}
	case status == http.StatusUnauthorized:
		e.Kind, f.Reason = ErrUnauthorized, azure.ReasonUnauthorized
		e.Hint = "the token was refused: check the credentials, and that they are for the tenant that owns the workspace"
	case status == http.StatusForbidden:
		e.Kind = ErrForbidden
		e.Hint = fmt.Sprintf("grant the identity the Log Analytics Reader role on workspace %s (or on its resource group or subscription), and check that workspaceId is right", c.cfg.WorkspaceID)
	case status == http.StatusNotFound:
		e.Kind = ErrWorkspaceNotFound
		e.Hint = fmt.Sprintf("no workspace has workspaceId %s at %s: use the Workspace ID from the workspace's overview page", c.cfg.WorkspaceID, c.host)
	case status == http.StatusTooManyRequests:
		e.Kind, f.Reason, f.RetryAfter = ErrThrottled, azure.ReasonThrottled, azure.RetryAfter(resp.Header)
		e.Hint = "the Log Analytics query API allows about 200 requests per 30 s per user; query a shorter range or less often"
	case status == http.StatusGatewayTimeout || status == http.StatusRequestTimeout:
		e.Kind, f.Reason = ErrTimeout, azure.ReasonTimeout
		e.Hint = "the query ran past the service's timeout; query a shorter range"
	case status == http.StatusServiceUnavailable:
		e.Kind, f.Reason, f.RetryAfter = ErrUnavailable, azure.ReasonServer, azure.RetryAfter(resp.Header)
	case status >= 500:
		e.Kind, f.Reason = ErrUnavailable, azure.ReasonServer
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
