package query

import (
	"context"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestEmptyIsOneSelectableGroup: sign-ins without a browser are one group,
// "(empty)", in tables and values, and every filter that names it — =, !=,
// in, and a regular expression as a multi-value variable writes it — selects
// exactly them.
func TestEmptyIsOneSelectableGroup(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	r := sliceReader{
		{ID: "1", Created: day.Add(time.Minute), Browser: "Chrome 120.0"},
		{ID: "2", Created: day.Add(2 * time.Minute)},
		{ID: "3", Created: day.Add(3 * time.Minute)},
	}
	e := r.engine()
	rng := Range{From: day, To: day.Add(time.Hour), Interval: time.Hour}
	count := func(filter string) float64 {
		t.Helper()
		q, err := Parse([]byte(`{"format":"table","filters":[` + filter + `]}`))
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Run(context.Background(), q, rng)
		if err != nil {
			t.Fatal(err)
		}
		return res.Table.Rows[0].Value
	}
	for filter, want := range map[string]float64{
		`{"key":"browser","op":"=","value":"(empty)"}`:           2,
		`{"key":"browser","op":"!=","value":"(empty)"}`:          1,
		`{"key":"browser","op":"in","value":"{(empty),Chrome}"}`: 3,
		`{"key":"browser","op":"=~","value":"\\(empty\\)"}`:      2,
		`{"key":"browser","op":"!~","value":"\\(empty\\)|Edge"}`: 1,
	} {
		if got := count(filter); got != want {
			t.Errorf("%s: %v sign-ins; want %v", filter, got, want)
		}
	}
	q, _ := Parse([]byte(`{"format":"table","groupBy":["browser"]}`))
	res, err := e.Run(context.Background(), q, rng)
	if err != nil || len(res.Table.Rows) != 2 || res.Table.Rows[0].Labels[0] != EmptyLabel || res.Table.Rows[0].Value != 2 {
		t.Fatalf("groups %+v, %v; want (empty) with 2 first", res.Table, err)
	}
	vals, err := e.Values(context.Background(), q, rng, signin.DimBrowser, "")
	if err != nil || len(vals.Values) != 2 || vals.Values[0] != (ValueCount{EmptyLabel, 2}) {
		t.Fatalf("values %+v, %v; want (empty) listed with its count", vals.Values, err)
	}
}
