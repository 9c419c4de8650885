package query

import (
	"slices"
	"testing"
)

// TestFilterItems: an "in" filter's items are the engine's set, sorted —
// list items as given (a comma inside one stays), one string split at its
// commas (Grafana's "{a,b}" form), "(empty)" read as the empty value — and
// Match agrees with them; other operators have none.
func TestFilterItems(t *testing.T) {
	for _, tc := range []struct {
		value any
		want  []string
	}{
		{[]any{"Teams, Web", "Outlook", EmptyLabel}, []string{"", "Outlook", "Teams, Web"}},
		{"{Outlook, Teams}", []string{"Outlook", "Teams"}},
		{"b,a,b", []string{"a", "b"}},
		{[]any{"only, one"}, []string{"one", "only"}}, // one list item is read as the string form
	} {
		f, err := parseFilter(0, rawFilter{Key: "app", Op: "in", Value: tc.value}, &regexBudget{})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Items(); !slices.Equal(got, tc.want) {
			t.Errorf("%v: items %q; want %q", tc.value, got, tc.want)
		}
		for _, v := range tc.want {
			if !f.Match(v) {
				t.Errorf("%v: %q does not match", tc.value, v)
			}
		}
		if f.Match("Other") {
			t.Errorf("%v: Other matches", tc.value)
		}
	}
	f, err := parseFilter(0, rawFilter{Key: "app", Op: "=", Value: "a,b"}, &regexBudget{})
	if err != nil || f.Items() != nil {
		t.Fatalf("=: items %q, %v; want none", f.Items(), err)
	}
}
