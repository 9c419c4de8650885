package e2e

import (
	"bytes"
	"net"
	"os"
	"sync"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
)

// The reliability tests point "graph" datasources at simulators they start
// in-process over TLS, serving the tenant `graphsim export --seed 7 --size
// small` exports, so the export stays the ground truth.
const (
	simTenantID = "contoso.onmicrosoft.com"
	simClientID = "aaaaaaaa-1111-4222-8333-bbbbbbbbbbbb"
)

// startSim starts a simulator on the real clock, of o.Source or else the
// seed-7 small tenant, and returns its base URL and CA certificate.
func startSim(t *testing.T, o graphsim.Options) (*graphsim.Server, string, []byte) {
	t.Helper()
	if o.Source == nil {
		tenant, err := synth.New(7, "small")
		if err != nil {
			t.Fatal(err)
		}
		o.Source = graphsim.TenantSource(tenant)
	}
	srv, err := graphsim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, base, srv.CACertPEM()
}

// graphDatasource is a "graph" datasource of the simulator at base. Its cache
// is not persisted, and its request budget is lifted: the simulator does not
// throttle unless a fault says so, and waiting out Graph's 5 requests per 10 s
// would only make the tests slow.
func graphDatasource(uid, base string, caPEM []byte, clientID string, secure map[string]string) plugintest.Datasource {
	s := map[string]string{"tlsCACert": string(caPEM)}
	for k, v := range secure {
		s[k] = v
	}
	authType := "clientSecret"
	if _, ok := secure["clientCertificate"]; ok {
		authType = "clientCertificate"
	}
	return plugintest.Datasource{UID: uid, Secure: s, JSONData: map[string]any{
		"source": "graph", "tenantId": simTenantID, "clientId": clientID, "authType": authType,
		"graphEndpoint": base, "authorityHost": base,
		"throttleRequests": 10000, "throttleWindowSeconds": 1,
	}}
}

// refusedURL is an https URL on which nothing listens.
func refusedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "https://" + addr
}

// logBuffer collects the plugin's log, written from several goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// longTests reports whether SIGNINLENS_LONG_TESTS=1 asks for the long
// variants (RELIABILITY.md).
func longTests() bool { return os.Getenv("SIGNINLENS_LONG_TESTS") == "1" }
