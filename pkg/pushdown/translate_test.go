package pushdown

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// TestKQLShape pins the query docs/log-analytics.md ("Push-down") shows:
// plain filters in KQL, derived ones (status) as a by column, the bin in
// whole seconds.
func TestKQLShape(t *testing.T) {
	q := parse(t, map[string]any{"logType": "interactive", "metric": "failureRate", "groupBy": []string{"app", "clientApp"}, "timeAggregate": "1h",
		"filters": []map[string]any{{"key": "app", "op": "!=", "value": "Microsoft Teams"}, {"key": "user", "op": "startsWith", "value": `a"\`}, {"key": "status", "op": "!=", "value": "success"}}})
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	p := plan(t, q, query.Range{From: from, To: from.Add(24 * time.Hour), Interval: time.Hour})
	want := `SigninLogs
| where CreatedDateTime >= datetime(2026-03-01T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T00:00:00Z)
| summarize arg_max(TimeGenerated, *) by Id
| where AppDisplayName != "Microsoft Teams" and UserPrincipalName startswith_cs "a\"\\"
| summarize SignIns = count() by AppDisplayName, ClientAppUsed, ResultType, Bucket = bin(CreatedDateTime, 3600s)`
	if got := p.KQL(p.From, p.To); got != want {
		t.Fatalf("KQL\n%s\nwant\n%s", got, want)
	}
}

// TestKQLInAndRegex: an "in" filter on a plain column is a KQL list of the
// engine's own items, sorted — a list item holding a comma stays one item,
// "{a, b}" (Grafana's multi-value form) is two and "(empty)" is the empty
// value; "in" on a derived dimension and regular expressions are not written
// in KQL: their columns join the grouping and the engine's rule is applied
// to the answer's rows.
func TestKQLInAndRegex(t *testing.T) {
	q := parse(t, map[string]any{"logType": "interactive", "format": "table", "metric": "count", "filters": []map[string]any{
		{"key": "app", "op": "in", "value": []string{"Teams, Web", "Outlook", "(empty)"}},
		{"key": "clientApp", "op": "in", "value": "{Browser, Mobile Apps and Desktop clients}"},
		{"key": "user", "op": "=~", "value": `a.*|b"`},
		{"key": "status", "op": "in", "value": []string{"failure", "interrupted"}},
	}})
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	p := plan(t, q, query.Range{From: from, To: from.Add(24 * time.Hour)})
	want := `SigninLogs
| where CreatedDateTime >= datetime(2026-03-01T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T00:00:00Z)
| summarize arg_max(TimeGenerated, *) by Id
| where AppDisplayName in ("", "Outlook", "Teams, Web") and ClientAppUsed in ("Browser", "Mobile Apps and Desktop clients")
| summarize SignIns = count() by ResultType, UserPrincipalName`
	if got := p.KQL(p.From, p.To); got != want {
		t.Fatalf("KQL\n%s\nwant\n%s", got, want)
	}
}

// TestNotPushable: what has no exact KQL form is refused by name.
func TestNotPushable(t *testing.T) {
	r := query.Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Interval: time.Hour}
	for want, raw := range map[string]map[string]any{
		"dimension browser":        {"groupBy": []string{"browser"}},
		"dimension country":        {"filters": []map[string]any{{"key": "country", "op": "=", "value": "DE"}}},
		"a filter on dimension os": {"filters": []map[string]any{{"key": "os", "op": "in", "value": []string{"Windows", "iOS"}}}},
		"format logs":              {"format": "logs"},
		"metric lastSignIn":        {"format": "table", "metric": "lastSignIn"},
		"template-variable":        {"queryType": "variable", "key": "app"},
		"dimension authMethod":     {"groupBy": []string{"authMethod"}},
		"dimension failureReason":  {"groupBy": []string{"failureReason"}},
	} {
		_, err := Translate(parse(t, raw), r)
		if !errors.Is(err, ErrNotPushable) || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: %v; want ErrNotPushable naming %q", raw, err, want)
		}
	}
}

// TestNotUTF8IsNotPushable: a value that is not UTF-8 (JSON cannot carry
// one, but a query may be built in Go) would reach the workspace as U+FFFD:
// the store answers it.
func TestNotUTF8IsNotPushable(t *testing.T) {
	q := parse(t, map[string]any{"filters": []map[string]any{{"key": "app", "op": "=", "value": "Teams"}}})
	q.Filters[0].Value = "Teams\xff"
	r := query.Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	if _, err := Translate(q, r); !errors.Is(err, ErrNotPushable) || !strings.Contains(err.Error(), "not UTF-8") {
		t.Fatalf("err %v; want ErrNotPushable naming UTF-8", err)
	}
}

// plan is the one plan of a query of one log type.
func plan(t *testing.T, q query.Query, r query.Range) *Plan {
	t.Helper()
	ps, err := Translate(q, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("%d plans for one log type", len(ps))
	}
	return ps[0]
}
