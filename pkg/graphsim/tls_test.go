package graphsim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// startTLS starts a TLS server over testSignIns on the real clock and returns
// its base URL and a client trusting its CA.
func startTLS(t *testing.T, o Options) (*Server, string, *http.Client) {
	t.Helper()
	o.Source = newFileSource(testSignIns())
	srv, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CACertPEM()) {
		t.Fatalf("CACertPEM is not a PEM certificate: %q", srv.CACertPEM())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	t.Cleanup(client.CloseIdleConnections)
	return srv, base, client
}

func TestStartTLS(t *testing.T) {
	srv, base, client := startTLS(t, Options{})
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		t.Fatalf("base URL %q", base)
	}
	for _, host := range []string{base, strings.Replace(base, "127.0.0.1", "localhost", 1)} {
		resp, err := client.Get(host + "/contoso/v2.0/.well-known/openid-configuration")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.ProtoMajor != 2 {
			t.Fatalf("%s: status %d over %s; want 200 over HTTP/2", host, resp.StatusCode, resp.Proto)
		}
	}
	if _, err := http.Get(base + "/_sim/stats"); err == nil {
		t.Fatal("a client without the CA trusted the server")
	}
	if _, err := srv.Start("127.0.0.1:0", true); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Start: %v; want ErrStarted", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestStartPlain(t *testing.T) {
	srv, err := New(Options{Source: newFileSource(nil)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("Close before Start: %v", err)
	}
	base, err := srv.Start("127.0.0.1:0", false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(base, "http://127.0.0.1:") || srv.CACertPEM() != nil {
		t.Fatalf("base %q, CACertPEM %q; want http and no CA", base, srv.CACertPEM())
	}
	resp, err := http.Get(base + "/_sim/stats")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

// TestAzidentityClientSecret runs the credential the plugin uses against the
// TLS server: discovery, token request, and Graph accepting the token.
func TestAzidentityClientSecret(t *testing.T) {
	_, base, client := startTLS(t, Options{Credentials: map[string]string{"app-1": "s3cret"}})
	newCred := func(secret string) *azidentity.ClientSecretCredential {
		cred, err := azidentity.NewClientSecretCredential("contoso", "app-1", secret, &azidentity.ClientSecretCredentialOptions{
			ClientOptions: azcore.ClientOptions{
				Cloud:     cloud.Configuration{ActiveDirectoryAuthorityHost: base + "/"},
				Transport: client,
				Retry:     policy.RetryOptions{MaxRetries: -1},
			},
			DisableInstanceDiscovery: true,
		})
		if err != nil {
			t.Fatal(err)
		}
		return cred
	}
	scopes := policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}}
	tok, err := newCred("s3cret").GetToken(context.Background(), scopes)
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/beta/auditLogs/signIns?$top=5", nil)
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("Graph refused azidentity's token: %d", resp.StatusCode)
	}

	_, err = newCred("wrong").GetToken(context.Background(), scopes)
	if err == nil || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("wrong secret: %v; want an AADSTS7000215 error", err)
	}
}
