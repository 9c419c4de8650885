package pushdown

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

const (
	testWorkspaceID = "00000000-0000-4000-8000-00000000a11a"
	testTenantID    = "00000000-0000-4000-8000-0000000be7c4"
	testClientID    = "signinlens-pushdown-test"
	testSecret      = "pushdown-test-secret"
)

// simWorkspace is a simulated tenant with a workspace on 127.0.0.1, a
// client of it, and the store and engine the plugin would answer from.
type simWorkspace struct {
	sim    *graphsim.Server
	client *loganalytics.Client
	store  *store.Store
	engine *query.Engine
}

func startWorkspace(t *testing.T, o graphsim.WorkspaceOptions) *simWorkspace {
	t.Helper()
	tn, err := synth.New(7, "small")
	if err != nil {
		t.Fatal(err)
	}
	sim, err := graphsim.New(graphsim.Options{Source: graphsim.TenantSource(tn), Credentials: map[string]string{testClientID: testSecret}, Workspace: o})
	if err != nil {
		t.Fatal(err)
	}
	url, err := sim.Start("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	hc, err := azure.HTTPClient(sim.CACertPEM())
	if err != nil {
		t.Fatal(err)
	}
	cred, err := azure.Credential{AuthType: azure.AuthClientSecret, TenantID: testTenantID, ClientID: testClientID, ClientSecret: testSecret}.Build(url, true, hc)
	if err != nil {
		t.Fatal(err)
	}
	client, err := loganalytics.New(loganalytics.Config{WorkspaceID: testWorkspaceID, Endpoint: url, Credential: cred, HTTPClient: hc, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	st := store.New(client, store.Config{L1Bytes: 64 << 20, TimeBudget: 5 * time.Minute})
	t.Cleanup(func() { st.Close() })
	return &simWorkspace{sim: sim, client: client, store: st, engine: query.New(st)}
}

// countingWorkspace counts the push-down queries and can fail them.
type countingWorkspace struct {
	next     Workspace
	asked    atomic.Int64
	inFlight atomic.Int64
	most     atomic.Int64 // the most queries in flight at once
	mu       sync.Mutex   // guards spans: settled days are asked concurrently
	spans    []time.Duration
	fail     error
}

func (c *countingWorkspace) Aggregate(ctx context.Context, t signin.LogType, kql string, from, to time.Time) (loganalytics.Answer, error) {
	c.asked.Add(1)
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for m := c.most.Load(); n > m && !c.most.CompareAndSwap(m, n); m = c.most.Load() {
	}
	c.mu.Lock()
	c.spans = append(c.spans, to.Sub(from))
	c.mu.Unlock()
	if c.fail != nil {
		return loganalytics.Answer{}, c.fail
	}
	return c.next.Aggregate(ctx, t, kql, from, to)
}
