package query

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// TestDaysAnswerAsSignIns runs aggregations over 30 days, whose closed days
// the store hands over counted per profile, and compares every answer with
// the same engine reading every sign-in: tables and day buckets (the days'
// path), hour buckets and lastSignIn (sign-ins only), edges that cut days,
// list-valued groups, distinct metrics, filters. Each query runs twice: the
// second reads the partials the first kept (partial.go), whole units and
// units cut by 44-minute buckets, few groups and a group per user. A memory
// too small for the month evicts windows and the days counted with them:
// answers stay the same.
func TestDaysAnswerAsSignIns(t *testing.T) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, start, start.Add(30*24*time.Hour))
	queries := []string{
		`{"logType":"all","metric":"count","groupBy":["app"]}`,
		`{"logType":"all","metric":"failures","groupBy":["app","status"],"timeAggregate":"24h"}`,
		`{"logType":"interactive","metric":"distinctUsers","groupBy":["app"],"timeAggregate":"24h"}`,
		`{"logType":"all","metric":"distinctUsers","groupBy":["authMethod","status"]}`,
		`{"logType":"interactive","metric":"count","groupBy":["authMethod"],"timeAggregate":"auto"}`,
		`{"logType":"all","metric":"failureRate","groupBy":["browser","os"],"filters":[{"key":"app","op":"=~","value":"Microsoft.*"}]}`,
		`{"logType":"nonInteractive","metric":"distinctIPs","groupBy":["user"],"filters":[{"key":"status","op":"!=","value":"success"}]}`,
		`{"logType":"servicePrincipal","metric":"distinctResources","groupBy":["servicePrincipal"],"timeAggregate":"24h"}`,
		`{"logType":"managedIdentity","metric":"count","groupBy":["msiType","resource"]}`,
		`{"logType":"all","metric":"interrupts","groupBy":["errorCode"],"timeAggregate":"1h"}`,
		`{"logType":"servicePrincipal","metric":"lastSignIn","groupBy":["servicePrincipal"]}`,
		`{"logType":"all","metric":"firstSignIn","groupBy":["app"]}`,
		`{"logType":"interactive","metric":"successAfterFailure","groupBy":["user"]}`,
		`{"logType":"interactive","metric":"distinctCountries","groupBy":["user"],"timeAggregate":"24h"}`,
		`{"logType":"all","metric":"failureRate","groupBy":["logType"],"timeAggregate":"auto"}`,
		`{"logType":"all","metric":"successes","groupBy":["user"],"filters":[{"key":"logType","op":"in","value":"interactive,nonInteractive"}]}`,
	}
	ranges := []Range{
		{From: start, To: start.Add(30 * 24 * time.Hour), Interval: 48 * time.Hour}, // auto: 2-day buckets
		{From: start.Add(14*time.Hour + 30*time.Minute), To: start.Add(27*24*time.Hour + 9*time.Hour), Interval: time.Hour},
		{From: start.Add(3 * time.Hour), To: start.Add(29 * 24 * time.Hour), Interval: 44 * time.Minute}, // auto: buckets that cut hours
	}
	// maxGroups 5: past it, which groups keep their rows depends on the
	// order they are met, so an aggregation that read days and overflowed
	// reads the sign-ins again.
	for _, c := range []struct{ l1, maxGroups int }{{256 << 20, 0}, {24 << 20, 0}, {256 << 20, 5}} {
		l1 := c.l1
		st := store.New(events, store.Config{L1Bytes: l1})
		days, signIns := New(st, withMaxGroups(c.maxGroups)), New(st, withMaxGroups(c.maxGroups))
		signIns.noDays = true
		for _, r := range ranges {
			for _, raw := range queries {
				q := planCacheQuery(t, raw)
				name := fmt.Sprintf("L1 %d MB, maxGroups %d, %s to %s: %s", l1>>20, c.maxGroups, r.From.Format("Jan 2 15:04"), r.To.Format("Jan 2 15:04"), raw)
				want, err := signIns.Run(context.Background(), q, r)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				w, _ := json.Marshal(want)
				for _, run := range []string{"first", "second"} {
					got, err := days.Run(context.Background(), q, r)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if g, _ := json.Marshal(got); string(g) != string(w) {
						t.Fatalf("%s: the %s answer from days and partials differs from the sign-ins'\n%s\n%s", name, run, g, w)
					}
				}
			}
		}
		if n := st.Stats().DaysCounted; l1 == 256<<20 && c.maxGroups == 0 && n < 4*29 {
			t.Fatalf("the store holds %d days counted; want the 29 closed whole days of each log type at least", n)
		}
		st.Close()
	}
}
