package graph

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	json "github.com/goccy/go-json"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Retry reasons, as reported to Observer.Retry.
const (
	reasonThrottled    = "throttled"
	reasonServer       = "server"
	reasonTimeout      = "timeout"
	reasonNetwork      = "network"
	reasonTruncated    = "truncated"
	reasonUnauthorized = "unauthorized"
	reasonSkipToken    = "skiptoken"
)

// page is one decoded page of sign-ins.
type page struct {
	events []signin.Event
	next   string
}

// failure is why one attempt failed and whether another may succeed.
type failure struct {
	err        error         // returned when not retried or out of retries
	reason     string        // retry reason; "" when retrying cannot help
	retryAfter time.Duration // Graph's Retry-After, 0 when absent
	challenge  string        // WWW-Authenticate of a 401
}

// attempt fetches and decodes one page once, within RequestTimeout.
func (c *Client) attempt(ctx context.Context, req pageRequest, t signin.LogType) (page, *failure) {
	token, err := c.tokens.token(ctx)
	if err != nil {
		return page{}, &failure{err: err} // azidentity already retried transient failures
	}
	// The token is taken after the OAuth token, just before the request, and
	// is not part of RequestTimeout: it may wait behind other panels' pages.
	ticket, err := c.takeToken(ctx)
	if err != nil {
		return page{}, &failure{err: err}
	}
	pctx, cancel := context.WithTimeout(traceSent(ctx, ticket), c.cfg.RequestTimeout)
	defer cancel()
	start := time.Now()
	resp, err := c.get(pctx, req.url, token)
	c.cfg.Observer.Request(resp.status, time.Since(start))
	switch {
	case err != nil && pctx.Err() != nil && ctx.Err() == nil:
		return page{}, &failure{err: fmt.Errorf("%w: no page within %s at $top=%d", ErrTimeout, c.cfg.RequestTimeout, req.top), reason: reasonTimeout}
	case err != nil:
		return page{}, c.transportFailure(resp.status, err)
	case resp.status != http.StatusOK:
		f := statusFailure(resp)
		c.pushBack(f)
		return page{}, f
	}
	events, next, err := decodePage(resp.body, t)
	if err != nil {
		f := &failure{err: fmt.Errorf("decoding sign-ins page from %s: %w", c.origin.Host, err), reason: reasonTruncated}
		if errors.Is(err, errBadRecord) {
			f.reason = ""
		}
		return page{}, f
	}
	c.cfg.Observer.Decoded(len(events), len(resp.body))
	return page{events: events, next: next}, nil
}

// transportFailure classifies a request that got no complete answer. Certificate
// problems are not retried: they will not fix themselves.
func (c *Client) transportFailure(status int, err error) *failure {
	if errors.Is(err, errPageTooLarge) {
		return &failure{err: err}
	}
	nerr := networkError(c.origin.Host, err)
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &unknownCA) || errors.As(err, &hostErr) || errors.As(err, &certErr) {
		return &failure{err: fmt.Errorf("%w (if a proxy intercepts TLS, add its CA as tlsCACert)", nerr)}
	}
	if status != 0 {
		return &failure{err: nerr, reason: reasonTruncated} // headers arrived, the body did not
	}
	return &failure{err: nerr, reason: reasonNetwork}
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
	e := &Error{StatusCode: resp.status, Code: ge.Error.Code, Message: ge.Error.Message,
		RequestID: resp.header.Get("request-id")}
	if e.RequestID == "" {
		e.RequestID = ge.Error.InnerError.RequestID
	}
	if e.Message == "" && e.Code == "" {
		e.Message = http.StatusText(resp.status)
	}
	e.kind = classifyStatus(resp.status, e.Code, e.Message)
	f := &failure{err: e}
	switch resp.status {
	case http.StatusTooManyRequests:
		f.reason, f.retryAfter = reasonThrottled, retryAfter(resp.header)
	case http.StatusServiceUnavailable:
		f.reason, f.retryAfter = reasonServer, retryAfter(resp.header)
	case http.StatusInternalServerError, http.StatusBadGateway:
		f.reason = reasonServer
	case http.StatusGatewayTimeout, http.StatusRequestTimeout:
		f.reason = reasonTimeout // Graph gave up assembling the page: a smaller one may make it
	case http.StatusUnauthorized:
		f.reason, f.challenge = reasonUnauthorized, resp.header.Get("WWW-Authenticate")
	}
	return f
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 when absent or past.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(s)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}
