package plugin

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestPushDownRouting: with the demo speaking Log Analytics and pushDown
// auto, a range of 8 days is computed in the workspace (auto pushes down
// from 7) and says so, with the same numbers the store gives with pushDown
// never, with "in" and regular-expression filters too, and over several
// log types; a day is the
// store's; a dimension without an exact KQL form falls back to the store
// quietly under auto and with a notice naming it under always. The Graph demo, and the demo without pushDown, are unaffected.
func TestPushDownRouting(t *testing.T) {
	const la = `"source":"demo","demoSeed":7,"demoSize":"small","demoApi":"logAnalytics","warmDays":0`
	auto := demo(t, `{`+la+`,"pushDown":"auto"}`)
	always := demo(t, `{`+la+`,"pushDown":"always"}`)
	never := demo(t, `{`+la+`}`)
	graph := demo(t, `{"source":"demo","demoSeed":7,"demoSize":"small","warmDays":0,"pushDown":"always"}`)
	if graph.pushdown != nil || never.pushdown != nil || auto.pushdown == nil {
		t.Fatal("only a Log Analytics source with pushDown auto or always pushes down (never by default for the demo)")
	}
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-8 * 24 * time.Hour)
	q := `{"logType":"interactive","format":"table","metric":"failures","groupBy":["app"],"limit":3}`
	a, b := ask(t, auto, from, to, q), ask(t, never, from, to, q)
	if a.Error != nil || b.Error != nil {
		t.Fatalf("errors %v, %v", a.Error, b.Error)
	}
	if !strings.Contains(plugintest.Notices(a), "Computed in the Log Analytics workspace") || strings.Contains(plugintest.Notices(b), "Computed in") {
		t.Fatalf("notices %q / %q", plugintest.Notices(a), plugintest.Notices(b))
	}
	if x, y := tableText(a), tableText(b); x != y || a.Frames[0].Rows() < 2 {
		t.Fatalf("pushed down %s; the store %s", x, y)
	}
	// "in" lists and regular expressions push down too, with the same numbers.
	const inAndRegex = `{"logType":"interactive","format":"table","metric":"count","groupBy":["app"],"limit":10,"filters":[` +
		`{"key":"status","op":"in","value":["failure","interrupted"]},{"key":"app","op":"=~","value":"Microsoft.*|One.*"},{"key":"user","op":"!~","value":"z.*"}]}`
	a, b = ask(t, auto, from, to, inAndRegex), ask(t, never, from, to, inAndRegex)
	if a.Error != nil || b.Error != nil || !strings.Contains(plugintest.Notices(a), "Computed in the Log Analytics workspace") {
		t.Fatalf("in and regex: %v, %v, notices %q", a.Error, b.Error, plugintest.Notices(a))
	}
	if x, y := tableText(a), tableText(b); x != y || a.Frames[0].Rows() < 2 {
		t.Fatalf("in and regex pushed down %s; the store %s", x, y)
	}
	// Every log type, as the overview dashboard asks, pushes down under auto
	// with the store's numbers: one count per table, merged.
	const allTypes = `{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["logType","app"],"limit":6,"filters":[` +
		`{"key":"logType","op":"in","value":"interactive,nonInteractive,servicePrincipal"}]}`
	a, b = ask(t, auto, from, to, allTypes), ask(t, never, from, to, allTypes)
	if a.Error != nil || b.Error != nil || !strings.Contains(plugintest.Notices(a), "Computed in the Log Analytics workspace: interactive, nonInteractive, servicePrincipal sign-ins") {
		t.Fatalf("all: %v, %v, notices %q", a.Error, b.Error, plugintest.Notices(a))
	}
	if x, y := tableText(a), tableText(b); x != y || a.Frames[0].Rows() < 2 {
		t.Fatalf("all pushed down %s; the store %s", x, y)
	}
	if day := ask(t, auto, to.Add(-24*time.Hour), to, q); strings.Contains(plugintest.Notices(day), "Computed in") {
		t.Fatal("a day's range was pushed down")
	}
	const byBrowser = `{"logType":"interactive","format":"table","groupBy":["browser"]}`
	if browser := ask(t, auto, from, to, byBrowser); browser.Error != nil || plugintest.Notices(browser) != "" {
		t.Fatalf("browser under auto: %v %q", browser.Error, plugintest.Notices(browser))
	}
	if browser := ask(t, always, from, to, byBrowser); browser.Error != nil || !strings.Contains(plugintest.Notices(browser), "dimension browser") {
		t.Fatalf("browser under always: %v %q", browser.Error, plugintest.Notices(browser))
	}
}

// TestPushDownSharesSettledDaysInMemcached: two datasources of one UID and
// settings sharing a memcached (two Grafana replicas, or one re-created), each
// with its own demo workspace: the first asks its workspace for every
// settled day; the second answers the same panel, the same, with no request
// to its workspace at all. Needs SIGNINLENS_TEST_MEMCACHED.
func TestPushDownSharesSettledDaysInMemcached(t *testing.T) {
	mc := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if mc == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run against memcached")
	}
	// Memcached keeps values between runs: a secret of this run's keys them
	// apart from the last run's.
	secret := map[string]string{"cacheSecret": fmt.Sprintf("pushdown-l2-%d", time.Now().UnixNano())}
	jd := fmt.Sprintf(`{"source":"demo","demoSeed":7,"demoSize":"small","demoApi":"logAnalytics","pushDown":"always","memcachedAddresses":%q}`, mc)
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	from := to.Add(-4 * 24 * time.Hour)
	const q = `{"logType":"interactive","metric":"failures","groupBy":["app"],"timeAggregate":"1h","limit":5}`
	var answers []string
	for i := range 2 {
		ds := newInstance(t, jd, secret).(*Datasource)
		before := ds.demo.Stats().Requests
		res := ask(t, ds, from, to, q)
		if res.Error != nil || !strings.Contains(plugintest.Notices(res), "Computed in the Log Analytics workspace") {
			t.Fatalf("datasource %d: %v, notices %q", i, res.Error, plugintest.Notices(res))
		}
		requests := ds.demo.Stats().Requests - before
		if i == 0 && requests < 4 || i == 1 && requests != 0 {
			t.Fatalf("datasource %d made %d requests to its workspace; want the 4 days asked by the first, none by the second", i, requests)
		}
		b, _ := json.Marshal(res.Frames)
		answers = append(answers, string(b))
	}
	if answers[0] != answers[1] || len(answers[0]) < 100 {
		t.Fatalf("the second datasource answered\n%s\nthe first\n%s", answers[1], answers[0])
	}
}

func TestPushDownSetting(t *testing.T) {
	refused(t, newInstance(t, `{"source":"demo","pushDown":"sometimes"}`, nil), `pushDown "sometimes"; want "auto", "always" or "never"`)
	refused(t, newInstance(t, `{"source":"demo","pushDownAfterDays":-1}`, nil), `pushDownAfterDays -1`)
	s, err := LoadSettings(backend.DataSourceInstanceSettings{JSONData: []byte(`{"source":"logAnalytics","workspaceId":"3f6e1c2a-9b7d-4e5f-8a1b-2c3d4e5f6a7b"}`)})
	if err != nil || s.pushDownMode() != PushDownAuto || s.pushDownAfter() != 7*24*time.Hour {
		t.Fatalf("a workspace's defaults: %v, %v, %v; want auto from 7 days", err, s.pushDownMode(), s.pushDownAfter())
	}
}

// tableText is a table frame's cells, row by row.
func tableText(r backend.DataResponse) string {
	var b strings.Builder
	f := r.Frames[0]
	for row := 0; row < f.Rows(); row++ {
		for _, field := range f.Fields {
			v, _ := field.ConcreteAt(row)
			fmt.Fprintf(&b, "%v ", v)
		}
		b.WriteString("; ")
	}
	return b.String()
}
