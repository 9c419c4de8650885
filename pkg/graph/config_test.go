package graph

import (
	"errors"
	"os"
	"testing"
)

func TestValidate(t *testing.T) {
	f := func(cfg Config, want string) {
		t.Helper()
		err := cfg.Validate()
		if want == "" {
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if err == nil || err.Error() != want || !errors.Is(err, ErrConfig) {
			t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
		}
	}
	ok := Config{TenantID: "contoso.onmicrosoft.com", ClientID: "c", ClientSecret: "s"}
	with := func(mod func(*Config)) Config { c := ok; mod(&c); return c }

	f(ok, "")
	f(Config{}, "invalid configuration: tenantId is required; clientId is required; clientSecret is required for authType clientSecret")
	f(with(func(c *Config) { c.TenantID = "../evil" }), "invalid configuration: tenantId must be a GUID or a domain such as contoso.onmicrosoft.com")
	f(with(func(c *Config) { c.AuthType = "password" }),
		`invalid configuration: authType "password" is not supported; want one of clientSecret, clientCertificate, managedIdentity, workloadIdentity`)
	f(with(func(c *Config) { c.Cloud = "Mars" }),
		`invalid configuration: cloud "Mars" is not supported; want one of AzureChinaCloud, AzureCloud, AzureUSGovernment`)
	f(with(func(c *Config) { c.Cloud = "AzureUSGovernment" }), "")
	f(with(func(c *Config) { c.AuthType = AuthClientCertificate }), "invalid configuration: clientCertificate is required for authType clientCertificate")
	f(with(func(c *Config) { c.AuthType, c.ClientCertificate = AuthClientCertificate, []byte("not pem") }),
		"invalid configuration: clientCertificate must be PEM with a certificate and its unencrypted private key")
	f(with(func(c *Config) { c.AuthType, c.ClientCertificate = AuthClientCertificate, selfSignedPEM(t) }), "")
	f(Config{AuthType: AuthManagedIdentity}, "")
	f(Config{AuthType: AuthWorkloadIdentity}, "invalid configuration: tenantId is required; clientId is required")
	f(Config{Credential: &fakeCredential{}}, "")
	f(with(func(c *Config) { c.GraphEndpoint = "graph.microsoft.com" }),
		"invalid configuration: graphEndpoint must be an absolute https URL such as https://graph.microsoft.com")
	f(with(func(c *Config) { c.GraphEndpoint = "https://graph.example/?x=1" }),
		"invalid configuration: graphEndpoint must be an absolute https URL such as https://graph.microsoft.com")
	f(with(func(c *Config) { c.GraphEndpoint = "http://graph.example" }), "invalid configuration: graphEndpoint must use https (http only on localhost)")
	f(with(func(c *Config) { c.GraphEndpoint = "http://127.0.0.1:8080" }), "")
	f(with(func(c *Config) { c.AuthorityHost = "ftp://login.example" }), "invalid configuration: authorityHost must use https (http only on localhost)")
	f(with(func(c *Config) { c.TLSCACert = []byte("junk") }), "invalid configuration: tlsCACert holds no PEM certificate")
	f(with(func(c *Config) { c.PageSize = 1001 }), "invalid configuration: pageSize must be between 1 and 1000")
	f(with(func(c *Config) { c.PageSize = -1; c.RequestTimeout = -1 }),
		"invalid configuration: pageSize must be between 1 and 1000; requestTimeout must not be negative")
}

func TestNewRejectsInvalid(t *testing.T) {
	if _, err := New(Config{}); !errors.Is(err, ErrConfig) {
		t.Fatalf("unexpected error %v", err)
	}
}

func TestWorkloadIdentityNeedsTokenFile(t *testing.T) {
	t.Setenv("AZURE_FEDERATED_TOKEN_FILE", "") // restored after the test
	os.Unsetenv("AZURE_FEDERATED_TOKEN_FILE")
	_, err := New(Config{AuthType: AuthWorkloadIdentity, TenantID: "t", ClientID: "c"})
	want := "invalid configuration: authType workloadIdentity: no token file specified. Check pod configuration or set TokenFilePath in the options"
	if err == nil || err.Error() != want {
		t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
	}
}

func TestCloudTable(t *testing.T) {
	f := func(name, authority, graph, scope string) {
		t.Helper()
		c, err := LookupCloud(name)
		if err != nil {
			t.Fatal(err)
		}
		if c.AuthorityHost != authority || c.GraphEndpoint != graph || Scope(c.GraphEndpoint) != scope {
			t.Fatalf("unexpected endpoints for %q; got %+v, scope %s", name, c, Scope(c.GraphEndpoint))
		}
	}
	f("", "https://login.microsoftonline.com", "https://graph.microsoft.com", "https://graph.microsoft.com/.default")
	f("AzureCloud", "https://login.microsoftonline.com", "https://graph.microsoft.com", "https://graph.microsoft.com/.default")
	f("AzureUSGovernment", "https://login.microsoftonline.us", "https://graph.microsoft.us", "https://graph.microsoft.us/.default")
	f("AzureChinaCloud", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/.default")
}

func TestEndpointOverrides(t *testing.T) {
	f := func(cfg Config, graph, authority string) {
		t.Helper()
		g, a, err := cfg.withDefaults().endpoints()
		if err != nil || g != graph || a != authority {
			t.Fatalf("unexpected endpoints %q, %q, %v; want %q, %q", g, a, err, graph, authority)
		}
	}
	f(Config{}, "https://graph.microsoft.com", "https://login.microsoftonline.com")
	f(Config{Cloud: "AzureChinaCloud", GraphEndpoint: "https://graph.example/"}, "https://graph.example", "https://login.chinacloudapi.cn")
	f(Config{AuthorityHost: "https://login.example/"}, "https://graph.microsoft.com", "https://login.example")
}

func TestDefaults(t *testing.T) {
	c := Config{}.withDefaults()
	if c.Cloud != "AzureCloud" || c.AuthType != "clientSecret" || c.PageSize != 1000 || c.RequestTimeout != DefaultRequestTimeout || c.MaxRetries != 5 {
		t.Fatalf("unexpected defaults %+v", c)
	}
	if n := (Config{MaxRetries: -1}).withDefaults().MaxRetries; n != 0 {
		t.Fatalf("unexpected MaxRetries %d for -1; want 0", n)
	}
}
