package plugin

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// Sources of sign-ins.
const (
	SourceDemo         = "demo"         // the built-in simulator: no Azure account needed
	SourceGraph        = "graph"        // a real tenant through Microsoft Graph
	SourceLogAnalytics = "logAnalytics" // a Log Analytics workspace the tenant's diagnostic settings feed
)

// APIs the demo tenant speaks (demoApi).
const (
	APIGraph        = "graph"
	APILogAnalytics = "logAnalytics"
)

// Settings is a datasource's configuration (README, "Settings"), loaded, defaulted and
// validated once per instance.
type Settings struct {
	Source string `json:"source"`

	// Microsoft Graph source.
	Cloud         string `json:"cloud"`
	TenantID      string `json:"tenantId"`
	ClientID      string `json:"clientId"`
	AuthType      string `json:"authType"`
	GraphEndpoint string `json:"graphEndpoint"`
	AuthorityHost string `json:"authorityHost"`

	// Log Analytics source: the workspace (a GUID) and an optional endpoint
	// override (the cloud's query API by default).
	WorkspaceID          string `json:"workspaceId"`
	LogAnalyticsEndpoint string `json:"logAnalyticsEndpoint"`
	// PushDown says when a query is answered by the workspace itself
	// (pushdown.go): auto (default), always or never; PushDownAfterDays is
	// the range auto pushes down from (default 7).
	PushDown          string `json:"pushDown"`
	PushDownAfterDays int    `json:"pushDownAfterDays"`
	// MaxAnswerMB bounds one push-down answer of the workspace; a query whose
	// answer is larger is answered from the store. 0: the default, 16.
	MaxAnswerMB int `json:"maxAnswerMB"`

	// Demo source.
	DemoSeed     int64  `json:"demoSeed"`
	DemoSize     string `json:"demoSize"`
	DemoFile     string `json:"demoFile"` // no longer read: refused, naming its replacement (demoFileRemoved)
	DemoThrottle bool   `json:"demoThrottle"`
	DemoQuiet    bool   `json:"demoQuiet"` // the synthetic tenant without its injected attacks
	DemoAPI      string `json:"demoApi"`   // the API the demo tenant speaks: graph (default) or logAnalytics

	// RetentionDays is how far back the source keeps sign-ins: Graph 30 days
	// with Entra ID P1/P2 (older ranges are refused); a workspace what its
	// retention says, 90 days by default (older parts of a range are empty,
	// with a notice).
	RetentionDays int `json:"retentionDays"`

	// Cache. Zero values take the defaults.
	FreshnessMinutes int `json:"freshnessMinutes"` // how long a window stays open to late sign-ins
	RefreshSeconds   int `json:"refreshSeconds"`   // least time between two fetches of an open window; the live tail's period
	// RevalidateHours is how long after they close windows are revalidated
	// for sign-ins that changed (a risk remediated); 0 turns it off.
	RevalidateHours int `json:"revalidateHours"`
	// RevalidateEverySeconds is the least time between two revalidations of a log type.
	RevalidateEverySeconds int    `json:"revalidateEverySeconds"`
	WarmDays               int    `json:"warmDays"`    // loaded in the background when the datasource starts; 0: none
	CacheDir               string `json:"cacheDir"`    // no longer used (the disk tier left the plugin): only warned of
	CacheSizeMB            int    `json:"cacheSizeMB"` // in-process cache; larger keeps more days without refetching
	MemcachedAddress       string `json:"memcachedAddresses"`

	// Throttle: Graph's budget for sign-in reports is 5 requests per 10 s per app
	// and tenant; every panel and alert of the datasource shares it.
	ThrottleRequests       int `json:"throttleRequests"`
	ThrottleWindowSeconds  int `json:"throttleWindowSeconds"`
	QueryTimeBudgetSeconds int `json:"queryTimeBudgetSeconds"` // then answer with what is loaded

	// Bounds of one query (query.Limits); 0 takes the default. MaxGroups
	// bounds the groups one query keeps, the rest are summed up as "other"
	// with a notice; MaxCells bounds groups × buckets; MaxFilters and
	// MaxRegexSize bound the filters and the compiled size of their regular
	// expressions; MaxRangeDays bounds the time range.
	MaxGroups    int `json:"maxGroups"`
	MaxCells     int `json:"maxCells"`
	MaxFilters   int `json:"maxFilters"`
	MaxRegexSize int `json:"maxRegexSize"`
	MaxRangeDays int `json:"maxRangeDays"`
	// MaxLiveStreams bounds the live tails (Explore's live mode) one
	// datasource runs at once: one per distinct query, shared by its viewers.
	MaxLiveStreams int `json:"maxLiveStreams"`

	// Secrets, from secureJsonData. Tagged "-" so they never serialise.
	ClientSecret      string `json:"-"`
	ClientCertificate string `json:"-"`
	TLSCACert         string `json:"-"`
	CacheSecret       string `json:"-"` // keys memcached values when the credential has no secret (managed identity)
}

// isGUID reports whether s is a GUID in its 8-4-4-4-12 hexadecimal form.
func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, r := range s {
		switch i {
		case 8, 13, 18, 23:
			if r != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
	}
	return true
}

// Defaults of the bounds that are not query.Limits.
const (
	// DefaultMaxRangeDays is a quarter: Graph keeps 30 days, and a longer
	// range of the synthetic demo tenant is minutes of generating.
	DefaultMaxRangeDays = 92
)

// Limits are the datasource's bounds of one query.
func (s Settings) Limits() query.Limits {
	return query.Limits{MaxFilters: s.MaxFilters, MaxRegexSize: s.MaxRegexSize, MaxGroups: s.MaxGroups, MaxCells: s.MaxCells}
}

// Freshness is how long a window stays open to late sign-ins.
func (s Settings) Freshness() time.Duration { return time.Duration(s.FreshnessMinutes) * time.Minute }

// Refresh is the least time between two fetches of an open window's new
// sign-ins, whoever asks: panels, alert rules and live tails share it.
func (s Settings) Refresh() time.Duration { return time.Duration(s.RefreshSeconds) * time.Second }

// Revalidate is RevalidateHours as a duration; 0 when revalidation is off.
func (s Settings) Revalidate() time.Duration { return time.Duration(s.RevalidateHours) * time.Hour }

// Defaults of the live settings: a fetch per log type a minute keeps a
// dashboard and any number of live tails at 4 of Graph's 30 requests a minute.
const (
	DefaultRefreshSeconds = 60
	DefaultMaxLiveStreams = 20
)

// Defaults of revalidation: the last day's closed windows, each log type at
// most hourly (store.DefaultRevalidatePeriod and DefaultRevalidateEvery).
const (
	DefaultRevalidateHours        = 24
	DefaultRevalidateEverySeconds = 3600
)

// DefaultWarmDays is how many days a datasource loads when it starts: the
// provisioned dashboards' longest common range, a week.
const DefaultWarmDays = 7

// LoadSettings reads an instance's settings, fills defaults and validates them.
func LoadSettings(is backend.DataSourceInstanceSettings) (Settings, error) {
	s := Settings{Source: SourceDemo, DemoSeed: 1, DemoSize: "medium", Cloud: "AzureCloud", AuthType: "clientSecret",
		MaxRangeDays: DefaultMaxRangeDays, FreshnessMinutes: -1, RetentionDays: -1,
		RefreshSeconds: DefaultRefreshSeconds, MaxLiveStreams: DefaultMaxLiveStreams, WarmDays: DefaultWarmDays,
		RevalidateHours: DefaultRevalidateHours, RevalidateEverySeconds: DefaultRevalidateEverySeconds}
	if len(is.JSONData) > 0 {
		if err := json.Unmarshal(is.JSONData, &s); err != nil {
			return Settings{}, fmt.Errorf("%w: jsonData is not valid JSON: %s", ErrSettings, clip.String(err.Error()))
		}
	}
	s.ClientSecret = is.DecryptedSecureJSONData["clientSecret"]
	s.ClientCertificate = is.DecryptedSecureJSONData["clientCertificate"]
	s.TLSCACert = is.DecryptedSecureJSONData["tlsCACert"]
	s.CacheSecret = is.DecryptedSecureJSONData["cacheSecret"]
	s.trim()
	s.kind().defaults(&s)
	return s, s.Validate()
}

func (s *Settings) trim() {
	for _, p := range []*string{&s.Source, &s.Cloud, &s.TenantID, &s.ClientID, &s.AuthType, &s.GraphEndpoint, &s.AuthorityHost,
		&s.WorkspaceID, &s.LogAnalyticsEndpoint, &s.DemoSize, &s.DemoFile, &s.DemoAPI, &s.CacheDir, &s.MemcachedAddress} {
		*p = strings.TrimSpace(*p)
	}
	if s.Source == "" {
		s.Source = SourceDemo
	}
}

// Validate reports the first setting that cannot work, naming its field.
// The Graph-specific fields are validated by the Graph client's own Config.
func (s Settings) Validate() error {
	if _, ok := sourceKinds[s.Source]; !ok {
		return fmt.Errorf("%w: source %s; want %q, %q or %q", ErrSettings, clip.Quote(s.Source), SourceDemo, SourceGraph, SourceLogAnalytics)
	}
	if err := s.kind().validate(s); err != nil {
		return err
	}
	if s.RetentionDays < 1 || s.RetentionDays > 3650 {
		return fmt.Errorf("%w: retentionDays %d; want 1 to 3650", ErrSettings, s.RetentionDays)
	}
	if s.WarmDays < 0 || s.WarmDays > s.RetentionDays {
		return fmt.Errorf("%w: warmDays %d; want 0 (none) to retentionDays (%d)", ErrSettings, s.WarmDays, s.RetentionDays)
	}
	if h := s.Revalidate(); h != 0 && h <= s.Freshness()+time.Hour {
		return fmt.Errorf("%w: revalidateHours %d; want 0 (off) or more than freshnessMinutes (%d) and an hour window, so some closed window is recent enough",
			ErrSettings, s.RevalidateHours, s.FreshnessMinutes)
	}
	if err := s.validatePushDown(); err != nil {
		return err
	}
	for _, r := range []struct {
		name     string
		v        int
		min, max int
	}{
		{"freshnessMinutes", s.FreshnessMinutes, 1, 24 * 60},
		{"refreshSeconds", s.RefreshSeconds, 5, 3600},
		{"revalidateHours", s.RevalidateHours, 0, 30 * 24},
		{"revalidateEverySeconds", s.RevalidateEverySeconds, 5, 24 * 3600},
		{"maxLiveStreams", s.MaxLiveStreams, 1, 1000},
		{"cacheSizeMB", s.CacheSizeMB, 0, 64 << 10},
		{"throttleRequests", s.ThrottleRequests, 0, 10_000},
		{"throttleWindowSeconds", s.ThrottleWindowSeconds, 0, 3600},
		{"queryTimeBudgetSeconds", s.QueryTimeBudgetSeconds, 0, 3600},
		{"maxGroups", s.MaxGroups, 0, 2_000_000},
		{"maxCells", s.MaxCells, 0, 100_000_000},
		{"maxFilters", s.MaxFilters, 0, 1000},
		{"maxRegexSize", s.MaxRegexSize, 0, 10_000_000},
		{"maxRangeDays", s.MaxRangeDays, 1, 3660},
		{"maxAnswerMB", s.MaxAnswerMB, 0, 1024},
	} {
		if r.v < r.min || r.v > r.max {
			return fmt.Errorf("%w: %s %d; want %d to %d", ErrSettings, r.name, r.v, r.min, r.max)
		}
	}
	return nil
}
