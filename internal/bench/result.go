// Package bench measures the figures of the issue "Performance: benchmarks and
// targets": decoding speed, aggregation over millions of sign-ins, memory per
// cached sign-in, warm dashboards through the plugin protocol, the cold load
// against Graph's throttle, the cost of refreshing open windows and the cold
// load through a Log Analytics workspace beside Graph's.
//
// Each figure is one function (one file) that measures and returns its rows; it
// reports, it does not judge beyond comparing with its target. cmd/bench
// runs them all several times and prints the medians as one table (make bench).
// The figures measure the code as it is: when a target does not hold, the row
// says fail and its note gives the numbers that explain why.
package bench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Result is one row of the table: a measured value, the target it is held to
// and what else the reader needs to judge it. A row without a Target is
// information only (Pass is then true).
type Result struct {
	Figure string  // "b. count by 1h × app", unique within a run
	Value  float64 // in Unit
	Unit   string  // "ms", "MB/s", "×", "B/sign-in", …
	Target string  // "≤ 150 ms"; empty for information rows
	Pass   bool
	Note   string
}

// Info reports whether the row has no target.
func (r Result) Info() bool { return r.Target == "" }

// Verdict is "pass", "FAIL" or "info".
func (r Result) Verdict() string {
	switch {
	case r.Info():
		return "info"
	case r.Pass:
		return "pass"
	}
	return "FAIL"
}

// Figure is one measurement: a letter and name of the list and the
// function that measures it. Run may return several rows (a figure with two
// targets, or its context).
type Figure struct {
	ID    string // "a" … "g"
	Name  string // "decode", "aggregate", …
	Title string
	Run   func(ctx context.Context, o Options) ([]Result, error)
}

// Figures lists the figures in the order.
func Figures() []Figure {
	return []Figure{
		{ID: "a", Name: "decode", Title: "Graph pages → compact events vs encoding/json into every field", Run: Decode},
		{ID: "b", Name: "aggregate", Title: "aggregation over 10 million sign-ins held in the store", Run: Aggregate},
		{ID: "c", Name: "memory", Title: "bytes per cached sign-in, 7 days of the medium tenant", Run: Memory},
		{ID: "d", Name: "dashboard", Title: "Sign-ins overview dashboard through the plugin protocol", Run: Dashboard},
		{ID: "e", Name: "coldload", Title: "cold load of 7 days against Graph's throttle", Run: ColdLoad},
		{ID: "f", Name: "refresh", Title: "refresh of the open windows one minute later", Run: Refresh},
		{ID: "g", Name: "workspace", Title: "cold load of 7 closed days through a Log Analytics workspace vs Graph's minimum", Run: WorkspaceColdLoad},
		{ID: "h", Name: "pushdown", Title: "push-down: 90-day panels answered in a Log Analytics workspace, first load and refresh", Run: PushDown},
		{ID: "i", Name: "warm", Title: "warm at start: the last days loaded when a datasource starts, and after a restart", Run: Warm},
		{ID: "j", Name: "large", Title: "large tenant, 30 days in one store (cacheSizeMB 2048), overview panels warm", Run: Large},
	}
}

// Select returns the figures named by only: a comma-separated list of ids
// ("a,c") or names ("decode"); empty selects all.
func Select(only string) ([]Figure, error) {
	all := Figures()
	if strings.TrimSpace(only) == "" {
		return all, nil
	}
	var out []Figure
	for _, w := range strings.Split(only, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		i := slices.IndexFunc(all, func(f Figure) bool { return f.ID == w || f.Name == w })
		if i < 0 {
			names := make([]string, len(all))
			for j, f := range all {
				names[j] = f.ID + "|" + f.Name
			}
			return nil, fmt.Errorf("unknown figure %q; want one of %s", w, strings.Join(names, ", "))
		}
		out = append(out, all[i])
	}
	return out, nil
}

// Options size the figures. Default is what the issue asks for; Tiny runs every
// figure in seconds for the smoke test.
type Options struct {
	Seed   int64
	Tenant string // a–d, f, g: the synthetic tenant ("medium")
	Days   int    // c, d, f, g: the range, in days

	DecodeMinTime time.Duration // a: time spent in each decoder, at least
	DecodePages   int           // a: pages of the busy hour used; 0 = all

	AggregateSignIns int // b: sign-ins held in the store
	AggregateReps    int // b: timed repetitions of each query

	DashboardRepeats int    // d: warm repetitions of every panel and of the whole dashboard
	ModuleDir        string // d: the module the plugin is built from; "" = found from the working directory

	ColdTenant string        // e, i: the tenant loaded against the throttle ("small")
	ColdRange  time.Duration // e: the range loaded; i: its whole days warmed (at least one)

	Refreshes int // f: refreshes measured, one simulated minute apart (at most 60)

	PushTenant string // h: the synthetic tenant in the workspace ("medium")
	PushDays   int    // h: the panels' range, in days

	LargeTenant  string // j: the synthetic tenant ("large")
	LargeDays    int    // j: days held in one store
	LargeCacheMB int    // j: the datasource's cacheSizeMB the store is configured for
	// LargePanelBudget stops j's warm repeats (DashboardRepeats) once they
	// have taken this long; 0: no limit.
	LargePanelBudget time.Duration

	// ProfileDir, when set, receives a CPU profile of each figure's measured
	// section (decode.prof, aggregate-count.prof, …), for go tool pprof.
	ProfileDir string
	// Log receives progress lines; nil discards them.
	Log io.Writer
}

// Default returns the sizes of the issue.
func Default() Options {
	return Options{
		Seed: 1, Tenant: "medium", Days: 7,
		DecodeMinTime:    2 * time.Second,
		AggregateSignIns: 10_000_000, AggregateReps: 5,
		DashboardRepeats: 30,
		ColdTenant:       "small", ColdRange: 7 * 24 * time.Hour,
		Refreshes:  60,
		PushTenant: "medium", PushDays: 90,
		LargeTenant: "large", LargeDays: 30, LargeCacheMB: 2048, LargePanelBudget: 3 * time.Minute,
	}
}

// Tiny returns sizes that run every figure in seconds: the smoke test's.
func Tiny() Options {
	return Options{
		Seed: 1, Tenant: "small", Days: 1,
		DecodeMinTime: 20 * time.Millisecond, DecodePages: 2,
		AggregateSignIns: 20_000, AggregateReps: 1,
		DashboardRepeats: 2,
		ColdTenant:       "small", ColdRange: 2 * time.Hour,
		Refreshes:  12,
		PushTenant: "small", PushDays: 3,
		LargeTenant: "small", LargeDays: 2, LargeCacheMB: 64,
	}
}

func (o Options) logf(format string, args ...any) {
	if o.Log != nil {
		fmt.Fprintf(o.Log, format+"\n", args...)
	}
}

// Median returns, per figure row, the run whose value is the median of the
// runs (the lower middle for an even count), so its verdict and note stay
// those of a real run. Rows keep the order of their first appearance.
func Median(runs [][]Result) []Result {
	var order []string
	byFigure := make(map[string][]Result)
	for _, run := range runs {
		for _, r := range run {
			if _, ok := byFigure[r.Figure]; !ok {
				order = append(order, r.Figure)
			}
			byFigure[r.Figure] = append(byFigure[r.Figure], r)
		}
	}
	out := make([]Result, 0, len(order))
	for _, name := range order {
		rs := byFigure[name]
		slices.SortStableFunc(rs, func(a, b Result) int {
			switch {
			case a.Value < b.Value:
				return -1
			case a.Value > b.Value:
				return 1
			}
			return 0
		})
		m := rs[(len(rs)-1)/2]
		if len(rs) > 1 {
			m.Note = fmt.Sprintf("%s [median of %d runs; range %s–%s]", m.Note, len(rs), FormatValue(rs[0].Value), FormatValue(rs[len(rs)-1].Value))
		}
		out = append(out, m)
	}
	return out
}

// FormatValue prints a value with the precision its size deserves.
func FormatValue(v float64) string {
	switch a := abs(v); {
	case a == 0:
		return "0"
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.1f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// atMost and atLeast build rows held to a bound.
func atMost(figure string, v float64, unit string, limit float64, note string) Result {
	return Result{Figure: figure, Value: v, Unit: unit, Target: strings.TrimSpace("≤ " + FormatValue(limit) + " " + unit), Pass: v <= limit, Note: note}
}

func atLeast(figure string, v float64, unit string, limit float64, note string) Result {
	return Result{Figure: figure, Value: v, Unit: unit, Target: strings.TrimSpace("≥ " + FormatValue(limit) + " " + unit), Pass: v >= limit, Note: note}
}

func info(figure string, v float64, unit, note string) Result {
	return Result{Figure: figure, Value: v, Unit: unit, Pass: true, Note: note}
}
