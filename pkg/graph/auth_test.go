package graph

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testTenant   = "0a1b2c3d-0000-4000-8000-00000000aaaa"
	testClientID = "5e6f7a8b-0000-4000-8000-00000000bbbb"
	testSecret   = "s3cr3t~Value.With_Odd-Chars"
)

// tokenServer is a stand-in Entra ID authority: the OpenID configuration azidentity
// reads first, then the token endpoint. fail makes it reject every token request
// with an answer that (wrongly) echoes the secret.
type tokenServer struct {
	srv   *httptest.Server
	fail  bool
	mu    sync.Mutex
	forms []url.Values
}

func newTokenServer(t *testing.T, fail bool) *tokenServer {
	t.Helper()
	ts := &tokenServer{fail: fail}
	ts.srv = httptest.NewUnstartedServer(http.HandlerFunc(ts.serve))
	ts.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.srv.StartTLS()
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *tokenServer) serve(w http.ResponseWriter, r *http.Request) {
	base := ts.srv.URL + "/" + testTenant
	switch r.URL.Path {
	case "/" + testTenant + "/v2.0/.well-known/openid-configuration":
		writeJSON(w, 200, fmt.Sprintf(`{"token_endpoint":%q,"authorization_endpoint":%q,"issuer":%q}`,
			base+"/oauth2/v2.0/token", base+"/oauth2/v2.0/authorize", base+"/v2.0"))
	case "/" + testTenant + "/oauth2/v2.0/token":
		_ = r.ParseForm()
		ts.mu.Lock()
		ts.forms = append(ts.forms, r.PostForm)
		ts.mu.Unlock()
		if ts.fail {
			writeJSON(w, 401, `{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Got '`+
				r.PostForm.Get("client_secret")+`'.\r\nTrace ID: t-1\r\nCorrelation ID: c-1","error_codes":[7000215],"trace_id":"t-1"}`)
			return
		}
		writeJSON(w, 200, `{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"entra-token-1"}`)
	default:
		http.NotFound(w, r)
	}
}

func certPEM(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

// selfSignedPEM is a client certificate with its key, as an admin would paste it.
func selfSignedPEM(t *testing.T) []byte {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signinlens-test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})...)
}

// authConfig points a real azidentity credential at the stand-ins, trusting
// their certificate through TLSCACert only.
func authConfig(ts *tokenServer, g *fakeGraph) Config {
	return Config{TenantID: testTenant, ClientID: testClientID, ClientSecret: testSecret,
		AuthorityHost: ts.srv.URL, GraphEndpoint: g.srv.URL, TLSCACert: certPEM(g.srv), MaxRetries: -1}
}

func TestClientSecretCredentialAgainstTLSAuthority(t *testing.T) {
	ts := newTokenServer(t, false)
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
	c, err := New(authConfig(ts, g))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := c.Probe(context.Background()); err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
	}
	if len(ts.forms) != 1 {
		t.Fatalf("expected one token request (then the cached token); got %d", len(ts.forms))
	}
	form := ts.forms[0]
	want := map[string]string{"grant_type": "client_credentials", "client_id": testClientID, "client_secret": testSecret}
	for k, v := range want {
		if got := form.Get(k); got != v {
			t.Errorf("token request %s: got %q; want %q", k, got, v)
		}
	}
	// MSAL appends "openid offline_access profile" to the scope we ask for
	if got := strings.Fields(form.Get("scope")); len(got) == 0 || got[0] != g.srv.URL+"/.default" {
		t.Errorf("token request scope: got %q; want %q first", form.Get("scope"), g.srv.URL+"/.default")
	}
	if g.bearers[0] != "Bearer entra-token-1" || g.bearers[1] != "Bearer entra-token-1" {
		t.Fatalf("unexpected bearer headers %q", g.bearers)
	}
}

func TestClientCertificateCredentialAgainstTLSAuthority(t *testing.T) {
	ts := newTokenServer(t, false)
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
	cfg := authConfig(ts, g)
	cfg.AuthType, cfg.ClientSecret, cfg.ClientCertificate = AuthClientCertificate, "", selfSignedPEM(t)
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Probe(context.Background()); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	form := ts.forms[0]
	if form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || form.Get("client_assertion") == "" {
		t.Fatalf("expected a signed client assertion; got %v", form)
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	ts := newTokenServer(t, true)
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
	c, err := New(authConfig(ts, g))
	if err != nil {
		t.Fatal(err)
	}
	probeErr := c.Probe(context.Background())
	_, listErr := collect(context.Background(), c, winFrom, winTo)
	if got := ts.forms[0].Get("client_secret"); got != testSecret {
		t.Fatalf("the fake did not see the secret (%q): the test proves nothing", got)
	}
	want := "entra id token request: status 401: invalid_client: AADSTS7000215: Invalid client secret provided. Got '[redacted]'. (check tenantId, clientId and the client secret or certificate) [request-id t-1]"
	for _, err := range []error{probeErr, listErr} {
		if !errors.Is(err, ErrUnauthorized) || err.Error() != want {
			t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			if text := fmt.Sprintf("%v %+v %#v", e, e, e); strings.Contains(text, testSecret) {
				t.Fatalf("the secret leaked: %s", text)
			}
		}
	}
	if len(g.requests()) != 0 {
		t.Fatalf("Graph must not be called without a token")
	}
}

func TestSecretNeverInConfigText(t *testing.T) {
	cert := selfSignedPEM(t)
	cfg := Config{TenantID: "bad tenant", ClientSecret: testSecret, ClientCertificate: cert, PageSize: 5000}
	keyLine := strings.Split(string(cert), "\n")[len(strings.Split(string(cert), "\n"))-3]
	for _, text := range []string{fmt.Sprintf("%v|%+v|%#v|%s", cfg, cfg, cfg, cfg), cfg.Validate().Error()} {
		if strings.Contains(text, testSecret) || strings.Contains(text, keyLine) {
			t.Fatalf("a secret leaked: %s", text)
		}
	}
	want := "graph.Config{cloud= tenantId=bad tenant clientId= authType= clientSecret=set clientCertificate=set graphEndpoint= authorityHost= tlsCACert=unset pageSize=5000}"
	if got := cfg.String(); got != want {
		t.Fatalf("unexpected String\ngot  %s\nwant %s", got, want)
	}
}

func TestAuthErrorClassification(t *testing.T) {
	f := func(in string, class error, want string) {
		t.Helper()
		err := authError(errors.New(in), "login.example", testSecret)
		if !errors.Is(err, class) || err.Error() != want {
			t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
		}
	}
	f("ClientSecretCredential: Post \"https://login.example/t/oauth2/v2.0/token\": dial tcp 10.0.0.1:443: connect: connection refused\nmore",
		ErrNetwork, `network error: cannot reach login.example: ClientSecretCredential: Post "https://login.example/t/oauth2/v2.0/token": dial tcp 10.0.0.1:443: connect: connection refused`)
	f("ManagedIdentityCredential: no default identity is assigned to this resource",
		ErrUnauthorized, "entra id token request: ManagedIdentityCredential: no default identity is assigned to this resource (check tenantId, clientId and the client secret or certificate)")
	f("weird failure quoting "+testSecret, ErrUnauthorized,
		"entra id token request: weird failure quoting [redacted] (check tenantId, clientId and the client secret or certificate)")
}

func TestClaimsChallenge(t *testing.T) {
	h := `Bearer realm="", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ=="`
	if got, want := claimsOf(h), `{"access_token":{"nbf":{"essential":true}}}`; got != want {
		t.Fatalf("unexpected claims %q; want %q", got, want)
	}
	if got := claimsOf(`Bearer realm=""`); got != "" {
		t.Fatalf("unexpected claims %q", got)
	}
}

func TestWorkloadIdentityCredentialAgainstTLSAuthority(t *testing.T) {
	ts := newTokenServer(t, false)
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("k8s-service-account-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AZURE_FEDERATED_TOKEN_FILE", file)
	cfg := authConfig(ts, g)
	cfg.AuthType, cfg.ClientSecret = AuthWorkloadIdentity, ""
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Probe(context.Background()); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if got := ts.forms[0].Get("client_assertion"); got != "k8s-service-account-token" {
		t.Fatalf("unexpected client_assertion %q", got)
	}
}

func TestManagedIdentityBuilds(t *testing.T) {
	for _, id := range []string{"", testClientID} {
		if _, err := New(Config{AuthType: AuthManagedIdentity, ClientID: id}); err != nil {
			t.Fatalf("unexpected error for client id %q: %v", id, err)
		}
	}
}
