package plugin

import (
	"fmt"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
)

// sourceKind is what differs by source — jsonData.source: the demo tenant,
// Microsoft Graph, a Log Analytics workspace — so that nothing else compares
// the source's name: its defaults and validation, its identity (what decides
// which sign-ins it fetches), its request budget, what it does with ranges
// older than it keeps, its push-down default and the admin's advice. A new
// source, or a new setting of one, is written here once.
type sourceKind interface {
	// defaults fills the settings whose default depends on the source.
	defaults(s *Settings)
	// validate reports the first of the source's own settings that cannot work.
	validate(s Settings) error
	// identity names, with their values, the settings that decide which
	// sign-ins the source fetches, and its credential: the cache's namespace.
	identity(s Settings) []string
	// api is the API the sign-ins come through.
	api(s Settings) sourceAPI
	// budget is the request budget every panel, alert rule, live tail and
	// warming of the datasource shares: the source's, or the throttle
	// settings where set.
	budget(s Settings) (n int, window time.Duration)
	// old says what a range older than retentionDays gets.
	old() oldRanges
	// pushDown is the pushDown setting's default.
	pushDown() string
	// endpoint is the custom endpoint the sign-ins are read from, "" for the
	// cloud's own: a custom one may replay a file (replay.go).
	endpoint(s Settings) string
	// tenant says the sign-ins are a real tenant's: they are in the Azure
	// portal, the server's permissions apply, the credential has a secret.
	tenant() bool
}

// oldRanges is what a source does with a range older than it keeps.
type oldRanges int

const (
	keepOld   oldRanges = iota // the demo tenant keeps everything
	refuseOld                  // Graph: refused, naming retentionDays
	clipOld                    // a workspace: the part before is empty, with a notice
)

// sourceKinds are the sources by their jsonData.source value.
var sourceKinds = map[string]sourceKind{
	SourceDemo:         demoKind{},
	SourceGraph:        graphKind{},
	SourceLogAnalytics: workspaceKind{},
}

// kind is the settings' source. Settings that passed Validate always have one.
func (s Settings) kind() sourceKind {
	if k, ok := sourceKinds[s.Source]; ok {
		return k
	}
	return demoKind{}
}

// entraIdentity is the credential of a real tenant's source.
func entraIdentity(s Settings) []string {
	return []string{"cloud=" + s.Cloud, "authorityHost=" + s.AuthorityHost, "tenantId=" + s.TenantID, "clientId=" + s.ClientID,
		"authType=" + s.AuthType, "clientSecret=" + s.ClientSecret, "clientCertificate=" + s.ClientCertificate}
}

// defaultFreshness fills freshnessMinutes with the API's.
func defaultFreshness(s *Settings, api sourceAPI) {
	if s.FreshnessMinutes == -1 {
		s.FreshnessMinutes = api.freshnessMinutes()
	}
}

func defaultRetention(s *Settings, days int) {
	if s.RetentionDays == -1 {
		s.RetentionDays = days
	}
}

// demoKind is the embedded demo tenant, speaking Graph or Log Analytics.
type demoKind struct{}

func (demoKind) defaults(s *Settings) {
	if s.DemoAPI == "" {
		s.DemoAPI = APIGraph
	}
	defaultFreshness(s, demoKind{}.api(*s))
	defaultRetention(s, 30)
}

func (demoKind) validate(s Settings) error {
	switch s.DemoSize {
	case "small", "medium", "large":
	default:
		return fmt.Errorf("%w: demoSize %s; want small, medium or large", ErrSettings, clip.Quote(s.DemoSize))
	}
	if s.DemoAPI != APIGraph && s.DemoAPI != APILogAnalytics {
		return fmt.Errorf("%w: demoApi %s; want %q or %q", ErrSettings, clip.Quote(s.DemoAPI), APIGraph, APILogAnalytics)
	}
	if s.DemoFile != "" {
		// Refused rather than ignored: the synthetic tenant in its place
		// would pass for the export.
		return fmt.Errorf("%w: %s", ErrSettings, demoFileRemoved)
	}
	return nil
}

func (demoKind) identity(s Settings) []string {
	return []string{"demoApi=" + s.DemoAPI, fmt.Sprint("demoSeed=", s.DemoSeed), "demoSize=" + s.DemoSize,
		fmt.Sprint("demoQuiet=", s.DemoQuiet)}
}

func (demoKind) api(s Settings) sourceAPI {
	if s.DemoAPI == APILogAnalytics {
		return workspaceAPI{}
	}
	return graphAPI{}
}

// budget: the demo has none unless demoThrottle, then Graph's or a workspace's.
func (k demoKind) budget(s Settings) (int, time.Duration) {
	if !s.DemoThrottle {
		return unthrottled, graphBudgetWindow
	}
	return k.api(s).budget(s)
}

func (demoKind) old() oldRanges { return keepOld }

// pushDown: never, so that the demo's two APIs answer alike from the cache.
func (demoKind) pushDown() string         { return PushDownNever }
func (demoKind) tenant() bool             { return false }
func (demoKind) endpoint(Settings) string { return "" }

// graphKind is Microsoft Graph.
type graphKind struct{}

func (graphKind) defaults(s *Settings) {
	defaultFreshness(s, graphAPI{})
	defaultRetention(s, 30)
}
func (graphKind) validate(Settings) error { return nil } // the Graph client's Config validates its fields
func (graphKind) identity(s Settings) []string {
	return append([]string{"graphEndpoint=" + s.GraphEndpoint}, entraIdentity(s)...)
}
func (graphKind) api(Settings) sourceAPI                   { return graphAPI{} }
func (k graphKind) budget(s Settings) (int, time.Duration) { return k.api(s).budget(s) }
func (graphKind) old() oldRanges                           { return refuseOld }
func (graphKind) pushDown() string                         { return PushDownNever }
func (graphKind) tenant() bool                             { return true }
func (graphKind) endpoint(s Settings) string               { return s.GraphEndpoint }

// workspaceKind is a Log Analytics workspace.
type workspaceKind struct{}

func (workspaceKind) defaults(s *Settings) {
	defaultFreshness(s, workspaceAPI{})
	defaultRetention(s, 90) // what a Sentinel workspace keeps by default
}

func (workspaceKind) validate(s Settings) error {
	if !isGUID(s.WorkspaceID) {
		return fmt.Errorf("%w: workspaceId %s; want the workspace's ID, a GUID such as 00000000-0000-0000-0000-000000000000 (Log Analytics workspace → Overview → Workspace ID)", ErrSettings, clip.Quote(s.WorkspaceID))
	}
	return nil
}

func (workspaceKind) identity(s Settings) []string {
	return append([]string{"workspaceId=" + strings.ToLower(s.WorkspaceID), "logAnalyticsEndpoint=" + s.LogAnalyticsEndpoint}, entraIdentity(s)...)
}
func (workspaceKind) api(Settings) sourceAPI                   { return workspaceAPI{} }
func (k workspaceKind) budget(s Settings) (int, time.Duration) { return k.api(s).budget(s) }
func (workspaceKind) old() oldRanges                           { return clipOld }
func (workspaceKind) pushDown() string                         { return PushDownAuto }
func (workspaceKind) tenant() bool                             { return true }
func (workspaceKind) endpoint(s Settings) string               { return s.LogAnalyticsEndpoint }
