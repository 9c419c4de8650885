package graphsim

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// filterRecords are tested against every valid filter; their values carry
// quotes, parentheses, OData keywords and non-ASCII letters on purpose.
var filterRecords = []Record{
	{ID: "r1", AppID: "app-a", UserID: "u-1", UserPrincipalName: "Ana@Contoso.example", AppDisplayName: "Azure Portal"},
	{ID: "r2", AppID: "x' or appId eq 'y", UserID: "u-1", UserPrincipalName: "bo@contoso.example", AppDisplayName: "Graph Explorer", ErrorCode: 50126},
	{ID: "r3", AppID: "app-(b)", UserID: "u-2", UserPrincipalName: "çé@contoso.example", AppDisplayName: "Azure DevOps", ErrorCode: 50126},
	{ID: "r4", AppID: "it's", UserID: "u-3", UserPrincipalName: "y", AppDisplayName: " and ", ErrorCode: -1},
}

func TestParseFilterValid(t *testing.T) {
	ts := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	f := func(text string, from, to time.Time, types []signin.LogType, wantIDs ...string) {
		t.Helper()
		got, err := parseFilter(text, true)
		if err != nil {
			t.Fatalf("parseFilter(%q): unexpected error %v", text, err)
		}
		if !got.from.Equal(from) || !got.to.Equal(to) {
			t.Fatalf("parseFilter(%q): got [%s, %s); want [%s, %s)", text, got.from, got.to, from, to)
		}
		var gotTypes []signin.LogType
		if got.typesGiven {
			gotTypes = got.types.list()
		}
		if !slices.Equal(gotTypes, types) {
			t.Fatalf("parseFilter(%q): got types %v; want %v", text, gotTypes, types)
		}
		var ids []string
		for i := range filterRecords {
			if got.match(&filterRecords[i]) {
				ids = append(ids, filterRecords[i].ID)
			}
		}
		if !slices.Equal(ids, wantIDs) {
			t.Fatalf("parseFilter(%q): matched %q; want %q", text, ids, wantIDs)
		}
	}
	var none time.Time
	all := []string{"r1", "r2", "r3", "r4"}
	h14, h15 := ts("2026-01-13T14:00:00Z"), ts("2026-01-13T15:00:00Z")

	f("createdDateTime ge 2026-01-13T14:00:00Z", h14, none, nil, all...)
	f("createdDateTime ge 2026-01-13T14:00:00Z and createdDateTime lt 2026-01-13T15:00:00Z", h14, h15, nil, all...)
	f("createdDateTime gt 2026-01-13T14:00:00.5Z and createdDateTime le 2026-01-13T15:00:00Z",
		ts("2026-01-13T14:00:00.500000001Z"), ts("2026-01-13T15:00:00.000000001Z"), nil, all...)
	f("createdDateTime eq 2026-01-13T14:00:00Z", h14, ts("2026-01-13T14:00:00.000000001Z"), nil, all...)
	f("createdDateTime ge 2026-01-13T13:00:00Z and createdDateTime ge 2026-01-13T14:00:00Z and createdDateTime lt 2026-01-13T16:00:00Z and createdDateTime lt 2026-01-13T15:00:00Z",
		h14, h15, nil, all...)
	f("createdDateTime ge 2026-01-13T15:00:00+01:00", h14, none, nil, all...)
	f("  ( createdDateTime ge 2026-01-13T14:00:00.1234567Z )\tand ((appId eq 'app-a'))  ", ts("2026-01-13T14:00:00.1234567Z"), none, nil, "r1")
	f("CreatedDateTime GE 2026-01-13T14:00:00Z AND AppId EQ 'APP-A'", h14, none, nil, "r1")

	f("signInEventTypes/any(t: t eq 'nonInteractiveUser')", none, none, []signin.LogType{signin.NonInteractive}, all...)
	f("signInEventTypes/any(x:x eq 'servicePrincipal')", none, none, []signin.LogType{signin.ServicePrincipal}, all...)
	f("signInEventTypes/any(t: t ne 'interactiveUser')", none, none,
		[]signin.LogType{signin.NonInteractive, signin.ServicePrincipal, signin.ManagedIdentity}, all...)
	f("signInEventTypes/any(t: t eq 'managedIdentity') and signInEventTypes/any(t: t eq 'interactiveUser')", none, none, []signin.LogType{}, all...)

	f("status/errorCode eq 50126", none, none, nil, "r2", "r3")
	f("status/errorCode eq -1", none, none, nil, "r4")
	f("id eq 'r1'", none, none, nil, "r1")
	f("userId eq 'u-2' and status/errorCode eq 50126", none, none, nil, "r3")
	f("startsWith(userPrincipalName,'ana@')", none, none, nil, "r1")
	f("startsWith(userPrincipalName, 'ÇÉ@')", none, none, nil, "r3")
	f("startsWith(appDisplayName, 'Azure')", none, none, nil, "r1", "r3")
	f("startsWith(appDisplayName,'')", none, none, nil, all...)

	// Values that look like syntax stay one literal.
	f("appId eq 'x'' or appId eq ''y'", none, none, nil, "r2")
	f("appId eq 'app-(b)'", none, none, nil, "r3")
	f("appId eq 'it''s'", none, none, nil, "r4")
	f("appDisplayName eq ' and '", none, none, nil, "r4")
	f("userPrincipalName eq 'y'", none, none, nil, "r4")
}

func TestParseFilterInvalid(t *testing.T) {
	f := func(text string, beta bool, want string) {
		t.Helper()
		_, err := parseFilter(text, beta)
		if err == nil {
			t.Fatalf("parseFilter(%q): no error; want %q", text, want)
		}
		if !errors.Is(err, ErrBadFilter) {
			t.Fatalf("parseFilter(%q): error %v does not wrap ErrBadFilter", text, err)
		}
		if err.Error() != want {
			t.Fatalf("parseFilter(%q):\n got %q\nwant %q", text, err.Error(), want)
		}
	}
	f("appId eq 'x' or appId eq 'y'", true, "invalid filter clause: operator 'or' is not supported at position 13")
	f("not startsWith(appDisplayName,'A')", true, "invalid filter clause: operator 'not' is not supported at position 0")
	f("appId ne 'x'", true, "invalid filter clause: operator 'ne' is not supported on 'appId'")
	f("createdDateTime ne 2026-01-13T14:00:00Z", true, "invalid filter clause: operator 'ne' is not supported on 'createdDateTime'")
	f("appId has 'x'", true, `invalid filter clause: unexpected "has" at position 6; want a comparison operator after appId`)
	f("location/city eq 'x'", true, "invalid filter clause: Could not find a property named 'location/city' on type 'microsoft.graph.signIn'")
	f("createdDateTime ge '2026-01-13T14:00:00Z'", true,
		`invalid filter clause: unexpected "2026-01-13T14:00:00Z" at position 19; want an unquoted date-time such as 2026-01-13T14:00:00Z`)
	f("createdDateTime ge 2026-01-13", true, `invalid filter clause: "2026-01-13" is not a date-time such as 2026-01-13T14:00:00Z`)
	f("appId eq 'unterminated", true, "invalid filter clause: unterminated string literal at position 9")
	f("appId eq x", true, `invalid filter clause: unexpected "x" at position 9; want a quoted string after appId eq`)
	f("status/errorCode eq 99999999999", true, `invalid filter clause: "99999999999" is not a 32-bit integer`)
	f("status/errorCode eq '50126'", true, `invalid filter clause: unexpected "50126" at position 20; want an integer after status/errorCode eq`)
	f("signInEventTypes/any(t: t eq 'nonInteractiveUser')", false,
		"invalid filter clause: Could not find a property named 'signInEventTypes' on type 'microsoft.graph.signIn'")
	f("signInEventTypes/any(t: s eq 'servicePrincipal')", true, `invalid filter clause: unexpected "s" at position 24; want the lambda variable t`)
	f("signInEventTypes/any(t: t eq 'bogus')", true, "invalid filter clause: 'bogus' is not a signInEventType")
	f("signInEventTypes/any(t: t eq 'servicePrincipal' or t eq 'managedIdentity')", true,
		"invalid filter clause: operator 'or' is not supported at position 48")
	f("(appId eq 'a'", true, "invalid filter clause: unexpected end of filter; want ')'")
	f("appId eq 'a')", true, `invalid filter clause: unexpected ")" at position 12; want 'and' or the end of the filter`)
	f("", true, "invalid filter clause: unexpected end of filter; want a property or function")
	f("appId eq 'a' and", true, "invalid filter clause: unexpected end of filter; want a property or function")
	f("startsWith(appId,'a')", true, "invalid filter clause: startsWith is not supported on 'appId'")
	f("appId eq 'a' & userId eq 'b'", true, `invalid filter clause: unexpected character '&' at position 13`)
}
