package graph

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// Authentication types (jsonData.authType).
const (
	AuthClientSecret      = azure.AuthClientSecret
	AuthClientCertificate = azure.AuthClientCertificate
	AuthManagedIdentity   = azure.AuthManagedIdentity
	AuthWorkloadIdentity  = azure.AuthWorkloadIdentity
)

// Defaults and limits.
const (
	// maxPageSize is Graph's largest (and default) $top for sign-ins.
	maxPageSize = 1000
	// minPageSize is the floor when a slow page makes the client halve $top: below it
	// the page count (and so the throttling budget spent) grows faster than it helps.
	minPageSize           = 50
	DefaultRequestTimeout = 60 * time.Second
	DefaultMaxRetries     = 5
)

// ErrConfig marks a configuration the admin has to fix; Validate's errors wrap it.
var ErrConfig = errors.New("invalid configuration")

// Config is what the client needs from the datasource settings (README, "Settings").
// Secrets (ClientSecret, ClientCertificate) never appear in String or in errors.
type Config struct {
	Cloud             string // jsonData.cloud: AzureCloud (default), AzureUSGovernment, AzureChinaCloud
	TenantID          string // jsonData.tenantId: GUID or domain
	ClientID          string // jsonData.clientId; for managedIdentity optional (user-assigned identity)
	AuthType          string // jsonData.authType: clientSecret (default), clientCertificate, managedIdentity, workloadIdentity
	ClientSecret      string // secureJsonData.clientSecret
	ClientCertificate []byte // secureJsonData.clientCertificate: PEM certificate and unencrypted private key

	// GraphEndpoint and AuthorityHost override the cloud's (sovereign or test
	// endpoints): https URLs, or http on a loopback address for local stand-ins.
	GraphEndpoint string
	AuthorityHost string
	// TLSCACert (secureJsonData.tlsCACert) is a PEM CA trusted in addition to the
	// system pool, for both Graph and the authority (TLS-intercepting proxies, tests).
	TLSCACert []byte

	// PageSize is $top, 1..1000; default 1000. Smaller pages cost more requests
	// against Graph's 5-requests-per-10-s budget.
	PageSize int
	// RequestTimeout bounds one page (request, body, decoding); default 60 s. A page
	// that times out is retried with half the $top, down to minPageSize.
	RequestTimeout time.Duration
	// MaxRetries bounds the retries of one page; default 5, negative for none.
	MaxRetries int

	// Credential, when set, replaces every authentication field (tests, demo mode).
	Credential azcore.TokenCredential
	// HTTPClient, when set, is used as is for Graph and the authority; TLSCACert is
	// then the caller's business.
	HTTPClient *http.Client
	// Observer receives request, retry and decoding events for metrics; nil for none.
	Observer azure.Observer
	// Pacer, when set, is the request budget shared with everything else that
	// reads this tenant's sign-in logs (the plugin's store): the client takes a
	// token before each HTTP attempt to the sign-in endpoints — each page, each
	// retry — tells the pacer when the request was actually written, and pushes
	// it back by Retry-After when Graph answers 429 all the same. Graph counts
	// every request when it arrives, so pacing anything less (listings, pages)
	// lets the two buckets drift apart. Nil: no pacing.
	Pacer *pace.Bucket
	// Sleep waits between retries; nil means a timer. Tests inject one that records.
	Sleep func(ctx context.Context, d time.Duration) error
}

// String describes the configuration without its secrets, for logs.
func (c Config) String() string {
	return fmt.Sprintf("graph.Config{cloud=%s tenantId=%s clientId=%s authType=%s clientSecret=%s clientCertificate=%s graphEndpoint=%s authorityHost=%s tlsCACert=%s pageSize=%d}",
		c.Cloud, c.TenantID, c.ClientID, c.AuthType, isSet(c.ClientSecret != ""), isSet(len(c.ClientCertificate) > 0),
		c.GraphEndpoint, c.AuthorityHost, isSet(len(c.TLSCACert) > 0), c.PageSize)
}

// GoString keeps %#v from printing the secret fields.
func (c Config) GoString() string { return c.String() }

func isSet(b bool) string {
	if b {
		return "set"
	}
	return "unset"
}

// Validate reports every problem at once, each naming the jsonData or
// secureJsonData field to fix. Empty optional fields are valid (defaults apply).
func (c Config) Validate() error {
	var problems []string
	add := func(p string) { problems = append(problems, p) }
	if _, err := LookupCloud(c.Cloud); err != nil {
		add(err.Error())
	}
	if c.Credential == nil {
		for _, p := range c.authProblems() {
			add(p)
		}
	}
	if p := endpointProblem("graphEndpoint", c.GraphEndpoint); p != "" {
		add(p)
	}
	if p := endpointProblem("authorityHost", c.AuthorityHost); p != "" {
		add(p)
	}
	if len(c.TLSCACert) > 0 && !x509.NewCertPool().AppendCertsFromPEM(c.TLSCACert) {
		add("tlsCACert holds no PEM certificate")
	}
	if c.PageSize < 0 || c.PageSize > maxPageSize {
		add(fmt.Sprintf("pageSize must be between 1 and %d", maxPageSize))
	}
	if c.RequestTimeout < 0 {
		add("requestTimeout must not be negative")
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s", ErrConfig, strings.Join(problems, "; "))
}

// authProblems checks the fields the chosen authType needs.
func (c Config) authProblems() []string {
	var problems []string
	needTenant, needClient := true, true
	switch c.authType() {
	case AuthClientSecret:
		if c.ClientSecret == "" {
			problems = append(problems, "clientSecret is required for authType clientSecret")
		}
	case AuthClientCertificate:
		if len(c.ClientCertificate) == 0 {
			problems = append(problems, "clientCertificate is required for authType clientCertificate")
		} else if _, _, err := azidentity.ParseCertificates(c.ClientCertificate, nil); err != nil {
			// the parser's message is not included: it could quote the PEM
			problems = append(problems, "clientCertificate must be PEM with a certificate and its unencrypted private key")
		}
	case AuthManagedIdentity:
		needTenant, needClient = false, false
	case AuthWorkloadIdentity:
	default:
		return []string{fmt.Sprintf("authType %q is not supported; want one of %s, %s, %s, %s",
			c.AuthType, AuthClientSecret, AuthClientCertificate, AuthManagedIdentity, AuthWorkloadIdentity)}
	}
	if needClient && c.ClientID == "" {
		problems = append([]string{"clientId is required"}, problems...)
	}
	if needTenant {
		problems = append(tenantProblems(c.TenantID), problems...)
	}
	return problems
}

// tenantProblems checks tenantId, which goes into the authority URL path.
func tenantProblems(id string) []string {
	if id == "" {
		return []string{"tenantId is required"}
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return []string{"tenantId must be a GUID or a domain such as contoso.onmicrosoft.com"}
		}
	}
	return nil
}

// endpointProblem checks an endpoint override (azure.EndpointProblem).
func endpointProblem(field, raw string) string {
	return azure.EndpointProblem(field, raw, "https://graph.microsoft.com")
}

func (c Config) authType() string {
	if c.AuthType == "" {
		return AuthClientSecret
	}
	return c.AuthType
}

// withDefaults fills the optional fields.
func (c Config) withDefaults() Config {
	if c.Cloud == "" {
		c.Cloud = DefaultCloud
	}
	c.AuthType = c.authType()
	if c.PageSize == 0 {
		c.PageSize = maxPageSize
	}
	azure.RetryDefaults(&c.RequestTimeout, DefaultRequestTimeout, &c.MaxRetries, DefaultMaxRetries, &c.Sleep)
	if c.Observer == nil {
		c.Observer = azure.NopObserver{}
	}
	return c
}

// endpoints resolves the Graph endpoint and authority host, overrides first.
func (c Config) endpoints() (graph, authority string, err error) {
	cl, err := LookupCloud(c.Cloud)
	if err != nil {
		return "", "", err
	}
	graph, authority = cl.GraphEndpoint, cl.AuthorityHost
	if c.GraphEndpoint != "" {
		graph = c.GraphEndpoint
	}
	if c.AuthorityHost != "" {
		authority = c.AuthorityHost
	}
	return strings.TrimRight(graph, "/"), strings.TrimRight(authority, "/"), nil
}
