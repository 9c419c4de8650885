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

// TestSuccessAfterFailure: 1 for a group whose latest success came after its
// earliest failure in the range, whatever the order the sign-ins are read
// in; an interruption is neither; "other" folds its groups' times.
func TestSuccessAfterFailure(t *testing.T) {
	day := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	at := func(m int) time.Time { return day.Add(time.Duration(m) * time.Minute) }
	events := sliceReader{
		{ID: "1", Created: at(1), UserID: "guessed", ErrorCode: 50126},
		{ID: "2", Created: at(2), UserID: "guessed", ErrorCode: 50126},
		{ID: "3", Created: at(3), UserID: "guessed"},
		{ID: "4", Created: at(1), UserID: "fine-then-failed"},
		{ID: "5", Created: at(4), UserID: "fine-then-failed", ErrorCode: 50126},
		{ID: "6", Created: at(2), UserID: "failed-then-interrupted", ErrorCode: 500121},
		{ID: "7", Created: at(5), UserID: "failed-then-interrupted", ErrorCode: 50074},
		{ID: "8", Created: at(6), UserID: "before-the-range", ErrorCode: 50126},
		{ID: "9", Created: at(7), UserID: "before-the-range"},
	}
	rng := Range{From: day, To: day.Add(time.Hour), Interval: time.Minute}
	res := runList(t, `{"format":"table","metric":"successAfterFailure","groupBy":["userId"],"limit":10}`, events, rng)
	want := "before-the-range=1 guessed=1 failed-then-interrupted=0 fine-then-failed=0"
	if got := tableText(res); got != want {
		t.Fatalf("unexpected rows\ngot  %s\nwant %s", got, want)
	}
	// The failure at minute 6 before the range: the success after it has no failure before it.
	res = runList(t, `{"format":"table","metric":"successAfterFailure","groupBy":["userId"],"filters":[{"key":"userId","op":"=","value":"before-the-range"}]}`,
		events, Range{From: at(6).Add(time.Second), To: day.Add(time.Hour), Interval: time.Minute})
	if got := tableText(res); got != "before-the-range=0" {
		t.Fatalf("a failure before the range counted: %s", got)
	}
	if _, err := Parse([]byte(`{"format":"timeSeries","metric":"successAfterFailure"}`)); err == nil || !strings.Contains(err.Error(), "format table") {
		t.Fatalf("unexpected error %v for successAfterFailure in a time series", err)
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
