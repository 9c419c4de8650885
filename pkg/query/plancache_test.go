package query

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// planCacheQueries share groupBy dimensions under different filters, so
// plans of one table differ by their filters alone.
var planCacheQueries = []string{
	`{"logType":"all","metric":"count","groupBy":["app"]}`,
	`{"logType":"all","metric":"count","groupBy":["app"],"filters":[{"key":"status","op":"!=","value":"success"}]}`,
	`{"logType":"all","metric":"failures","groupBy":["app"],"filters":[{"key":"app","op":"=~","value":"Microsoft.*"}]}`,
	`{"logType":"interactive","metric":"failureRate","groupBy":["browser","os"],"timeAggregate":"1h"}`,
	`{"logType":"interactive","metric":"count","groupBy":["browser","os"],"filters":[{"key":"country","op":"in","value":"US,DE"}]}`,
	`{"logType":"all","metric":"successes","groupBy":["user","ipAddress","status"],"timeAggregate":"1h"}`,
	`{"logType":"all","metric":"interrupts"}`,
	`{"logType":"all","metric":"distinctUsers","groupBy":["app"],"filters":[{"key":"status","op":"!=","value":"success"}],"timeAggregate":"1h"}`,
	`{"logType":"nonInteractive","metric":"distinctIPs","groupBy":["user","status"]}`,
	`{"logType":"nonInteractive","metric":"count","groupBy":["resource"],"filters":[{"key":"user","op":"!=","value":""}],"timeAggregate":"6h"}`,
}

// TestPlanCacheAnswersLikeAFreshEngine runs the same queries on one engine
// while its day table grows (an open day: each range loads more of the day's
// windows, whose new profiles join the table its cached plans were made
// from), four at a time, and compares every answer with a fresh engine's and
// with the reference. A cache too small to hold a plan must answer the same.
func TestPlanCacheAnswersLikeAFreshEngine(t *testing.T) {
	day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	events := tenantEvents(t, day, day.Add(24*time.Hour))
	for _, budget := range []int64{defaultPlanCacheBytes, 1} {
		e := New(store.New(events, store.Config{L1Bytes: 32 << 20}), WithPlanCacheBytes(budget))
		for _, hours := range []int{12, 17, 24} {
			r := Range{From: day.Add(8 * time.Hour), To: day.Add(time.Duration(hours) * time.Hour), Interval: 10 * time.Minute}
			fresh := events.engine()
			var wg sync.WaitGroup
			got := make([]Result, len(planCacheQueries))
			errs := make([]error, len(planCacheQueries))
			for i, raw := range planCacheQueries {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got[i], errs[i] = e.Run(context.Background(), planCacheQuery(t, raw), r)
				}()
				if i%4 == 3 {
					wg.Wait()
				}
			}
			wg.Wait()
			for i, raw := range planCacheQueries {
				name := fmt.Sprintf("budget %d, %dh: %s", budget, hours, raw)
				q := planCacheQuery(t, raw)
				want, err := fresh.Run(context.Background(), q, r)
				if err != nil || errs[i] != nil {
					t.Fatalf("%s: %v / %v", name, errs[i], err)
				}
				g, _ := json.Marshal(got[i])
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Fatalf("%s: cached answer differs from a fresh engine's\n%s\n%s", name, g, w)
				}
				checkAgainstReference(t, e, events, q, r, name)
			}
			if b := e.plans.Bytes(); b > budget {
				t.Fatalf("budget %d: plans hold %d bytes", budget, b)
			}
		}
	}
}

func planCacheQuery(t *testing.T, raw string) Query {
	var m map[string]any
	_ = json.Unmarshal([]byte(raw), &m)
	m["format"], m["limit"] = string(TimeSeries), MaxLimit
	if _, ok := m["timeAggregate"]; !ok {
		m["format"] = string(Table)
	}
	js, _ := json.Marshal(m)
	q, err := Parse(js)
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return q
}

// TestPlanCacheHoldsNoTable: a cached plan must not keep its table (and the
// windows' memory it stands for) alive once no block refers to it.
func TestPlanCacheHoldsNoTable(t *testing.T) {
	c := newPlanCache(defaultPlanCacheBytes)
	tbl := block.NewProfiles()
	for i := range 100 {
		tbl.Intern(&signin.Event{AppDisplayName: fmt.Sprint("app", i%7), UserID: fmt.Sprint(i)})
	}
	q := planCacheQuery(t, `{"logType":"all","metric":"count","groupBy":["app","status"],"filters":[{"key":"app","op":"!=","value":"app3"}]}`)
	filters := newProfileFilter(q.Filters).filters
	tp := c.plan(tbl, planKeyOf(filters, q.GroupBy), filters, q.GroupBy)
	if s := tp.covering(tbl, tbl.Len()); len(s.profiles) != 100 || s.codes != 6 { // six apps pass, all successes
		t.Fatalf("unexpected plan: %d profiles, %d codes", len(s.profiles), s.codes)
	}
	w := weak.Make(tbl)
	tbl = nil
	runtime.GC()
	if w.Value() != nil {
		t.Fatal("the plan cache keeps its table alive")
	}
	runtime.KeepAlive(tp)
}

// TestPlanKeysTellFiltersApart: a filter value holding the bytes that
// separate fields must not make the key of other filters, whose plans (and
// partials) would then answer it.
func TestPlanKeysTellFiltersApart(t *testing.T) {
	one := []Filter{{Dim: signin.DimApp, Op: OpNotEq, Value: "x\x01status\x00!=\x00success"}}
	two := []Filter{{Dim: signin.DimApp, Op: OpNotEq, Value: "x"}, {Dim: signin.DimStatus, Op: OpNotEq, Value: "success"}}
	if planKeyOf(one, nil) == planKeyOf(two, nil) {
		t.Fatal("two filter sets share a plan key")
	}
	if planKeyOf(one, []signin.Dimension{signin.DimApp}) == planKeyOf(one, nil) {
		t.Fatal("a groupBy does not change the plan key")
	}
}
