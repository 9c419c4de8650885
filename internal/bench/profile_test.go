package bench

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// The benchmarks below put the figures' hot paths under go test's profiler:
//
//	go test -run '^$' -bench Overview -benchtime 10x -cpuprofile cpu.prof ./internal/bench
//	go tool pprof -top cpu.prof
//
// They use the figures' data (a busy hour's pages, a week of the medium
// tenant) and take minutes to set up.

var sinkResult query.Result

// BenchmarkDecodeBusyHour decodes figure a's pages with graph.DecodePage.
func BenchmarkDecodeBusyHour(b *testing.B) {
	pages, records, err := busyPages(Default())
	if err != nil {
		b.Fatal(err)
	}
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pages {
			if sinkEvents, _, err = graph.DecodePage(p); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(records)*float64(b.N)/b.Elapsed().Seconds(), "signins/s")
}

// BenchmarkAggregate runs figure b's queries over 3 million sign-ins (the
// per-sign-in work is the same as over 10 million; the store fills 3× faster).
func BenchmarkAggregate(b *testing.B) {
	o := Default()
	o.AggregateSignIns = 3_000_000
	a, err := aggregationStore(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(freeAggregation)
	e := query.New(a.st)
	for _, ag := range aggregations {
		q, err := query.Parse([]byte(ag.json))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(ag.profile, func(b *testing.B) {
			for b.Loop() {
				if sinkResult, err = e.Run(context.Background(), q, a.r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(a.n)*float64(b.N)/b.Elapsed().Seconds(), "signins/s")
		})
	}
}

// BenchmarkOverviewPanels runs every panel of the overview dashboard, variables
// applied as on load, in process over a week of the medium tenant held decoded:
// figure d without the plugin protocol, so the engine's share shows in a profile.
func BenchmarkOverviewPanels(b *testing.B) {
	o := Default()
	dash, panels, err := overviewInProcess(o)
	if err != nil {
		b.Fatal(err)
	}
	start, end, genFrom, genTo := week(o)
	set, err := events(o, o.Tenant, genFrom, genTo)
	if err != nil {
		b.Fatal(err)
	}
	st := store.New(&memSource{set: set, clone: true}, store.Config{TimeBudget: time.Hour, MaxRun: runWindows,
		MetricsLabel: "bench-overview", Now: func() time.Time { return end.Add(24 * time.Hour) }})
	defer st.Close()
	for _, lt := range signin.LogTypes {
		if err := st.Scan(context.Background(), lt, start, end, func(*block.Block, int, int) {}); err != nil {
			b.Fatal(err)
		}
	}
	e := query.New(st)
	r := query.Range{From: start, To: end, Interval: (end.Sub(start) / 1000).Round(time.Second)}
	for _, p := range panels {
		var qs []query.Query
		for _, raw := range p.queries {
			js, _ := json.Marshal(raw)
			q, err := query.Parse(js)
			if err != nil {
				b.Fatalf("%s: %v", p.title, err)
			}
			qs = append(qs, q)
		}
		b.Run(short(p.title, 40), func(b *testing.B) {
			for b.Loop() {
				for _, q := range qs {
					if sinkResult, err = e.Run(context.Background(), q, q.Narrow(r)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
	// The $app variable, which runs again whenever the time range changes.
	for _, v := range dash.Templating.List {
		if v.Type != "query" {
			continue
		}
		q, err := query.Parse(v.Query)
		if err != nil {
			b.Fatalf("variable %s: %v", v.Name, err)
		}
		b.Run("variable "+v.Name, func(b *testing.B) {
			for b.Loop() {
				if sinkResult, err = e.Run(context.Background(), q, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
