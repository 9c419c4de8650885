package graphsim

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// odataValues try to break out of an OData string literal: quotes, OData
// operators and parentheses, URL and shell metacharacters, non-ASCII and
// bidirectional text, control characters and invalid UTF-8.
var odataValues = []string{
	"", "'", "''", "'''", "it's", "O'Brien", "x' or appId eq 'y", "x' and userId eq 'y",
	"a') or (appId eq 'b", "' or 1 eq 1 or '", "x') and startsWith(appDisplayName,'", " or ", " and ",
	"(", ")", "()", "eq", "not x", "signInEventTypes/any(t: t eq 'servicePrincipal')",
	"createdDateTime ge 2020-01-01T00:00:00Z", "%27", "%", "&$filter=x", "+", "#", `\'`, `\`,
	"çé@contoso.example", "日本語", "😀", "\u202eevil", "\u00a0", "\x00", "a\nb", "\t", "\r\n", "\x7f", "\xff\xfe",
}

// TestODataLiteralsStayLiterals lexes what pkg/graph's filter builders make of
// each value: the value must come back as exactly one string token, byte for
// byte, with nothing before or after it but the clause's own tokens.
func TestODataLiteralsStayLiterals(t *testing.T) {
	for _, v := range odataValues {
		checkEqTokens(t, v)
		checkStartsWithTokens(t, v)
	}
}

func checkEqTokens(t *testing.T, v string) {
	t.Helper()
	want := []token{{kind: tokIdent, text: "appId"}, {kind: tokIdent, text: "eq"}, {kind: tokString, text: v}, {kind: tokEOF}}
	if got := lexKinds(t, graph.Eq("appId", v)); !slices.Equal(got, want) {
		t.Fatalf("Eq(appId, %q) lexes as %+v; want %+v", v, got, want)
	}
}

func checkStartsWithTokens(t *testing.T, v string) {
	t.Helper()
	want := []token{{kind: tokIdent, text: "startsWith"}, {kind: tokLParen, text: "("}, {kind: tokIdent, text: "userPrincipalName"},
		{kind: tokComma, text: ","}, {kind: tokString, text: v}, {kind: tokRParen, text: ")"}, {kind: tokEOF}}
	if got := lexKinds(t, graph.StartsWith("userPrincipalName", v)); !slices.Equal(got, want) {
		t.Fatalf("StartsWith(userPrincipalName, %q) lexes as %+v; want %+v", v, got, want)
	}
}

// lexKinds lexes a filter and drops the positions.
func lexKinds(t *testing.T, filter string) []token {
	t.Helper()
	toks, err := lexFilter(filter)
	if err != nil {
		t.Fatalf("lexFilter(%q): %v", filter, err)
	}
	for i := range toks {
		toks[i].pos = 0
	}
	return toks
}

// TestODataValuesDoNotChangeTheQuery parses a whole client filter — the
// window and log type, plus an Eq and a StartsWith on the value — and checks
// that the window and type are untouched and that the two clauses match on
// the value itself and on nothing the value pretends to say.
func TestODataValuesDoNotChangeTheQuery(t *testing.T) {
	from, to := time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC), time.Date(2026, 1, 13, 15, 0, 0, 0, time.UTC)
	for _, v := range odataValues {
		text := graph.And(graph.WindowFilter(signin.ServicePrincipal, from, to), graph.Eq("appId", v), graph.StartsWith("userPrincipalName", v))
		f, err := parseFilter(text, true)
		if err != nil {
			t.Fatalf("%q: parseFilter(%q): %v", v, text, err)
		}
		if !f.from.Equal(from) || !f.to.Equal(to) || !f.typesGiven || !slices.Equal(f.types.list(), []signin.LogType{signin.ServicePrincipal}) || len(f.preds) != 2 {
			t.Fatalf("%q: window [%s, %s), types %v (given %v), %d predicates; want [%s, %s), [servicePrincipal], 2",
				v, f.from, f.to, f.types.list(), f.typesGiven, len(f.preds), from, to)
		}
		f2 := func(appID, upn string, want bool) {
			t.Helper()
			if got := f.match(&Record{AppID: appID, UserPrincipalName: upn}); got != want {
				t.Fatalf("%q: match(appId %q, upn %q) = %v; want %v", v, appID, upn, got, want)
			}
		}
		f2(v, v, true)
		f2(v, v+"@tail", true)
		f2(v+"x", v, false)
		f2("y", v, false) // what "x' or appId eq 'y" would match if it escaped
		f2("b", v, false)
		if v != "" {
			f2(v, "", false)
			f2("", v, false)
		}
	}
}

// TestODataValuesOverHTTP sends the filters through the server as a client
// would, URL-encoded: each value selects exactly the sign-ins whose appId it is.
func TestODataValuesOverHTTP(t *testing.T) {
	var recs []Record
	for i, v := range odataValues {
		r := testRecord(signin.Interactive, fmt.Sprintf("r%03d", i), testNow.Add(-time.Hour-time.Duration(i)*time.Second), i)
		r.AppID = v
		recs = append(recs, r)
	}
	e := newTestEnv(t, Options{Source: newFileSource(recs)})
	tok := e.token("contoso")
	for i, v := range odataValues {
		var want []string
		for _, r := range recs {
			if strings.EqualFold(r.AppID, v) {
				want = append(want, r.ID)
			}
		}
		filter := graph.And("createdDateTime ge 2026-01-13T00:00:00Z", graph.Eq("appId", v))
		got := idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta", "$filter", filter), tok)))
		if !slices.Equal(got, want) || !slices.Contains(got, recs[i].ID) {
			t.Fatalf("appId eq %q: served %q; want %q", v, got, want)
		}
	}
}

// FuzzODataLiteral: whatever the value, Eq and StartsWith keep it one literal.
// `go test` runs the seeds; `go test -fuzz FuzzODataLiteral` searches further.
func FuzzODataLiteral(f *testing.F) {
	for _, v := range odataValues {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v string) {
		checkEqTokens(t, v)
		checkStartsWithTokens(t, v)
	})
}
