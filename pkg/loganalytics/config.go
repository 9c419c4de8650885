package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// Defaults and limits.
const (
	// defaultIngestionAllowance is how much later than a sign-in's
	// CreatedDateTime its row may carry TimeGenerated and still be found: the
	// query's timespan reaches this far past the window.
	//
	// Microsoft documents the two legs of the way, not a bound: Entra ID makes
	// 95 % of sign-ins available within 2 minutes and 99 % within 5 ("Azure AD
	// reporting latencies", learn.microsoft.com/azure/active-directory/
	// reports-monitoring/reference-reports-latencies, since folded into "Log
	// latency in Microsoft Entra ID", reference-log-latency), and Azure Monitor
	// ingests log data in 20 s to 3 min on average ("Log data ingestion time
	// in Azure Monitor", learn.microsoft.com/azure/azure-monitor/logs/
	// data-ingestion-time), which also warns that specific data varies. That
	// is about 8 minutes at the 99th percentile. Non-interactive sign-ins are
	// reported to lag 15 to 30 minutes at times. A timespan wider than needed
	// costs the service a little more scanning; one too narrow silently drops
	// sign-ins from windows that are then cached for good. Hence 30 minutes,
	// about four times the documented figures.
	defaultIngestionAllowance = 30 * time.Minute
	// DefaultRequestTimeout bounds one HTTP attempt (query, body, decoding).
	// The service runs a query for up to 3 minutes by default; the client asks
	// it (Prefer: wait) to give up a little before this timeout, so a slow
	// query comes back as a 504, which halves the range.
	DefaultRequestTimeout = 2 * time.Minute
	// DefaultMaxRetries bounds the retries of one query.
	DefaultMaxRetries = 5
	// pageEvents is the most sign-ins handed to ListSignIns' callback at once.
	pageEvents = 1000
	// minSplit is the shortest range the client splits further when the
	// service cuts a result at its row limit.
	minSplit = time.Minute
	// HealthSpan is the timespan of CheckTables' query.
	HealthSpan = 7 * 24 * time.Hour
	// clockSkew is how far past this machine's clock the timespan may reach:
	// the service's clock, which stamps TimeGenerated, may be ahead of ours.
	clockSkew = time.Minute
	// maxServerWait is the longest Prefer: wait the service accepts.
	maxServerWait = 600
)

// ErrConfig marks a configuration the admin has to fix; Validate's errors wrap it.
var ErrConfig = errors.New("invalid configuration")

// Config is what the client needs from the datasource settings.
type Config struct {
	// WorkspaceID is the workspace's GUID (jsonData.workspaceId): "Workspace
	// ID" on the workspace's overview page, not its resource id or name.
	WorkspaceID string
	// Cloud is jsonData.cloud: AzureCloud (default), AzureUSGovernment or
	// AzureChinaCloud. It picks the default endpoint.
	Cloud string
	// Endpoint overrides the cloud's query endpoint (jsonData.logAnalyticsEndpoint),
	// without the /v1: an https URL, or http on a loopback address for a
	// local stand-in. The token audience follows it: its scheme and host.
	Endpoint string
	// Credential gets the bearer tokens; the caller builds it (azidentity, or a
	// static one for the demo). Required.
	Credential azcore.TokenCredential
	// HTTPClient, when set, carries every request (a transport trusting a
	// test or proxy CA). Nil: a client with the system's roots.
	HTTPClient *http.Client
	// Pacer, when set, is the request budget shared with everything else that
	// queries this workspace as this user: the client takes a token before
	// each HTTP attempt, retries included, dates it by when the request was
	// written, and pushes the bucket back by Retry-After when the service
	// answers 429. Nil: no pacing.
	Pacer *pace.Bucket
	// IngestionAllowance widens the timespan past each window's end; see
	// defaultIngestionAllowance (the default).
	IngestionAllowance time.Duration
	// UpdateAllowance widens the timespan further, for updates: a sign-in's
	// row re-emitted this long after it (the store's revalidation period,
	// revalidateHours) is still read, so a listing or an aggregation sees
	// each sign-in's latest version, as Graph serves it. It costs the service
	// the scan of that much more ingestion time; the timespan never reaches
	// past now. 0: none.
	UpdateAllowance time.Duration
	// RevisedAfter is how late after its sign-in a row must have been
	// ingested for ListChanged to list it: the store's freshness, after
	// which a window is read whole, so a row ingested later may not have
	// been read. 0 or more than IngestionAllowance: IngestionAllowance.
	RevisedAfter time.Duration
	// MaxRetries bounds the retries of one query; default 5, negative for none.
	MaxRetries int
	// RequestTimeout bounds one HTTP attempt; default 2 minutes.
	RequestTimeout time.Duration
	// MaxAnswerBytes bounds a push-down answer's body (Aggregate); default
	// DefaultMaxAnswerBytes. An answer past it fails with ErrTooLarge.
	MaxAnswerBytes int64
	// Observer receives request, retry and decoding events; nil for none.
	Observer azure.Observer
	// Sleep waits between retries; nil means a timer. Tests inject one.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock that caps timespans; nil means time.Now.
	Now func() time.Time
}

// String describes the configuration, for logs. It holds no secret.
func (c Config) String() string {
	return fmt.Sprintf("loganalytics.Config{cloud=%s workspaceId=%s endpoint=%s credential=%s ingestionAllowance=%s updateAllowance=%s}",
		c.Cloud, c.WorkspaceID, c.Endpoint, isSet(c.Credential != nil), c.IngestionAllowance, c.UpdateAllowance)
}

func isSet(b bool) string {
	if b {
		return "set"
	}
	return "unset"
}

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Validate reports every problem at once, each naming the field to fix.
func (c Config) Validate() error {
	var problems []string
	add := func(p string) { problems = append(problems, p) }
	switch {
	case c.WorkspaceID == "":
		add("workspaceId is required: the GUID shown as Workspace ID on the Log Analytics workspace's overview page")
	case !guidPattern.MatchString(c.WorkspaceID):
		add(fmt.Sprintf("workspaceId %s is not a GUID: use the Workspace ID shown on the Log Analytics workspace's overview page, not its name or resource id", clip.Quote(c.WorkspaceID)))
	}
	if _, err := azure.LookupCloud(c.Cloud); err != nil {
		add(err.Error())
	}
	if p := endpointProblem("logAnalyticsEndpoint", c.Endpoint); p != "" {
		add(p)
	}
	if c.Credential == nil {
		add("no credential to authenticate with")
	}
	if c.UpdateAllowance < 0 {
		add("updateAllowance must not be negative")
	}
	if c.RevisedAfter < 0 {
		add("revisedAfter must not be negative")
	}
	if c.IngestionAllowance < 0 {
		add("ingestionAllowance must not be negative")
	}
	if c.RequestTimeout < 0 {
		add("requestTimeout must not be negative")
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
}

// endpointProblem checks an endpoint override (azure.EndpointProblem).
func endpointProblem(field, raw string) string {
	return azure.EndpointProblem(field, raw, "https://api.loganalytics.io")
}

// withDefaults fills the optional fields.
func (c Config) withDefaults() Config {
	if c.Cloud == "" {
		c.Cloud = azure.DefaultCloud
	}
	if c.IngestionAllowance == 0 {
		c.IngestionAllowance = defaultIngestionAllowance
	}
	azure.RetryDefaults(&c.RequestTimeout, DefaultRequestTimeout, &c.MaxRetries, DefaultMaxRetries, &c.Sleep)
	if c.MaxAnswerBytes <= 0 {
		c.MaxAnswerBytes = DefaultMaxAnswerBytes
	}
	if c.Observer == nil {
		c.Observer = azure.NopObserver{}
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// Endpoints resolves the query endpoint (without /v1) and the token audience
// of a cloud and an optional override: the override's scheme and host are
// its audience.
func Endpoints(cloudName, override string) (endpoint, audience string, err error) {
	cl, err := azure.LookupCloud(cloudName)
	if err != nil {
		return "", "", err
	}
	if override == "" {
		return cl.LogAnalyticsEndpoint, cl.LogAnalyticsEndpoint, nil
	}
	if p := endpointProblem("logAnalyticsEndpoint", override); p != "" {
		return "", "", fmt.Errorf("%w: %s", ErrConfig, p)
	}
	u, _ := url.Parse(override)
	origin := (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
	return strings.TrimRight(override, "/"), origin, nil
}
