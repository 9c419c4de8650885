package graph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"time"

	json "github.com/goccy/go-json"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Graph's own retry reasons, besides pkg/azure's: a page cut short, and a
// listing resumed by time after its skip token expired.
const (
	reasonTruncated = "truncated"
	reasonSkipToken = "skiptoken"
)

// page is one decoded page of sign-ins.
type page struct {
	events []signin.Event
	next   string
}

// failure is why one attempt failed and whether another may succeed.
type failure struct {
	azure.Failure
	challenge string // WWW-Authenticate of a 401
}

// fail is a failure another attempt cannot help.
func fail(err error) *failure { return &failure{Failure: azure.Failure{Err: err}} }

// retry is a failure another attempt may not have.
func retry(err error, reason string) *failure {
	return &failure{Failure: azure.Failure{Err: err, Reason: reason}}
}

// attempt fetches and decodes one page once, within RequestTimeout.
func (c *Client) attempt(ctx context.Context, req pageRequest, t signin.LogType) (page, *failure) {
	token, err := c.tokens.token(ctx)
	if err != nil {
		return page{}, fail(err) // azidentity already retried transient failures
	}
	// The token is taken after the OAuth token, just before the request, and
	// is not part of RequestTimeout: it may wait behind other panels' pages.
	ticket, err := c.takeToken(ctx)
	if err != nil {
		return page{}, fail(err)
	}
	pctx, cancel := context.WithTimeout(traceSent(ctx, ticket), c.cfg.RequestTimeout)
	defer cancel()
	start := time.Now()
	resp, err := c.get(pctx, req.url, token)
	c.cfg.Observer.Request(resp.status, time.Since(start))
	switch {
	case err != nil && pctx.Err() != nil && ctx.Err() == nil:
		return page{}, retry(fmt.Errorf("%w: no page within %s at $top=%d", ErrTimeout, c.cfg.RequestTimeout, req.top), azure.ReasonTimeout)
	case err != nil:
		return page{}, c.transportFailure(resp.status, err)
	case resp.status != http.StatusOK:
		f := statusFailure(resp)
		c.pushBack(f)
		return page{}, f
	}
	events, next, err := decodePage(resp.body, t)
	if err != nil {
		f := retry(fmt.Errorf("decoding sign-ins page from %s: %w", c.origin.Host, err), reasonTruncated)
		if errors.Is(err, errBadRecord) {
			f.Reason = ""
		}
		return page{}, f
	}
	c.cfg.Observer.Decoded(azure.Decoded{Events: len(events), Rows: len(events), Bytes: len(resp.body)})
	return page{events: events, next: next}, nil
}

// transportFailure classifies a request that got no complete answer. Certificate
// problems are not retried: they will not fix themselves.
func (c *Client) transportFailure(status int, err error) *failure {
	if errors.Is(err, errPageTooLarge) {
		return fail(err)
	}
	nerr := networkError(c.origin.Host, err)
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &certErr) {
		return fail(fmt.Errorf("%w (if a proxy intercepts TLS, add its CA as tlsCACert)", nerr))
	}
	if status != 0 {
		return retry(nerr, reasonTruncated) // headers arrived, the body did not
	}
	return retry(nerr, azure.ReasonNetwork)
}

// graphError is Graph's error body.
type graphError struct {
	Error struct {
		Code       string `json:"code"`
		Message    string `json:"message"`
		InnerError struct {
			RequestID string `json:"request-id"`
		} `json:"innerError"`
	} `json:"error"`
}

// statusFailure turns a non-200 answer into an *Error and says whether to retry.
func statusFailure(resp response) *failure {
	var ge graphError
	_ = json.Unmarshal(resp.body, &ge) // a proxy's HTML page leaves it empty
	e := Error{StatusCode: resp.status, Code: ge.Error.Code, Message: ge.Error.Message,
		RequestID: resp.header.Get("request-id")}
	if e.RequestID == "" {
		e.RequestID = ge.Error.InnerError.RequestID
	}
	if e.Message == "" && e.Code == "" {
		e.Message = http.StatusText(resp.status)
	}
	f := fail(newError(e, classifyStatus(resp.status, e.Code, e.Message), false))
	switch resp.status {
	case http.StatusTooManyRequests:
		f.Reason, f.RetryAfter = azure.ReasonThrottled, azure.RetryAfter(resp.header)
	case http.StatusServiceUnavailable:
		f.Reason, f.RetryAfter = azure.ReasonServer, azure.RetryAfter(resp.header)
	case http.StatusInternalServerError, http.StatusBadGateway:
		f.Reason = azure.ReasonServer
	case http.StatusGatewayTimeout, http.StatusRequestTimeout:
		f.Reason = azure.ReasonTimeout // Graph gave up assembling the page: a smaller one may make it
	case http.StatusUnauthorized:
		f.Reason, f.challenge = azure.ReasonUnauthorized, resp.header.Get("WWW-Authenticate")
	}
	return f
}
