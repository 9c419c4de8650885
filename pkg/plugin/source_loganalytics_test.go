package plugin

import (
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestDemoSpeaksLogAnalytics: with demoApi logAnalytics the demo's health
// check reports each of the four tables, and a query answers what the demo
// answers through Graph.
func TestDemoSpeaksLogAnalytics(t *testing.T) {
	la := demo(t, `{"source":"demo","demoSeed":7,"demoSize":"small","demoApi":"logAnalytics"}`)
	graph := demo(t, `{"source":"demo","demoSeed":7,"demoSize":"small"}`)
	res := health(t, la)
	for _, table := range []string{"SigninLogs: ", "AADNonInteractiveUserSignInLogs: ", "AADServicePrincipalSignInLogs: ", "AADManagedIdentitySignInLogs: "} {
		if res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, table) {
			t.Fatalf("health %v %q; want every table reported", res.Status, res.Message)
		}
	}
	if la.settings.FreshnessMinutes != 30 || graph.settings.FreshnessMinutes != 15 {
		t.Fatalf("freshness %d / %d; want 30 through Log Analytics, 15 through Graph", la.settings.FreshnessMinutes, graph.settings.FreshnessMinutes)
	}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	q := `{"logType":"all","format":"table","metric":"count","groupBy":["logType"]}`
	a, b := ask(t, la, to.Add(-24*time.Hour), to, q), ask(t, graph, to.Add(-24*time.Hour), to, q)
	if a.Error != nil || b.Error != nil || a.Frames[0].Rows() != 4 {
		t.Fatalf("errors %v %v, %d rows", a.Error, b.Error, a.Frames[0].Rows())
	}
	for row := 0; row < 4; row++ {
		x, _ := a.Frames[0].Fields[1].ConcreteAt(row)
		y, _ := b.Frames[0].Fields[1].ConcreteAt(row)
		if x != y {
			t.Fatalf("row %d: %v through the workspace, %v through Graph", row, x, y)
		}
	}
}

func TestLogAnalyticsSettings(t *testing.T) {
	refused(t, newInstance(t, `{"source":"logAnalytics","workspaceId":"my-workspace","tenantId":"t","clientId":"c"}`, map[string]string{"clientSecret": "s"}),
		`workspaceId "my-workspace"; want the workspace's ID, a GUID`)
	refused(t, newInstance(t, `{"source":"logAnalytics","workspaceId":"3f6e1c2a-9b7d-4e5f-8a1b-2c3d4e5f6a7b","tenantId":"t","clientId":"c","logAnalyticsEndpoint":"https://la.attacker.example"}`,
		map[string]string{"clientSecret": "s"}), "logAnalyticsEndpoint \"la.attacker.example\" is not one of the Azure clouds' own hosts")
	s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"source":"logAnalytics","workspaceId":"3f6e1c2a-9b7d-4e5f-8a1b-2c3d4e5f6a7b"}`)})
	if err != nil || s.RetentionDays != 90 || s.FreshnessMinutes != 30 {
		t.Fatalf("defaults %+v, %v; want retention 90 and freshness 30 for a workspace", s, err)
	}
}
