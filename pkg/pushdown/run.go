package pushdown

import (
	"context"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Workspace runs a push-down query; *loganalytics.Client is one.
type Workspace interface {
	Aggregate(ctx context.Context, t signin.LogType, kql string, from, to time.Time) (loganalytics.Answer, error)
}

var _ Workspace = (*loganalytics.Client)(nil)

// Answer answers q over r in the workspace: translated, asked once, read
// back. lim are the engine's limits (maxGroups, maxCells).
func Answer(ctx context.Context, ws Workspace, q query.Query, r query.Range, lim query.Limits) (query.Result, error) {
	p, err := Translate(q, r)
	if err != nil {
		return query.Result{}, err
	}
	a, err := ws.Aggregate(ctx, p.LogType, p.KQL, p.From, p.To)
	if err != nil {
		return query.Result{}, fmt.Errorf("asking the workspace: %w", err)
	}
	return p.Result(a, lim)
}
