package bench

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

// TestFiguresTiny runs every figure at Tiny sizes and checks that each returns
// sane rows. It asserts nothing about speed: the figures' targets are for
// make bench on a quiet machine, not for a test run next to others.
func TestFiguresTiny(t *testing.T) {
	o := Tiny()
	o.Log = testWriter{t}
	t.Cleanup(RemoveBinaries)
	t.Cleanup(FreeData)
	for _, f := range Figures() {
		t.Run(f.ID+"-"+f.Name, func(t *testing.T) {
			if (f.Name == "dashboard" || f.Name == "warm") && testing.Short() {
				t.Skip("builds and launches the plugin binary")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rs, err := f.Run(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, f, rs)
		})
	}
}

func checkRows(t *testing.T, f Figure, rs []Result) {
	t.Helper()
	if len(rs) == 0 {
		t.Fatalf("unexpected rows; got none; want at least one")
	}
	seen := map[string]bool{}
	for _, r := range rs {
		t.Logf("%-60s %10s %-6s %-10s %s", r.Figure, FormatValue(r.Value), r.Unit, r.Verdict(), r.Note)
		if !strings.HasPrefix(r.Figure, f.ID+". ") {
			t.Errorf("unexpected figure name %q; want the prefix %q", r.Figure, f.ID+". ")
		}
		if seen[r.Figure] {
			t.Errorf("unexpected duplicate row %q", r.Figure)
		}
		seen[r.Figure] = true
		if math.IsNaN(r.Value) || math.IsInf(r.Value, 0) || r.Value < 0 {
			t.Errorf("%s: unexpected value %v; want a finite number >= 0", r.Figure, r.Value)
		}
		if r.Note == "" {
			t.Errorf("%s: unexpected empty note", r.Figure)
		}
		if r.Info() != (r.Target == "") || (r.Info() && !r.Pass) {
			t.Errorf("%s: unexpected verdict %q for target %q", r.Figure, r.Verdict(), r.Target)
		}
	}
	// Values that must be positive whatever the machine: speeds, times, sizes.
	for _, r := range rs {
		switch r.Unit {
		case "MB/s", "ms", "B", "×":
			if r.Value <= 0 && !strings.Contains(r.Figure, "hot set alone") {
				t.Errorf("%s: unexpected value %v %s; want > 0", r.Figure, r.Value, r.Unit)
			}
		}
	}
}

func TestMedianKeepsTheMiddleRun(t *testing.T) {
	f := func(values []float64, want float64) {
		t.Helper()
		var runs [][]Result
		for _, v := range values {
			runs = append(runs, []Result{{Figure: "x", Value: v, Note: "n"}})
		}
		got := Median(runs)
		if len(got) != 1 || got[0].Value != want {
			t.Fatalf("unexpected median of %v; got %+v; want %v", values, got, want)
		}
	}
	f([]float64{3}, 3)
	f([]float64{5, 1, 3}, 3)
	f([]float64{4, 1, 3, 2}, 2)
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}
	if got := percentile(ds, 95); got != 19 {
		t.Fatalf("unexpected p95; got %d; want 19", got)
	}
	if got := median(ds); got != 10 {
		t.Fatalf("unexpected median; got %d; want 10", got)
	}
}

func TestInterpolate(t *testing.T) {
	vars := map[string]varValue{
		"app":     {values: []string{"A", "B"}, all: true, allValue: ".*"},
		"logType": {values: []string{"interactive", "nonInteractive"}},
		"one":     {values: []string{"a.b"}},
	}
	f := func(s, format, want string) {
		t.Helper()
		if got := interpolate(s, format, vars); got != want {
			t.Fatalf("unexpected interpolation of %q (%s); got %q; want %q", s, format, got, want)
		}
	}
	f("$app", "regex", ".*")
	f("$logType", "csv", "interactive,nonInteractive")
	f("${logType}", "", "{interactive,nonInteractive}")
	f("$one", "regex", `a\.b`)
	f("$unknown", "", "$unknown")
}

func TestTileIDStaysAUUID(t *testing.T) {
	id := "0f8fad5b-d9cb-469f-a165-70867728950e"
	got := tileID(id, 3)
	if len(got) != 36 || got[8:] != id[8:] || got == id {
		t.Fatalf("unexpected tile id %q of %q", got, id)
	}
	if tileID(id, 0) != id {
		t.Fatalf("unexpected change of the original day's id")
	}
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
