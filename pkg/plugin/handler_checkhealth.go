package plugin

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
)

// healthTimeout bounds Save & Test: an admin waiting a minute for a retry
// loop to give up learns nothing more than after a few seconds.
const healthTimeout = 10 * time.Second

// CheckHealth asks Graph (or the demo tenant, through the same client) for one
// sign-in, and turns what goes wrong into what the admin should fix. Problems are
// reported in the result, never as a Go error. What the admin should know
// although the datasource works (memcached off, the cache not saved) follows
// the answer.
func (ds *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	if err := ds.client.Probe(ctx); err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: healthMessage(err)}, nil
	}
	msg := ds.describe()
	if w := ds.allWarnings(); len(w) > 0 {
		msg += " Note: " + strings.Join(w, "; ") + "."
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: msg}, nil
}

// allWarnings are the datasource's warnings and the store's, as they are now.
func (ds *Datasource) allWarnings() []string {
	out := append([]string{}, ds.warnings...)
	if e := ds.store.Stats().SaveError; e != "" {
		out = append(out, "the cache could not be saved, so a restart refetches it: "+e)
	}
	return out
}

func (ds *Datasource) describe() string {
	s := ds.settings
	if s.Source != SourceDemo {
		return "Microsoft Graph answered: sign-in logs are readable."
	}
	if s.DemoFile != "" {
		return fmt.Sprintf("Demo tenant: replaying %s through the built-in Microsoft Graph simulator. No Azure account is used.", s.DemoFile)
	}
	return fmt.Sprintf("Demo tenant (seed %d, size %s): the built-in Microsoft Graph simulator answered. No Azure account is used.", s.DemoSeed, s.DemoSize)
}

// healthMessage tells the admin what to fix for each kind of failure.
func healthMessage(err error) string {
	switch {
	case errors.Is(err, graph.ErrUnauthorized):
		return "Authentication failed: check the tenant ID, client ID and the client secret or certificate (it may have expired). " + err.Error()
	case errors.Is(err, graph.ErrNoPremiumLicense):
		return "The tenant has no Microsoft Entra ID P1 or P2 licence, which Microsoft Graph requires for sign-in logs. " + err.Error()
	case errors.Is(err, graph.ErrForbidden):
		return "Access denied: grant the app registration the AuditLog.Read.All and Directory.Read.All application permissions, with admin consent. " + err.Error()
	case errors.Is(err, graph.ErrNetwork):
		return "Microsoft Graph could not be reached: check the network, proxy and the cloud / endpoint settings. " + err.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("Microsoft Graph (or its authority) did not answer within %s: check the network, proxy and the cloud / endpoint settings. %v", healthTimeout, err)
	}
	return "Microsoft Graph query failed: " + err.Error()
}
