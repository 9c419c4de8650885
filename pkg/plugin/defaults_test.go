package plugin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// settingsDefaultsGolden is where the backend's defaults are written for the
// config editor's test (src/types.test.ts), which requires its own copy,
// SETTINGS_DEFAULTS and settingsDefaults, to equal them: the two copies
// cannot drift without one of the two tests failing.
const settingsDefaultsGolden = "../../src/settings-defaults.golden.json"

// TestSettingsDefaultsGolden computes, per source, the default every
// setting the config editor shows as a placeholder takes in the backend,
// through the functions that apply it, and compares the golden file
// (go test ./pkg/plugin -run Golden -update rewrites it).
func TestSettingsDefaultsGolden(t *testing.T) {
	cases := map[string]string{
		"demo":         `{}`,
		"demo-la":      `{"demoApi":"logAnalytics"}`,
		"graph":        `{"source":"graph"}`,
		"logAnalytics": `{"source":"logAnalytics","workspaceId":"00000000-0000-0000-0000-000000000000"}`,
	}
	got := map[string]map[string]any{}
	for name, js := range cases {
		s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(js)})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got[name] = effectiveDefaults(s)
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *updateGolden {
		if err := os.WriteFile(settingsDefaultsGolden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(filepath.Clean(settingsDefaultsGolden))
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != string(b) {
		t.Fatalf("the backend's defaults changed: run go test ./pkg/plugin -run Golden -update and update src/types.ts to match\n%s", b)
	}
}

// effectiveDefaults is what each setting left empty is in the backend.
func effectiveDefaults(s Settings) map[string]any {
	throttled := s
	throttled.DemoThrottle = true // the demo's budget when throttled; unthrottled it has none
	n, window := (&Datasource{}).requestBudget(throttled)
	lim := query.New(nil, query.WithLimits(s.Limits())).Limits()
	d := map[string]any{
		"cloud": s.Cloud, "authType": s.AuthType,
		"pushDown": s.pushDownMode(), "pushDownAfterDays": int(s.pushDownAfter() / (24 * time.Hour)),
		"retentionDays": s.RetentionDays, "cacheSizeMB": store.DefaultL1Bytes >> 20,
		"freshnessMinutes": s.FreshnessMinutes, "refreshSeconds": s.RefreshSeconds, "maxLiveStreams": s.MaxLiveStreams,
		"warmDays": s.WarmDays, "revalidateHours": s.RevalidateHours, "revalidateEverySeconds": s.RevalidateEverySeconds,
		"throttleRequests": n, "throttleWindowSeconds": int(window / time.Second),
		"queryTimeBudgetSeconds": int((&Datasource{settings: s}).timeBudget() / time.Second),
		"maxGroups":              lim.MaxGroups, "maxFilters": lim.MaxFilters, "maxRegexSize": lim.MaxRegexSize, "maxCells": lim.MaxCells,
		"maxRangeDays": s.MaxRangeDays, "maxAnswerMB": loganalytics.DefaultMaxAnswerBytes >> 20,
	}
	if !s.kind().tenant() { // the demo's own settings, and the source's default
		d["source"], d["demoSeed"], d["demoSize"], d["demoApi"] = s.Source, s.DemoSeed, s.DemoSize, s.DemoAPI
	}
	return d
}
