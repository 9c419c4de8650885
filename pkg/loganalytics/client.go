package loganalytics

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// applicationID goes into the User-Agent (azcore keeps 24 characters).
const applicationID = "SignInLens"

// Client reads sign-ins from one Log Analytics workspace. It is safe for
// concurrent use and implements store.Source.
type Client struct {
	cfg      Config
	endpoint string // query endpoint without /v1
	audience string
	host     string // for messages
	logs     *azlogs.Client
	opts     *azlogs.QueryWorkspaceOptions
	tokens   *tokenRecorder

	// byGenerated marks the tables found to have no CreatedDateTime column:
	// their queries select by TimeGenerated (signInQuery).
	byGenerated [len(tables)]atomic.Bool
	// sizes is what the answers so far say of each log type's rows: listings
	// are sized by it (sized).
	sizes sizes
}

// New validates cfg and builds a client. No request is sent; CheckTables
// checks access.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	endpoint, audience, err := Endpoints(cfg.Cloud, cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("%w: logAnalyticsEndpoint: %v", ErrConfig, err)
	}
	hc := cfg.HTTPClient
	if hc == nil {
		if hc, err = azure.HTTPClient(nil); err != nil {
			return nil, err
		}
	}
	tokens := &tokenRecorder{cred: cfg.Credential, audience: audience}
	// The bearer policy is this package's, not azlogs' (which gets no
	// credential and so adds none): azlogs builds its own without options,
	// and that one refuses http even on loopback, which Validate allows for
	// local stand-ins. Both are azcore's runtime.BearerTokenPolicy.
	bearer := runtime.NewBearerTokenPolicy(tokens, []string{azure.Scope(audience)},
		&policy.BearerTokenOptions{InsecureAllowCredentialWithHTTP: u.Scheme == "http"})
	attempt := &attemptPolicy{pacer: cfg.Pacer, timeout: cfg.RequestTimeout, obs: cfg.Observer}
	logs, err := azlogs.NewClient(nil, &azlogs.ClientOptions{ClientOptions: azcore.ClientOptions{
		Cloud: cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
			azlogs.ServiceName: {Endpoint: endpoint + "/v1", Audience: audience},
		}},
		Transport: answerTransport{next: hc},
		// azcore's retries are off: this package retries, so that each
		// attempt is paced and counted once, and a 504 halves the range.
		Retry:            policy.RetryOptions{MaxRetries: -1},
		Telemetry:        policy.TelemetryOptions{ApplicationID: applicationID},
		PerRetryPolicies: []policy.Policy{bearer, attempt},
	}})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	wait := min(max(int(cfg.RequestTimeout/time.Second)-5, 1), maxServerWait)
	c := &Client{
		cfg: cfg, endpoint: endpoint, audience: audience, host: u.Host, logs: logs, tokens: tokens,
		opts: &azlogs.QueryWorkspaceOptions{Options: &azlogs.QueryOptions{Wait: &wait}},
	}
	c.sizes.init()
	return c, nil
}

// WorkspaceID returns the configured workspace id.
func (c *Client) WorkspaceID() string { return c.cfg.WorkspaceID }

// query sends one query, through the pipeline: token, pacing, one attempt.
// The first table's rows go to sink as they are read, when there is one
// (the results then hold that table without its rows).
func (c *Client) query(ctx context.Context, q string, span azlogs.TimeInterval, sink rowSink) (azlogs.QueryResults, error) {
	if sink != nil {
		ctx = withRowSink(ctx, sink)
	}
	resp, err := c.logs.QueryWorkspace(ctx, c.cfg.WorkspaceID, azlogs.QueryBody{Query: &q, Timespan: &span}, c.opts)
	return resp.QueryResults, err
}

// tokenRecorder is the caller's credential, remembering the tokens it handed
// out so that no error text can carry one, and marking its failures.
type tokenRecorder struct {
	cred     azcore.TokenCredential
	audience string

	mu     sync.Mutex
	recent []string // the last few tokens
}

func (r *tokenRecorder) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := r.cred.GetToken(ctx, opts)
	if err != nil {
		if ctx.Err() != nil {
			return tok, ctx.Err()
		}
		return tok, &tokenError{audience: r.audience, err: err}
	}
	r.mu.Lock()
	if len(r.recent) == 0 || r.recent[len(r.recent)-1] != tok.Token {
		r.recent = append(r.recent, tok.Token)
		if len(r.recent) > 4 {
			r.recent = r.recent[1:]
		}
	}
	r.mu.Unlock()
	return tok, nil
}

// redact returns err, or a copy of its text without any token handed out,
// classified as err is. It is the last step of every exported method.
func (c *Client) redact(err error) error {
	if err == nil {
		return nil
	}
	c.tokens.mu.Lock()
	recent := append([]string(nil), c.tokens.recent...)
	c.tokens.mu.Unlock()
	return azure.Redact(err, recent...)
}

// arrivalMargin is how long after a request is written the client assumes
// the service's throttle counts it (as pkg/graph does): charging it later
// keeps the pacer's bucket behind the service's rather than ahead.
const arrivalMargin = 200 * time.Millisecond

// attemptPolicy wraps each HTTP attempt: it takes a token of the pacer, bounds
// the attempt by RequestTimeout (the wait for the token is not part of it),
// dates the token by when the request was written, reports the exchange to
// the Observer and pushes the pacer back when the service answers 429.
type attemptPolicy struct {
	pacer   *pace.Bucket
	timeout time.Duration
	obs     azure.Observer
}

// errAttemptTimeout marks an attempt cut by RequestTimeout.
type errAttemptTimeout struct{ d time.Duration }

func (e *errAttemptTimeout) Error() string { return fmt.Sprintf("no answer within %s", e.d) }

func (p *attemptPolicy) Do(req *policy.Request) (*http.Response, error) {
	ctx := req.Raw().Context()
	var ticket *pace.Ticket
	if p.pacer != nil {
		t, err := p.pacer.Wait(ctx)
		if err != nil {
			if ctx.Err() == nil {
				err = fmt.Errorf("waiting for the request budget shared with the other panels: %w", err)
			}
			return nil, err
		}
		ticket = t
	}
	actx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel() // the body is read by now: azcore's download policy comes after this one
	if ticket != nil {
		actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
			WroteRequest: func(httptrace.WroteRequestInfo) { ticket.Sent(time.Now().Add(arrivalMargin)) },
		})
	}
	start := time.Now()
	resp, err := req.WithContext(actx).Next()
	status := 0
	if resp != nil {
		status = resp.StatusCode
	}
	p.obs.Request(status, time.Since(start))
	if err != nil && actx.Err() != nil && ctx.Err() == nil {
		return nil, &errAttemptTimeout{d: p.timeout}
	}
	if p.pacer != nil && status == http.StatusTooManyRequests {
		p.pacer.PushBack(azure.RetryAfter(resp.Header))
	}
	return resp, err
}
