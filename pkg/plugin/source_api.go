package plugin

import (
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// sourceAPI is what differs by the API sign-ins come through — Microsoft
// Graph or the Log Analytics query API — whichever source reads it: a
// tenant's, or the demo tenant speaking it (sourceKind.api).
type sourceAPI interface {
	// name says where sign-ins come from, for messages.
	name() string
	// freshnessMinutes is how long a window stays open to late sign-ins
	// by default (freshnessMinutes).
	freshnessMinutes() int
	// budget is the service's request budget, or the throttle settings'.
	budget(s Settings) (n int, window time.Duration)
	// connect builds the API's client, connected as conn says (the settings
	// themselves, or the demo tenant's), counted by obs and paced by n
	// requests per window, which every reader of the datasource shares.
	connect(s, conn Settings, obs *counters, n int, window time.Duration, demo string) (source, error)
}

// graphAPI is Microsoft Graph's sign-in reports.
type graphAPI struct{}

func (graphAPI) name() string          { return "Microsoft Graph" }
func (graphAPI) freshnessMinutes() int { return 15 }

// budget: Graph's 5 requests per 10 s for sign-in reports.
func (graphAPI) budget(s Settings) (int, time.Duration) {
	return throttled(s, graphBudgetRequests, graphBudgetWindow)
}

func (graphAPI) connect(_, conn Settings, obs *counters, n int, window time.Duration, demo string) (source, error) {
	cfg := graphConfig(conn)
	cfg.Observer = obs
	client, err := graph.New(ShareBudget(cfg, n, window))
	if err != nil {
		return nil, err
	}
	return graphSource{Client: client, demo: demo}, nil
}

// workspaceAPI is the Log Analytics query API of a workspace.
type workspaceAPI struct{}

func (workspaceAPI) name() string { return "the Log Analytics workspace" }

// freshnessMinutes: a workspace ingests sign-ins minutes after Entra logs
// them, so its windows stay open longer.
func (workspaceAPI) freshnessMinutes() int { return 30 }

// budget: Log Analytics' documented rate, about 200 queries per 30 s per user.
func (workspaceAPI) budget(Settings) (int, time.Duration) {
	return logAnalyticsRequests, logAnalyticsWindow
}

func (workspaceAPI) connect(s, conn Settings, obs *counters, n int, window time.Duration, demo string) (source, error) {
	cfg, err := logAnalyticsConfig(conn, obs)
	if err != nil {
		return nil, err
	}
	cfg.Pacer = pace.New(n, window)
	cfg.MaxAnswerBytes = int64(s.MaxAnswerMB) << 20
	client, err := loganalytics.New(cfg)
	if err != nil {
		return nil, err
	}
	return newLogAnalyticsSource(client, demo), nil
}
