// Command kqlcorpus writes, as JSON on standard output, the KQL the
// push-down writes — for every panel of the provisioned dashboards and for a
// battery of hostile filter values — with what each query's literals must
// decode to, a benign twin whose syntax tree it must share, and what the
// simulator's lexer reads of it; and literal forms the simulator must read
// as Microsoft does. oracle.js holds the corpus against Microsoft's Kusto
// parser (make test-kql). It is a tool of the tests, not of the plugin.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pushdown"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// entry is one query of the corpus.
type entry struct {
	Name string `json:"name"`
	KQL  string `json:"kql"`
	// Want are the values its string literals must decode to, in order;
	// nil when not checked (a dashboard's own values).
	Want []string `json:"want,omitempty"`
	// Benign is the same query with a benign value: the two must parse to
	// the same tree but for the literals' text.
	Benign string `json:"benign,omitempty"`
	// Form marks a hand-written literal form: only the simulator's
	// agreement with the parser is checked, accepting or refusing alike.
	Form bool `json:"form,omitempty"`
	Sim  sim  `json:"sim"`
}

// sim is what the simulator's lexer reads of a query.
type sim struct {
	OK     bool     `json:"ok"`
	Values []string `json:"values"`
}

func simOf(src string) sim {
	v, err := kql.StringLiterals(src)
	return sim{OK: err == nil, Values: v}
}

// hostile are values no filter may let end its literal or change the query.
var hostile = []string{
	`a"b`, `'`, `\`, `\"`, `back\slash\`, "new\nline", "cr\rlf\n", "tab\t", "|", ";", "//", "a | take 1 //", `" or 1==1 | take 10 //`,
	`') | project Id; SigninLogs | where "`, `h"x"`, `@"x"`, `@"a""b"`, "```", "~~~", `"a" "b"`, `\u0041`, `\x41`, `\0`, `\q`,
	"\u201ca\u201d", "\u2018a\u2019", "\uff02", "a\u2028b", "a\u2029b", "a\u0085b", "nul\x00byte", "é", "where summarize by not in",
	"a, b", "{a,b}", "(empty)", strings.Repeat("x\"\\", 64<<10/3),
}

// forms are literal forms the simulator must read as Kusto does.
var forms = []string{
	`"a\nb"`, `"a\qb"`, `"a\u0041b"`, `"a\x41b"`, `"a\0b"`, `"\1234"`, `"\x4"`, "\"a\rb\"", "\"a\nb\"", `h"x"`, `H@"x"`,
	`@"a""b"`, `@'a''b'`, "```a\nb```", "~~~a~~~", "```a``", `"a" "b"`, `"a" @"b"`, `'a"b'`, `"a\/b"`, `"\U0041"`, `"abc`,
}

func main() {
	var out []entry
	from := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	r := query.Range{From: from, To: from.Add(7 * 24 * time.Hour), Interval: time.Hour}
	for _, v := range hostile {
		out = append(out, hostileEntries(v, r)...)
	}
	dash, err := dashboardEntries(r)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kqlcorpus:", err)
		os.Exit(1)
	}
	out = append(out, dash...)
	listing, err := listingEntries(r)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kqlcorpus:", err)
		os.Exit(1)
	}
	out = append(out, listing...)
	for _, f := range forms {
		src := "T | where A == " + f
		out = append(out, entry{Name: "literal form " + f, KQL: src, Form: true, Sim: simOf(src)})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "kqlcorpus:", err)
		os.Exit(1)
	}
}

// hostileEntries puts v in each filter form the push-down writes as KQL.
func hostileEntries(v string, r query.Range) []entry {
	const benign = "benign"
	forms := []struct {
		op    string
		list  bool // an "in" list of v and another item
		whole bool // the value is compared whole: "(empty)" selects ""
	}{{"=", false, true}, {"!=", false, true}, {"startsWith", false, false}, {"in", true, true}}
	var out []entry
	for _, f := range forms {
		value := func(s string) any {
			if f.list {
				return []string{s, "zz"}
			}
			return s
		}
		kqlOf := func(s string) (string, error) {
			return translate(map[string]any{"logType": "interactive", "format": "table", "groupBy": []string{"app"},
				"filters": []map[string]any{{"key": "user", "op": f.op, "value": value(s)}}}, r)
		}
		src, err := kqlOf(v)
		if err != nil {
			continue // a value the query contract refuses
		}
		want := []string{v}
		if f.list {
			want = append(want, "zz")
		}
		twin, _ := kqlOf(benign)
		out = append(out, entry{Name: fmt.Sprintf("user %s %.40q", f.op, v), KQL: src, Want: literals(want, f.whole), Benign: twin, Sim: simOf(src)})
	}
	return out
}

// literals are the literals values make, as the engine reads them: "(empty)"
// selects the empty value where a value is compared whole, and an "in" list
// is sorted, without repeats (one query shape per filter).
func literals(values []string, whole bool) []string {
	out := slices.Clone(values)
	for i, v := range out {
		if whole && v == query.EmptyLabel {
			out[i] = ""
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// listingEntries are the KQL the client lists sign-ins with, the count that
// sizes a listing and the listing of those that changed (revalidation), for
// each log type.
func listingEntries(r query.Range) ([]entry, error) {
	var out []entry
	for _, t := range signin.LogTypes {
		for _, q := range []struct {
			name string
			kql  func(signin.LogType, time.Time, time.Time) (string, error)
		}{{"listing", loganalytics.SignInQuery}, {"count", loganalytics.CountQuery}, {"changed listing", changedQuery}} {
			src, err := q.kql(t, r.From, r.To)
			if err != nil {
				return nil, err
			}
			out = append(out, entry{Name: fmt.Sprintf("%s of %s", q.name, t), KQL: src, Sim: simOf(src)})
		}
	}
	return out, nil
}

// changedQuery is the listing of the sign-ins changed after their window was
// read, with the client's default allowance.
func changedQuery(t signin.LogType, from, to time.Time) (string, error) {
	return loganalytics.ChangedQuery(t, from, to, 30*time.Minute)
}

// translate is the KQL of a one-table query, or an error.
func translate(raw map[string]any, r query.Range) (string, error) {
	js, err := json.Marshal(raw)
	if err != nil {
		return "", err
	}
	q, err := query.Parse(js)
	if err != nil {
		return "", err
	}
	plans, err := pushdown.Translate(q, r)
	if err != nil {
		return "", err
	}
	return plans[0].KQL(r.From, r.To), nil
}

// dashboardEntries are the KQL of every panel target of the provisioned
// dashboards that is pushed down, one per table asked.
func dashboardEntries(r query.Range) ([]entry, error) {
	files, err := filepath.Glob("dashboards/*.json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no dashboards/*.json here (run from the repository's root): %v", err)
	}
	var out []entry
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var d struct{ Panels []panel }
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for _, p := range flatten(d.Panels) {
			for _, t := range p.Targets {
				q, err := query.Parse(t)
				if err != nil {
					continue
				}
				plans, err := pushdown.Translate(q, r)
				if err != nil {
					continue // answered by the store
				}
				for _, pl := range plans {
					if pl.Skip {
						continue
					}
					src := pl.KQL(r.From, r.To)
					out = append(out, entry{Name: fmt.Sprintf("%s / %s / %s", filepath.Base(file), p.Title, pl.LogType), KQL: src, Sim: simOf(src)})
				}
			}
		}
	}
	return out, nil
}

type panel struct {
	Title   string            `json:"title"`
	Targets []json.RawMessage `json:"targets"`
	Panels  []panel           `json:"panels"`
}

func flatten(ps []panel) []panel {
	var out []panel
	for _, p := range ps {
		out = append(out, p)
		out = append(out, flatten(p.Panels)...)
	}
	return out
}
