package graph

import (
	"net/url"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestQuote(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		if got := quote(in); got != want {
			t.Fatalf("unexpected quote(%q); got %s; want %s", in, got, want)
		}
	}
	f("", "''")
	f("Azure Portal", "'Azure Portal'")
	f("O'Neil", "'O''Neil'")
	f("''", "''''''")
	f("x' or 1 eq 1 or 'a' eq 'a", "'x'' or 1 eq 1 or ''a'' eq ''a'")
}

func TestFilterHelpers(t *testing.T) {
	f := func(got, want string) {
		t.Helper()
		if got != want {
			t.Fatalf("unexpected filter\ngot  %s\nwant %s", got, want)
		}
	}
	f(Eq("userPrincipalName", "ada.o'neil@fabrikam.example"), "userPrincipalName eq 'ada.o''neil@fabrikam.example'")
	f(Eq("appId", "x') or (true"), "appId eq 'x'') or (true'")
	f(StartsWith("appDisplayName", "Azure'"), "startsWith(appDisplayName,'Azure''')")
	f(And(Eq("a", "1"), StartsWith("b", "2")), "a eq '1' and startsWith(b,'2')")
	f(DateTime(time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC)), "2026-01-13T14:00:00Z")
	f(DateTime(time.Date(2026, 1, 13, 15, 0, 0, 0, time.FixedZone("CET", 3600))), "2026-01-13T14:00:00Z")
	f(DateTime(time.Date(2026, 1, 13, 14, 0, 0, 500_000_000, time.UTC)), "2026-01-13T14:00:00.5Z")
	f(DateTime(time.Date(2026, 1, 13, 14, 0, 0, 123_456_700, time.UTC)), "2026-01-13T14:00:00.1234567Z")
	from, to := time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC), time.Date(2026, 1, 13, 15, 0, 0, 0, time.UTC)
	f(WindowFilter(signin.ServicePrincipal, from, to),
		"createdDateTime ge 2026-01-13T14:00:00Z and createdDateTime lt 2026-01-13T15:00:00Z and signInEventTypes/any(t: t eq 'servicePrincipal')")
	f(WindowFilter(signin.Interactive, from, to),
		"createdDateTime ge 2026-01-13T14:00:00Z and createdDateTime lt 2026-01-13T15:00:00Z and signInEventTypes/any(t: t eq 'interactiveUser')")
}

// TestFilterSurvivesURL checks that an injection attempt arrives at Graph as the
// one literal it was built as: escaping for the URL must not undo the quoting.
func TestFilterSurvivesURL(t *testing.T) {
	filter := And(WindowFilter(signin.Interactive, winFrom, winTo), Eq("userPrincipalName", "a' or userId eq 'b&$top=1#"))
	c := &Client{base: "https://graph.microsoft.com"}
	u, err := url.Parse(c.signInsURL(filter, 10))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if q.Get("$filter") != filter || q.Get("$top") != "10" || len(q) != 2 {
		t.Fatalf("unexpected query %v", q)
	}
}
