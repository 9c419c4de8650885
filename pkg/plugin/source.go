package plugin

import (
	"context"

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
		return false, graphAdvice.of(err)
	}
	if g.demo != "" {
		return true, g.demo
	}
	return true, "Microsoft Graph answered: sign-in logs are readable."
}

func (graphSource) notices([]signin.LogType) []string { return nil }
