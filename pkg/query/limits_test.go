package query

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// hostileRegexFilters is the attack that took the process to out-of-memory:
// filters whose values are ".{999}" repeated to just under the value cap.
func hostileRegexFilters(n int) string {
	value := strings.Repeat(".{999}", 682) // 4,092 bytes
	filters := make([]string, n)
	for i := range filters {
		filters[i] = fmt.Sprintf(`{"key":"app","op":"!~","value":%q}`, value)
	}
	return `{"format":"table","filters":[` + strings.Join(filters, ",") + `]}`
}

// TestHostileRegexIsRefusedBeforeCompiling: a regular expression that would
// compile to hundreds of thousands of instructions is refused by its
// estimated size, naming the bound and the setting, without compiling it.
func TestHostileRegexIsRefusedBeforeCompiling(t *testing.T) {
	_, err := Parse([]byte(hostileRegexFilters(1)))
	if !errors.Is(err, ErrInvalidQuery) || !strings.Contains(err.Error(), "maxRegexSize") || !strings.Contains(err.Error(), "filters[0]") {
		t.Fatalf("err = %v; want an invalid query naming filters[0] and maxRegexSize", err)
	}
	if len(err.Error()) > 400 {
		t.Fatalf("the error echoes the input: %d bytes", len(err.Error()))
	}
	allocs := testing.AllocsPerRun(5, func() { _, _ = Parse([]byte(hostileRegexFilters(20))) })
	if allocs > 5000 {
		t.Fatalf("refusing the hostile query took %.0f allocations; it should not compile anything", allocs)
	}
}

// TestRegexBudgetIsPerQuery: the budget covers all the expressions of a
// query; a dashboard's multi-value variable (a hundred app names) fits.
func TestRegexBudgetIsPerQuery(t *testing.T) {
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("Contoso line-of-business app %03d", i)
	}
	multi := fmt.Sprintf(`{"format":"table","filters":[{"key":"app","op":"=~","value":%q}]}`, "("+strings.Join(names, "|")+")")
	if _, err := Parse([]byte(multi)); err != nil {
		t.Fatalf("a 100-value variable: %v", err)
	}
	small := Limits{MaxRegexSize: 80}
	two := `{"format":"table","filters":[{"key":"app","op":"=~","value":"a{40}"},{"key":"user","op":"=~","value":"b{40}"}]}`
	if _, err := ParseWith([]byte(two), small); err == nil || !strings.Contains(err.Error(), "filters[1]") {
		t.Fatalf("two expressions over the budget together: err = %v; want filters[1] refused", err)
	}
	if _, err := ParseWith([]byte(two), Limits{MaxRegexSize: 120}); err != nil {
		t.Fatalf("within the budget: %v", err)
	}
}

func TestRegexSizeSaturates(t *testing.T) {
	for _, tc := range []struct {
		expr     string
		min, max int
	}{
		{"abc", 3, 10},
		{"Chrome|Edge|Firefox", 17, 40},
		{".{999}", 999, 3000},
		{"(?:a{100}){10}", 1000, 1100},
		{strings.Repeat(".{999}", 682), 681_318, 700_000},
	} {
		re, err := (&regexBudget{left: 1 << 30, max: 1 << 30}).parseRegex(0, tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := regexSize(re, 1_000_000); got < tc.min || got > tc.max {
			t.Errorf("regexSize(%s) = %d; want %d to %d", tc.expr, got, tc.min, tc.max)
		}
	}
}

func TestTooManyFilters(t *testing.T) {
	filters := strings.TrimSuffix(strings.Repeat(`{"key":"app","op":"=","value":"x"},`, 31), ",")
	_, err := Parse([]byte(`{"filters":[` + filters + `]}`))
	if !errors.Is(err, ErrInvalidQuery) || !strings.Contains(err.Error(), "31 filters; at most 30") || !strings.Contains(err.Error(), "maxFilters") {
		t.Fatalf("err = %v", err)
	}
	if _, err := ParseWith([]byte(`{"filters":[`+filters+`]}`), Limits{MaxFilters: 40}); err != nil {
		t.Fatalf("maxFilters 40: %v", err)
	}
}

// TestCellsAreBounded: a time series of 1 ms buckets over 30 days is refused
// at once; one within the buckets bound keeps groups × buckets ≤ maxCells.
func TestCellsAreBounded(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var r sliceReader
	for i := range 5000 {
		r = append(r, signin.Event{ID: fmt.Sprint(i), Created: day.Add(time.Duration(i) * 17 * time.Second), IPAddress: fmt.Sprintf("10.0.%d.%d", i/250, i%250)})
	}
	e := New(r.engine().r, WithLimits(Limits{MaxCells: 80_000}))
	q, err := Parse([]byte(`{"format":"timeSeries","groupBy":["ipAddress"],"limit":10000}`))
	if err != nil {
		t.Fatal(err)
	}
	month := Range{From: day.Add(-29 * 24 * time.Hour), To: day.Add(24 * time.Hour), Interval: time.Millisecond}
	if _, err := e.Run(context.Background(), q, month); !errors.Is(err, ErrInvalidQuery) || !strings.Contains(err.Error(), "maxCells") {
		t.Fatalf("1 ms over 30 days: err = %v; want refused naming maxCells", err)
	}
	dayRange := Range{From: day, To: day.Add(24 * time.Hour), Interval: time.Minute} // 1,440 buckets
	res, err := e.Run(context.Background(), q, dayRange)
	if err != nil {
		t.Fatal(err)
	}
	points, total := 0, 0.0
	for _, s := range res.Series {
		points += len(s.Values)
		for _, v := range s.Values {
			total += v
		}
	}
	if points > 80_000 || total != 5000 {
		t.Fatalf("%d series, %d points, total %v; want at most maxCells points summing to every sign-in", len(res.Series), points, total)
	}
	if !strings.Contains(strings.Join(res.Notices, " "), "maxCells") {
		t.Fatalf("notices %q do not say why groups were summed up", res.Notices)
	}
}

// TestGroupedRowsStayNearTheLimit: a grouped view over many windows holds
// about limit rows plus two windows', and still counts what it left out.
func TestGroupedRowsStayNearTheLimit(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	var r sliceReader
	for i := range 2400 { // 100 sign-ins an hour, each its own row
		r = append(r, signin.Event{ID: fmt.Sprint(i), Created: day.Add(time.Duration(i) * 36 * time.Second)})
	}
	acc := newGroupedAcc(50, MaxGroups)
	e := r.engine()
	q, _ := Parse([]byte(`{"format":"grouped","logType":"interactive","limit":50}`))
	if err := e.scanMatching(context.Background(), q, day, day.Add(24*time.Hour), func(b *block.Block, lo, hi int, pass []bool) {
		for i := lo; i < hi; i++ {
			acc.add(b, i, "", time.Hour, nil, nil)
		}
		if acc.held > 50+2*100 {
			t.Fatalf("%d rows held; want at most limit + two windows", acc.held)
		}
	}); err != nil {
		t.Fatal(err)
	}
	gt := acc.finish(&GroupedTable{})
	if len(gt.Rows) != 50 || gt.Truncated != 2350 || !gt.Rows[0].Last.Equal(day.Add(2399*36*time.Second)) {
		t.Fatalf("%d rows, %d truncated, newest %v", len(gt.Rows), gt.Truncated, gt.Rows[0].Last)
	}
}
