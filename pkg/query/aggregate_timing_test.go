package query

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// tiledDay serves one real synthetic day of the medium tenant again and again,
// shifted by whole days: realistic profiles at any volume without generating and
// decoding gigabytes of JSON.
type tiledDay struct {
	day    time.Time
	events map[signin.LogType][]signin.Event
}

func (d *tiledDay) ListSignIns(_ context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	var page []signin.Event
	for day := from.Truncate(24 * time.Hour); day.Before(to); day = day.Add(24 * time.Hour) {
		shift := day.Sub(d.day)
		for _, e := range d.events[t] {
			e.Created = e.Created.Add(shift)
			e.ID = fmt.Sprintf("%s-%d", e.ID, shift/time.Hour)
			if !e.Created.Before(from) && e.Created.Before(to) {
				page = append(page, e)
			}
		}
	}
	return fn(page)
}

var (
	benchOnce  sync.Once
	benchStore *store.Store
	benchFrom  time.Time
	benchTo    time.Time
	benchCount int
)

// benchData holds about 10 million sign-ins of the medium tenant in a store.
func benchData(b *testing.B) (*store.Store, Range, int) {
	benchOnce.Do(func() {
		day := time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
		tenant, err := synth.New(1, "medium")
		if err != nil {
			b.Fatal(err)
		}
		src := &tiledDay{day: day, events: make(map[signin.LogType][]signin.Event)}
		perDay := 0
		for _, lt := range signin.LogTypes {
			js, _ := json.Marshal(map[string]any{"value": tenant.Range(lt, day, day.Add(24*time.Hour))})
			events, _, err := graph.DecodePage(js)
			if err != nil {
				b.Fatal(err)
			}
			for i := range events {
				events[i].LogType = lt
			}
			src.events[lt] = events
			perDay += len(events)
		}
		days := (10_000_000 + perDay - 1) / perDay
		benchFrom, benchTo = day, day.Add(time.Duration(days)*24*time.Hour)
		benchStore = store.New(src, store.Config{TimeBudget: time.Hour, MaxRun: 24 * 40, L1Bytes: 8 << 30, Now: func() time.Time { return benchTo.Add(48 * time.Hour) }})
		for _, lt := range signin.LogTypes {
			if err := benchStore.Scan(context.Background(), lt, benchFrom, benchTo, func(_ *block.Block, lo, hi int) { benchCount += hi - lo }); err != nil {
				b.Fatal(err)
			}
		}
	})
	return benchStore, Range{From: benchFrom, To: benchTo, Interval: time.Hour}, benchCount
}

var benchSink Result

func benchQuery(b *testing.B, raw string) {
	st, r, n := benchData(b)
	q, err := Parse([]byte(raw))
	if err != nil {
		b.Fatal(err)
	}
	e := New(st)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if benchSink, err = e.Run(context.Background(), q, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "signins/s")
	b.ReportMetric(float64(n), "signins")
}

// BenchmarkCountByHourAndApp: count by (1 h bucket × app) over ~10 million sign-ins.
func BenchmarkCountByHourAndApp(b *testing.B) {
	benchQuery(b, `{"logType":"all","format":"timeSeries","metric":"count","groupBy":["app"],"timeAggregate":"1h","limit":10000}`)
}

// BenchmarkDistinctUsersPerApp: distinct users per app over ~10 million sign-ins.
func BenchmarkDistinctUsersPerApp(b *testing.B) {
	benchQuery(b, `{"logType":"all","format":"table","metric":"distinctUsers","groupBy":["app"],"limit":10000}`)
}
