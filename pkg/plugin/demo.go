package plugin

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
)

// The demo tenant's identity. The secret is random per instance: the simulator
// only listens on loopback, but nothing else on the machine should reuse its tokens.
const (
	demoTenantID = "00000000-0000-4000-8000-00000000de70"
	demoClientID = "signinlens-demo"
)

// demoThrottleRequests is Graph's budget for sign-in reports: 5 requests per 10 s.
const demoThrottleRequests = 5

// demoWorkspaceID is the demo tenant's Log Analytics workspace.
const demoWorkspaceID = "00000000-0000-4000-8000-0000000de7a1"

// startDemo starts the built-in simulator on loopback over TLS and returns the
// settings that reach it: the demo goes through the same clients, auth and
// paging code as a real tenant or workspace — there is no second code path.
func startDemo(s Settings) (*graphsim.Server, Settings, error) {
	newTenant := synth.New
	if s.DemoQuiet {
		newTenant = synth.NewQuiet
	}
	tenant, err := newTenant(s.DemoSeed, s.DemoSize)
	if err != nil {
		return nil, Settings{}, fmt.Errorf("%w: %v", ErrSettings, err)
	}
	return serveDemo(s, graphsim.TenantSource(tenant))
}

// serveDemo serves src on loopback as a Graph tenant and a Log Analytics
// workspace with a secret of its own, and returns s pointed at it.
func serveDemo(s Settings, src graphsim.Source) (*graphsim.Server, Settings, error) {
	secret, err := randomSecret()
	if err != nil {
		return nil, Settings{}, err
	}
	opts := graphsim.Options{Source: src, Credentials: map[string]string{demoClientID: secret}}
	if s.DemoThrottle {
		opts.Throttle = demoThrottleRequests
		opts.Workspace.Throttle = graphsim.WorkspaceThrottleLimit
	}
	sim, err := graphsim.New(opts)
	if err != nil {
		return nil, Settings{}, fmt.Errorf("starting the demo tenant: %w", err)
	}
	url, err := sim.Start("127.0.0.1:0", true)
	if err != nil {
		return nil, Settings{}, fmt.Errorf("starting the demo tenant: %w", err)
	}
	conn := s
	conn.TenantID, conn.ClientID, conn.AuthType, conn.ClientSecret = demoTenantID, demoClientID, "clientSecret", secret
	conn.GraphEndpoint, conn.AuthorityHost, conn.LogAnalyticsEndpoint = url, url, url
	conn.WorkspaceID, conn.TLSCACert = demoWorkspaceID, string(sim.CACertPEM())
	return sim, conn, nil
}

func randomSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating the demo secret: %w", err)
	}
	return hex.EncodeToString(b), nil
}
