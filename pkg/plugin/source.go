package plugin

import (
	"context"
	"errors"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// source is where a datasource's sign-ins come from — Microsoft Graph or a
// Log Analytics workspace — as the store reads them, with its own health
// check and the notices it has for a query's log types.
type source interface {
	store.Source
	// health asks the source for what a query needs and says what to fix.
	health(ctx context.Context) (ok bool, message string)
	// notices says what a query over these log types should know of the
	// source (a workspace table that does not exist, say).
	notices(types []signin.LogType) []string
}

// graphSource reads Microsoft Graph (or the demo tenant speaking it).
type graphSource struct {
	*graph.Client
	demo string // the health message of the demo tenant; empty for a real tenant
}

func (g graphSource) health(ctx context.Context) (bool, string) {
	if err := g.Probe(ctx); err != nil {
		return false, healthMessage(err)
	}
	if g.demo != "" {
		return true, g.demo
	}
	return true, "Microsoft Graph answered: sign-in logs are readable."
}

func (graphSource) notices([]signin.LogType) []string { return nil }

// healthMessage tells the admin what to fix for each kind of Graph failure.
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
