package graph

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// OData $filter building. Every literal the client puts into a filter goes through
// quote, so a value such as "x' or 1 eq 1" stays one string literal. Property paths
// (prop) come from code, never from user input.

// quote renders s as an OData string literal: single quotes, inner quotes doubled.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Eq is `prop eq 'value'`.
func Eq(prop, value string) string { return prop + " eq " + quote(value) }

// StartsWith is `startsWith(prop,'value')`.
func StartsWith(prop, value string) string { return "startsWith(" + prop + "," + quote(value) + ")" }

// And joins terms with " and ".
func And(terms ...string) string { return strings.Join(terms, " and ") }

// DateTime renders t as Graph's unquoted date literal: RFC 3339 in UTC, with
// fractional seconds only when they are not zero (2026-01-13T14:00:00Z).
func DateTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// WindowFilter is the $filter for sign-ins of type t created in [from, to).
func WindowFilter(t signin.LogType, from, to time.Time) string {
	return windowFilter(t, from, "lt", to)
}

// windowFilter bounds createdDateTime from below (ge) and above with op: "lt" for a
// window, "le" when resuming at the last delivered sign-in.
func windowFilter(t signin.LogType, from time.Time, op string, upper time.Time) string {
	return And(
		"createdDateTime ge "+DateTime(from),
		"createdDateTime "+op+" "+DateTime(upper),
		"signInEventTypes/any(t: "+Eq("t", t.GraphEventType())+")",
	)
}

// signInsPath is beta's: v1.0 has interactive sign-ins only and no signInEventTypes.
const signInsPath = "/beta/auditLogs/signIns"

// signInsURL is the first-page URL for a filter; filter may be empty.
func (c *Client) signInsURL(filter string, top int) string {
	q := "?"
	if filter != "" {
		q += "$filter=" + escapeQuery(filter) + "&"
	}
	return c.base + signInsPath + q + "$top=" + strconv.Itoa(top)
}

// escapeQuery escapes a query value with %20 for spaces, which every OData server
// reads as a space ('+' is only a space by form-encoding convention).
func escapeQuery(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
