package loganalytics

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	cred := &staticCredential{token: testToken}
	ok := Config{WorkspaceID: testWorkspace, Credential: cred}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.WorkspaceID = "" }, "workspaceId is required"},
		{func(c *Config) { c.WorkspaceID = "my-workspace" }, `workspaceId "my-workspace" is not a GUID`},
		{func(c *Config) { c.WorkspaceID = "/subscriptions/x/resourceGroups/y" }, "workspaceId"},
		{func(c *Config) { c.Cloud = "Mars" }, `cloud "Mars" is not supported`},
		{func(c *Config) { c.Endpoint = "http://logs.example.com" }, "logAnalyticsEndpoint must use https (http only on localhost)"},
		{func(c *Config) { c.Endpoint = "https://logs.example.com:0" }, `logAnalyticsEndpoint has port "0"`},
		{func(c *Config) { c.Endpoint = "https://logs.example.com:65536" }, `logAnalyticsEndpoint has port "65536"`},
		{func(c *Config) { c.Endpoint = "https://logs.example.com:" }, `logAnalyticsEndpoint has port ""`},
		{func(c *Config) { c.Endpoint = "logs.example.com" }, "logAnalyticsEndpoint must be an absolute https URL"},
		{func(c *Config) { c.Endpoint = "https://user:pw@logs.example.com" }, "logAnalyticsEndpoint must be an absolute https URL"},
		{func(c *Config) { c.Credential = nil }, "no credential"},
		{func(c *Config) { c.RequestTimeout = -1 }, "requestTimeout"},
		{func(c *Config) { c.IngestionAllowance = -1 }, "ingestionAllowance"},
	}
	for _, tc := range cases {
		c := ok
		tc.mod(&c)
		err := c.Validate()
		if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want %q", c, err, tc.want)
		}
		if _, err := New(c); !errors.Is(err, ErrConfig) {
			t.Errorf("New accepted %+v", c)
		}
	}
	for _, e := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:443", "https://logs.example.com:8443/prefix/"} {
		c := ok
		c.Endpoint = e
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", e, err)
		}
	}
	if s := (Config{WorkspaceID: testWorkspace, Credential: cred}).String(); strings.Contains(s, testToken) || !strings.Contains(s, "credential=set") {
		t.Errorf("String %q", s)
	}
}

func TestEndpoints(t *testing.T) {
	cases := []struct{ cloud, override, endpoint, audience string }{
		{"", "", "https://api.loganalytics.io", "https://api.loganalytics.io"},
		{"AzureCloud", "", "https://api.loganalytics.io", "https://api.loganalytics.io"},
		{"AzureUSGovernment", "", "https://api.loganalytics.us", "https://api.loganalytics.us"},
		{"AzureChinaCloud", "", "https://api.loganalytics.azure.cn", "https://api.loganalytics.azure.cn"},
		{"AzureCloud", "https://logs.example.com:8443/prefix/", "https://logs.example.com:8443/prefix", "https://logs.example.com:8443"},
		{"AzureChinaCloud", "http://127.0.0.1:9000", "http://127.0.0.1:9000", "http://127.0.0.1:9000"},
	}
	for _, c := range cases {
		e, a, err := Endpoints(c.cloud, c.override)
		if err != nil || e != c.endpoint || a != c.audience {
			t.Errorf("%s %s: %s %s %v; want %s %s", c.cloud, c.override, e, a, err, c.endpoint, c.audience)
		}
	}
	if _, _, err := Endpoints("Nowhere", ""); err == nil {
		t.Error("unknown cloud accepted")
	}
}
