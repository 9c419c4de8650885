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
	SourceDemo  = "demo"  // the built-in Graph simulator: no Azure account needed
	SourceGraph = "graph" // a real tenant through Microsoft Graph
)

// Settings is a datasource's configuration (DESIGN.md §5), loaded, defaulted and
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

	// Demo source.
	DemoSeed      int64  `json:"demoSeed"`
	DemoSize      string `json:"demoSize"`
	DemoFile      string `json:"demoFile"` // an absolute path under the server's allowed_paths
	DemoFileMaxMB int    `json:"demoFileMaxMB"`
	DemoThrottle  bool   `json:"demoThrottle"`
	DemoQuiet     bool   `json:"demoQuiet"` // the synthetic tenant without its injected attacks

	// RetentionDays is how far back Graph keeps sign-ins: 30 with Entra ID P1/P2.
	RetentionDays int `json:"retentionDays"`

	// Cache. Zero values take the defaults.
	FreshnessMinutes int    `json:"freshnessMinutes"` // how long a window stays open to late sign-ins
	CacheDir         string `json:"cacheDir"`         // where closed windows persist; "-" turns persistence off
	CacheSizeMB      int    `json:"cacheSizeMB"`      // in-process cache; larger keeps more days without refetching
	MemcachedAddress string `json:"memcachedAddresses"`

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

	// Secrets, from secureJsonData. Tagged "-" so they never serialise.
	ClientSecret      string `json:"-"`
	ClientCertificate string `json:"-"`
	TLSCACert         string `json:"-"`
	CacheSecret       string `json:"-"` // keys memcached values when the credential has no secret (managed identity)
}

// Defaults of the bounds that are not query.Limits.
const (
	// DefaultMaxRangeDays is a quarter: Graph keeps 30 days, and a longer
	// range of the synthetic demo tenant is minutes of generating.
	DefaultMaxRangeDays = 92
	// DefaultDemoFileMaxMB bounds a replayed export, which is decoded whole
	// into memory (a few times its size).
	DefaultDemoFileMaxMB = 256
)

// Limits are the datasource's bounds of one query.
func (s Settings) Limits() query.Limits {
	return query.Limits{MaxFilters: s.MaxFilters, MaxRegexSize: s.MaxRegexSize, MaxGroups: s.MaxGroups, MaxCells: s.MaxCells}
}

// Freshness is how long a window stays open to late sign-ins.
func (s Settings) Freshness() time.Duration { return time.Duration(s.FreshnessMinutes) * time.Minute }

// LoadSettings reads an instance's settings, fills defaults and validates them.
func LoadSettings(is backend.DataSourceInstanceSettings) (Settings, error) {
	s := Settings{Source: SourceDemo, DemoSeed: 1, DemoSize: "medium", Cloud: "AzureCloud", AuthType: "clientSecret", FreshnessMinutes: 15, RetentionDays: 30,
		DemoFileMaxMB: DefaultDemoFileMaxMB, MaxRangeDays: DefaultMaxRangeDays}
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
	return s, s.Validate()
}

func (s *Settings) trim() {
	for _, p := range []*string{&s.Source, &s.Cloud, &s.TenantID, &s.ClientID, &s.AuthType, &s.GraphEndpoint, &s.AuthorityHost, &s.DemoSize, &s.DemoFile, &s.CacheDir, &s.MemcachedAddress} {
		*p = strings.TrimSpace(*p)
	}
	if s.Source == "" {
		s.Source = SourceDemo
	}
}

// Validate reports the first setting that cannot work, naming its field.
// The Graph-specific fields are validated by the Graph client's own Config.
func (s Settings) Validate() error {
	switch s.Source {
	case SourceDemo:
		switch s.DemoSize {
		case "small", "medium", "large":
		default:
			return fmt.Errorf("%w: demoSize %s; want small, medium or large", ErrSettings, clip.Quote(s.DemoSize))
		}
	case SourceGraph:
	default:
		return fmt.Errorf("%w: source %s; want %q or %q", ErrSettings, clip.Quote(s.Source), SourceDemo, SourceGraph)
	}
	if s.RetentionDays < 1 || s.RetentionDays > 3650 {
		return fmt.Errorf("%w: retentionDays %d; want 1 to 3650", ErrSettings, s.RetentionDays)
	}
	for _, r := range []struct {
		name     string
		v        int
		min, max int
	}{
		{"freshnessMinutes", s.FreshnessMinutes, 1, 24 * 60},
		{"cacheSizeMB", s.CacheSizeMB, 0, 64 << 10},
		{"throttleRequests", s.ThrottleRequests, 0, 10_000},
		{"throttleWindowSeconds", s.ThrottleWindowSeconds, 0, 3600},
		{"queryTimeBudgetSeconds", s.QueryTimeBudgetSeconds, 0, 3600},
		{"maxGroups", s.MaxGroups, 0, 2_000_000},
		{"maxCells", s.MaxCells, 0, 100_000_000},
		{"maxFilters", s.MaxFilters, 0, 1000},
		{"maxRegexSize", s.MaxRegexSize, 0, 10_000_000},
		{"maxRangeDays", s.MaxRangeDays, 1, 3660},
		{"demoFileMaxMB", s.DemoFileMaxMB, 1, 64 << 10},
	} {
		if r.v < r.min || r.v > r.max {
			return fmt.Errorf("%w: %s %d; want %d to %d", ErrSettings, r.name, r.v, r.min, r.max)
		}
	}
	return nil
}
