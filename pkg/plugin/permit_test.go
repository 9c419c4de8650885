package plugin

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// newInstance builds a datasource as Grafana would, with the server settings
// the test put in the environment.
func newInstance(t *testing.T, jsonData string, secure map[string]string) any {
	t.Helper()
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "permit", JSONData: unwarmed(jsonData), DecryptedSecureJSONData: secure})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := inst.(interface{ Dispose() }); ok {
		t.Cleanup(d.Dispose)
	}
	return inst
}

// unwarmed adds warmDays 0 to valid JSON settings that do not set it: the
// tests count the windows and requests their own queries cost, which a
// warming in the background would add to. Other input is left as it is.
func unwarmed(jsonData string) []byte {
	var m map[string]any
	if err := json.Unmarshal([]byte(jsonData), &m); err != nil || m == nil {
		return []byte(jsonData)
	}
	if _, ok := m["warmDays"]; !ok {
		m["warmDays"] = 0
	}
	out, _ := json.Marshal(m) // a decoded object marshals again
	return out
}

func health(t *testing.T, inst any) *backend.CheckHealthResult {
	t.Helper()
	res, err := inst.(backend.CheckHealthHandler).CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// refused asserts that the instance is refused with a message naming want.
func refused(t *testing.T, inst any, want string) {
	t.Helper()
	res := health(t, inst)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, want) {
		t.Fatalf("health %v %q; want an error naming %q", res.Status, res.Message, want)
	}
}

// TestDemoFileIsRefusedNamingItsReplacement: a demo datasource that still
// names a demoFile (the plugin reads no file since Grafana's catalog rules)
// is refused, not served the synthetic tenant in the export's place, and the
// health check says what replaced it. Nothing is opened: a FIFO would block.
func TestDemoFileIsRefusedNamingItsReplacement(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	refused(t, newInstance(t, `{"source":"demo","demoFile":`+quote(fifo)+`}`, nil), "demoFile is no longer read")
	refused(t, newInstance(t, `{"source":"demo","demoFile":"/dev/zero"}`, nil), "graphsim serve --tls --file")
}

// TestCacheDirIsNoLongerUsed: a datasource that still names a cacheDir (the
// disk tier left the plugin: Grafana's catalog rules allow no file system)
// starts, creates nothing there, and its health check says what replaced it.
func TestCacheDirIsNoLongerUsed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	res := health(t, newInstance(t, `{"source":"demo","demoSize":"small","cacheDir":`+quote(dir)+`}`, nil))
	if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "cacheDir is no longer used") || !strings.Contains(res.Message, "memcached") {
		t.Fatalf("health %v: %q; want ok, saying cacheDir is no longer used and what replaced it", res.Status, res.Message)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the cacheDir was created: %v", err)
	}
	if res := health(t, newInstance(t, `{"source":"demo","demoSize":"small"}`, nil)); strings.Contains(res.Message, "cacheDir") {
		t.Fatalf("cacheDir \"-\" (persistence off, as now) should pass in silence: %q", res.Message)
	}
}

// recorder is a local listener standing in for a host of the editor's
// choosing: it counts what reaches it.
func recorder(t *testing.T) (*httptest.Server, *atomic.Int64) {
	var hits atomic.Int64
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "no", http.StatusBadRequest)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// TestForeignAuthorityGetsNothingWithoutPermission: an editor who points
// authorityHost at a host of theirs would receive the client secret; the
// plugin sends nothing there unless the server allows custom endpoints.
func TestForeignAuthorityGetsNothingWithoutPermission(t *testing.T) {
	foreign, hits := recorder(t)
	jd := `{"source":"graph","tenantId":"contoso.onmicrosoft.com","clientId":"app","authorityHost":` + quote(foreign.URL) + `,"graphEndpoint":` + quote(foreign.URL) + `}`
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: foreign.Certificate().Raw}))
	secret := map[string]string{"clientSecret": "the-tenant-secret", "tlsCACert": ca}
	inst := newInstance(t, jd, secret)
	refused(t, inst, "allow_custom_endpoints = true in [plugin.signinlens-entra-datasource] (GF_PLUGIN_ALLOW_CUSTOM_ENDPOINTS)")
	resp, _ := inst.(backend.QueryDataHandler).QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A",
		TimeRange: backend.TimeRange{From: time.Now().Add(-time.Hour), To: time.Now()}, JSON: []byte(`{}`)}}})
	if resp.Responses["A"].Error == nil || hits.Load() != 0 {
		t.Fatalf("query error %v, %d requests to the foreign host; want an error and none", resp.Responses["A"].Error, hits.Load())
	}

	t.Setenv(envAllowCustomEndpoints, "true")
	if res := health(t, newInstance(t, jd, secret)); hits.Load() == 0 || strings.Contains(res.Message, "the-tenant-secret") {
		t.Fatalf("with allow_custom_endpoints the authority is asked (%d requests); message %q", hits.Load(), res.Message)
	}
}

// TestCloudHostsNeedNoPermission: overriding with a cloud's own host is not
// a custom endpoint.
func TestCloudHostsNeedNoPermission(t *testing.T) {
	srv := Server{}
	s := Settings{Source: SourceGraph, GraphEndpoint: "https://graph.microsoft.us/", AuthorityHost: "https://login.chinacloudapi.cn"}
	if err := srv.permit(s); err != nil {
		t.Fatal(err)
	}
	s.AuthorityHost = "https://login.microsoftonline.com.evil.example"
	if err := srv.permit(s); !errors.Is(err, ErrNotPermitted) {
		t.Fatalf("a look-alike host: %v", err)
	}
}

// TestHostIdentityFollowsGrafanasAzureSettings: managed and workload identity
// need Grafana's [azure] settings; with them, the managed-identity token
// request goes to the identity endpoint of the environment (a local
// stand-in here), never to the instance metadata address.
func TestHostIdentityFollowsGrafanasAzureSettings(t *testing.T) {
	jd := `{"source":"graph","authType":"managedIdentity","tenantId":"contoso.onmicrosoft.com"}`
	refused(t, newInstance(t, jd, nil), "managed_identity_enabled = true in [azure]")
	refused(t, newInstance(t, `{"source":"graph","authType":"workloadIdentity","tenantId":"t","clientId":"c"}`, nil), "workload_identity_enabled = true in [azure]")

	var resource atomic.Value
	identity := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		resource.Store(r.URL.Query().Get("resource") + " " + r.Header.Get("X-IDENTITY-HEADER"))
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"access_token": "mi-token", "expires_on": "4102444800", "token_type": "Bearer"})
	}))
	defer identity.Close()
	graphStandIn, graphHits := recorder(t)
	t.Setenv("IDENTITY_ENDPOINT", identity.URL)
	t.Setenv("IDENTITY_HEADER", "local-header")
	t.Setenv(envManagedIdentity, "true")
	t.Setenv(envAllowCustomEndpoints, "true")
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: graphStandIn.Certificate().Raw}))
	health(t, newInstance(t, `{"source":"graph","authType":"managedIdentity","graphEndpoint":`+quote(graphStandIn.URL)+`}`, map[string]string{"tlsCACert": ca}))
	if got, _ := resource.Load().(string); got != graphStandIn.URL+" local-header" || graphHits.Load() == 0 {
		t.Fatalf("identity endpoint asked for %q, Graph asked %d times; want the Graph resource with the header, then Graph", got, graphHits.Load())
	}
}
