package plugin

import (
	"context"
	"errors"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
)

// CheckHealth asks Graph (or the demo tenant, through the same client) for one
// sign-in, and turns what goes wrong into what the admin should fix. Problems are
// reported in the result, never as a Go error.
func (ds *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	if err := ds.client.Probe(ctx); err != nil {
		return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: healthMessage(err)}, nil
	}
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: ds.describe()}, nil
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
	}
	return "Microsoft Graph query failed: " + err.Error()
}
