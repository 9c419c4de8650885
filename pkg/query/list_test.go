package query

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// listEvents are four sign-ins with zero, one and two authentication
// methods; ann's two sign-ins both used a password.
func listEvents(day time.Time) sliceReader {
	methods := func(m ...string) string { return signin.JoinList(m) }
	return sliceReader{
		{ID: "1", Created: day.Add(1 * time.Minute), UserID: "ann", AuthMethods: methods("Password", "Mobile app notification")},
		{ID: "2", Created: day.Add(2 * time.Minute), UserID: "ann", AuthMethods: methods("Password"), ErrorCode: 50126},
		{ID: "3", Created: day.Add(3 * time.Minute), UserID: "bob", AuthMethods: methods("FIDO2 security key", "Mobile app notification")},
		{ID: "4", Created: day.Add(4 * time.Minute), UserID: "cy"},
	}
}

func runList(t *testing.T, raw string, r sliceReader, rng Range) Result {
	t.Helper()
	q, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.engine().Run(context.Background(), q, rng)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func tableText(res Result) string {
	var rows []string
	for _, row := range res.Table.Rows {
		rows = append(rows, fmt.Sprintf("%s=%s", strings.Join(row.Labels, "/"), strconv.FormatFloat(row.Value, 'f', -1, 64)))
	}
	return strings.Join(rows, " ")
}

func TestListDimensionGroupsAndFilters(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	events := listEvents(day)
	rng := Range{From: day, To: day.Add(time.Hour), Interval: time.Minute}
	f := func(raw, want string, notices int) {
		t.Helper()
		res := runList(t, raw, events, rng)
		if got := tableText(res); got != want {
			t.Fatalf("%s: unexpected rows\ngot  %s\nwant %s", raw, got, want)
		}
		if len(res.Notices) != notices {
			t.Fatalf("%s: unexpected notices %q; want %d", raw, res.Notices, notices)
		}
	}
	// Each sign-in counts once per method; distinct users stay exact per group.
	f(`{"format":"table","metric":"count","groupBy":["authMethod"]}`,
		"Mobile app notification=2 Password=2 (empty)=1 FIDO2 security key=1", 1)
	f(`{"format":"table","metric":"distinctUsers","groupBy":["authMethod"]}`,
		"Mobile app notification=2 (empty)=1 FIDO2 security key=1 Password=1", 1)
	f(`{"format":"table","metric":"failures","groupBy":["authMethod","userId"]}`,
		"Password/ann=1 (empty)/cy=0 FIDO2 security key/bob=0 Mobile app notification/ann=0 Mobile app notification/bob=0", 1)
	// Without groupBy a sign-in counts once.
	f(`{"format":"table","metric":"count"}`, "=4", 0)
	// Filters: "=" when one value is it, "!=" when none is; (empty) selects no methods.
	f(`{"format":"table","metric":"count","filters":[{"key":"authMethod","op":"=","value":"Password"}]}`, "=2", 0)
	f(`{"format":"table","metric":"count","filters":[{"key":"authMethod","op":"!=","value":"Password"}]}`, "=2", 0)
	f(`{"format":"table","metric":"count","filters":[{"key":"authMethod","op":"!~","value":"Password|FIDO2.*"}]}`, "=1", 0)
	f(`{"format":"table","metric":"count","filters":[{"key":"authMethod","op":"=","value":"(empty)"}]}`, "=1", 0)
	f(`{"format":"table","metric":"count","filters":[{"key":"authMethod","op":"in","value":["FIDO2 security key","(empty)"]}]}`, "=2", 0)
	f(`{"format":"table","metric":"count","filters":[{"key":"authMethod","op":"startsWith","value":"Mob"}],"groupBy":["userId"]}`, "ann=1 bob=1", 0)
}

func TestListDimensionValues(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	q, _ := Parse([]byte(`{"format":"table","limit":10}`))
	res, err := listEvents(day).engine().Values(context.Background(), q, Range{From: day, To: day.Add(time.Hour)}, signin.DimAuthMethod, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(res.Values), "[{Mobile app notification 2} {Password 2} {(empty) 1} {FIDO2 security key 1}]"; got != want {
		t.Fatalf("unexpected values %s; want %s", got, want)
	}
}

func TestFirstSignIn(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	rng := Range{From: day.Add(90 * time.Second), To: day.Add(time.Hour), Interval: time.Minute}
	ms := func(m int) string { return fmt.Sprint(day.Add(time.Duration(m) * time.Minute).UnixMilli()) }
	// The first sign-in in the range (ann's at minute 1 is before it), per
	// method too; the most recently first seen first.
	res := runList(t, `{"format":"table","metric":"firstSignIn","groupBy":["authMethod"]}`, listEvents(day), rng)
	want := "(empty)=" + ms(4) + " FIDO2 security key=" + ms(3) + " Mobile app notification=" + ms(3) + " Password=" + ms(2)
	if got := tableText(res); got != want {
		t.Fatalf("unexpected rows\ngot  %s\nwant %s", got, want)
	}
	// "other" is the earliest of the groups it folds.
	res = runList(t, `{"format":"table","metric":"firstSignIn","groupBy":["userId"],"limit":1}`, listEvents(day), rng)
	if got, want := tableText(res), "cy="+ms(4)+" other="+ms(2); got != want {
		t.Fatalf("unexpected rows %s; want %s", got, want)
	}
	if _, err := Parse([]byte(`{"format":"timeSeries","metric":"firstSignIn"}`)); err == nil || !strings.Contains(err.Error(), "format table") {
		t.Fatalf("unexpected error %v for firstSignIn in a time series", err)
	}
}

func TestLastSignIn(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	rng := Range{From: day, To: day.Add(time.Hour), Interval: time.Minute}
	ms := func(m int) string { return fmt.Sprint(day.Add(time.Duration(m) * time.Minute).UnixMilli()) }
	// Latest first; per method too, each sign-in in each of its groups.
	res := runList(t, `{"format":"table","metric":"lastSignIn","groupBy":["authMethod"]}`, listEvents(day), rng)
	want := "(empty)=" + ms(4) + " FIDO2 security key=" + ms(3) + " Mobile app notification=" + ms(3) + " Password=" + ms(2)
	if got := tableText(res); got != want {
		t.Fatalf("unexpected rows\ngot  %s\nwant %s", got, want)
	}
	// "other" is the latest of the groups it folds.
	res = runList(t, `{"format":"table","metric":"lastSignIn","groupBy":["userId"],"limit":1}`, listEvents(day), rng)
	if got, want := tableText(res), "cy="+ms(4)+" other="+ms(3); got != want {
		t.Fatalf("unexpected rows %s; want %s", got, want)
	}
	if _, err := Parse([]byte(`{"format":"timeSeries","metric":"lastSignIn"}`)); err == nil || !strings.Contains(err.Error(), "format table") {
		t.Fatalf("unexpected error %v for lastSignIn in a time series", err)
	}
}
