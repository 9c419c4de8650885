package kql

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// testTables is a catalog of two tables: SigninLogs with a dynamic column,
// and a workload table without user columns.
func testTables(table string) ([]ColumnDef, bool) {
	switch table {
	case "SigninLogs":
		return []ColumnDef{{"TimeGenerated", TypeDatetime}, {"Id", TypeString}, {"CreatedDateTime", TypeDatetime},
			{"UserId", TypeString}, {"DeviceDetail", TypeDynamic}, {"IsInteractive", TypeBool}}, true
	case "AADServicePrincipalSignInLogs":
		return []ColumnDef{{"TimeGenerated", TypeDatetime}, {"Id", TypeString}, {"CreatedDateTime", TypeDatetime}, {"AppId", TypeString}}, true
	}
	return nil, false
}

func plan(t *testing.T, query string) *Plan {
	t.Helper()
	q, err := Parse(query)
	if err != nil {
		t.Fatalf("parse %q: %v", query, err)
	}
	p, err := Check(q, testTables)
	if err != nil {
		t.Fatalf("check %q: %v", query, err)
	}
	return p
}

func TestContractQuery(t *testing.T) {
	got := plan(t, `SigninLogs
| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)
| summarize arg_max(TimeGenerated, *) by Id
| project Id, CreatedDateTime, TimeGenerated, UserId = column_ifexists("UserId", ""), DeviceDetail = column_ifexists("DeviceDetail", ""), UserType = column_ifexists("UserType", "")`)
	want := &Plan{
		Table: "SigninLogs",
		Created: Range{From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC),
			HasFrom: true, HasTo: true},
		Latest: true,
		Output: []Output{{"Id", TypeString, "Id"}, {"CreatedDateTime", TypeDatetime, "CreatedDateTime"}, {"TimeGenerated", TypeDatetime, "TimeGenerated"},
			{"UserId", TypeString, "UserId"}, {"DeviceDetail", TypeDynamic, "DeviceDetail"}, {"UserType", TypeString, ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plan\n%+v\nwant\n%+v", got, want)
	}
}

// TestLateRowQuery: the listing with a second where on the lag of a row,
// which the plugin sends to find the rows ingested after it read a window.
func TestLateRowQuery(t *testing.T) {
	got := plan(t, `SigninLogs
| where CreatedDateTime >= datetime(2026-12-06T00:00:00Z) and CreatedDateTime < datetime(2026-12-07T05:00:00Z)
| where datetime_diff('second', TimeGenerated, CreatedDateTime) > 1800
| summarize arg_max(TimeGenerated, *) by Id
| project Id, CreatedDateTime, TimeGenerated, UserId = column_ifexists("UserId", ""), UserType = column_ifexists("UserType", "")`)
	want := &Plan{
		Table: "SigninLogs",
		Created: Range{From: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC),
			HasFrom: true, HasTo: true},
		Lag:    Lag{Min: 1800, HasMin: true, Open: true},
		Latest: true,
		Output: []Output{{"Id", TypeString, "Id"}, {"CreatedDateTime", TypeDatetime, "CreatedDateTime"}, {"TimeGenerated", TypeDatetime, "TimeGenerated"},
			{"UserId", TypeString, "UserId"}, {"UserType", TypeString, ""}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plan\n%+v\nwant\n%+v", got, want)
	}
	// In the same where, with >=, and twice: the stricter bound holds.
	p := plan(t, `SigninLogs | where CreatedDateTime >= datetime(2026-12-06) and datetime_diff("Second", TimeGenerated, CreatedDateTime) >= 60 | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 59`)
	if want := (Lag{Min: 60, HasMin: true}); p.Lag != want || !p.Created.HasFrom {
		t.Errorf("lag %+v; want %+v", p.Lag, want)
	}
	p = plan(t, `SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) >= 60 | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 60`)
	if want := (Lag{Min: 60, HasMin: true, Open: true}); p.Lag != want {
		t.Errorf("lag %+v; want %+v", p.Lag, want)
	}
	created := time.Date(2026, 12, 6, 10, 0, 0, 900_000_000, time.UTC)
	for _, c := range []struct {
		lag      Lag
		ingested time.Time
		in       bool
	}{
		{Lag{}, created, true},
		{Lag{Min: 1800, HasMin: true, Open: true}, created.Add(1800 * time.Second), false},
		{Lag{Min: 1800, HasMin: true, Open: true}, created.Add(1800*time.Second + 100*time.Millisecond), true}, // crosses a second boundary
		{Lag{Min: 1800, HasMin: true}, created.Add(1800 * time.Second), true},
		{Lag{Min: 1800, HasMin: true}, created.Add(1800*time.Second - 901*time.Millisecond), false}, // 10:29:59.999
		{Lag{Min: 1800, HasMin: true}, created.Add(1800*time.Second - 900*time.Millisecond), true},  // 10:30:00, 1799.1s on
	} {
		if got := c.lag.Contains(c.ingested, created); got != c.in {
			t.Errorf("%+v.Contains(created + %s) = %v", c.lag, c.ingested.Sub(created), got)
		}
	}
}

// TestDiffSeconds holds DiffSeconds to Kusto's documented example and to
// whole seconds either side of zero.
func TestDiffSeconds(t *testing.T) {
	at := func(s string) time.Time {
		v, ok := parseDatetime(s)
		if !ok {
			t.Fatalf("datetime %q", s)
		}
		return v
	}
	for _, c := range []struct {
		a, b string
		want int64
	}{
		{"2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900", 10}, // learn.microsoft.com, datetime_diff()
		{"2017-10-30 23:00:00.900", "2017-10-30 23:00:10.100", -10},
		{"2026-12-06T10:30:00Z", "2026-12-06T10:00:00Z", 1800},
		{"2026-12-06T10:00:00.999Z", "2026-12-06T10:00:00Z", 0},
		{"1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00.5Z", -1},
	} {
		if got := DiffSeconds(at(c.a), at(c.b)); got != c.want {
			t.Errorf("DiffSeconds(%s, %s) = %d; want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestHealthQuery(t *testing.T) {
	got := plan(t, "AADServicePrincipalSignInLogs\n| summarize Rows = count(), Newest = max(TimeGenerated)")
	want := &Plan{
		Table:      "AADServicePrincipalSignInLogs",
		Aggregates: []Aggregate{{Func: "count"}, {Func: "max", Column: "TimeGenerated"}},
		Output:     []Output{{"Rows", TypeLong, ""}, {"Newest", TypeDatetime, "TimeGenerated"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plan\n%+v\nwant\n%+v", got, want)
	}
}

// TestPlanVariants covers the forms around the contract's: default names,
// no project, open and closed bounds, quoted datetimes, comments.
func TestPlanVariants(t *testing.T) {
	p := plan(t, "SigninLogs | summarize count(), min(CreatedDateTime);")
	if want := []Output{{"count_", TypeLong, ""}, {"min_CreatedDateTime", TypeDatetime, "CreatedDateTime"}}; !reflect.DeepEqual(p.Output, want) {
		t.Errorf("default names: %+v", p.Output)
	}
	p = plan(t, "AADServicePrincipalSignInLogs // all of it\n| summarize arg_max(TimeGenerated, *) by Id")
	if want := []Output{{"Id", TypeString, "Id"}, {"TimeGenerated", TypeDatetime, "TimeGenerated"}, {"CreatedDateTime", TypeDatetime, "CreatedDateTime"}, {"AppId", TypeString, "AppId"}}; !reflect.DeepEqual(p.Output, want) || !p.Latest {
		t.Errorf("arg_max without project: %+v", p.Output)
	}
	p = plan(t, `SigninLogs | where CreatedDateTime > datetime("2026-03-02 01:00:00") and CreatedDateTime <= datetime(2026-03-03) and CreatedDateTime >= datetime(2026-03-01)`)
	from, to := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	if want := (Range{From: from, To: to, HasFrom: true, HasTo: true, FromOpen: true, ToIncluded: true}); p.Created != want {
		t.Errorf("range %+v; want %+v", p.Created, want)
	}
	for tm, in := range map[time.Time]bool{from: false, from.Add(time.Nanosecond): true, to: true, to.Add(time.Nanosecond): false} {
		if p.Created.Contains(tm) != in {
			t.Errorf("Contains(%s) = %v", tm, !in)
		}
	}
	p = plan(t, `SigninLogs | where TimeGenerated >= datetime(2026-03-02) and TimeGenerated < datetime(2026-03-02T06:00:00Z) | project Id, CreatedDateTime = column_ifexists("CreatedDateTime", "")`)
	if want := (Range{From: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC), HasFrom: true, HasTo: true}); p.Ingested != want || p.Created != (Range{}) {
		t.Errorf("where on TimeGenerated: ingested %+v, created %+v", p.Ingested, p.Created)
	}
	if p = plan(t, "SigninLogs"); len(p.Output) != 6 || p.Latest || p.Created.HasFrom {
		t.Errorf("table alone: %+v", p)
	}
}

// TestRejected checks that each construct outside the subset gets the kind,
// code and message of its 400.
func TestRejected(t *testing.T) {
	f := func(query string, kind Kind, code, msg string) {
		t.Helper()
		q, err := Parse(query)
		if err == nil {
			_, err = Check(q, testTables)
		}
		var e *Error
		if !errors.As(err, &e) || e.Kind != kind || e.Code != code || e.Message != msg {
			t.Errorf("%q: %v; want %s %s %q", query, err, kind, code, msg)
		}
	}
	const syn, sem = SyntaxError, SemanticError
	// not Kusto, or not the subset's grammar
	f("SigninLogs | take 10", syn, CodeParse, "Query could not be parsed at 'take' on line [1,14]: expected where, summarize or project")
	f("SigninLogs\n| project-away UserId", syn, CodeParse, "Query could not be parsed at 'project-away' on line [2,3]: expected where, summarize or project")
	f("SigninLogs | where CreatedDateTime >= datetime(yesterday)", syn, CodeParse, "Query could not be parsed at 'datetime(yesterday)' on line [1,39]: expected a datetime literal such as datetime(2026-03-02T00:00:00Z)")
	f(`SigninLogs | project X = column_ifexists("X, "")`, syn, CodeParse, `Query could not be parsed at '")' on line [1,47]: expected the end of the string literal`)
	f("SigninLogs | where CreatedDateTime > (datetime(2026-01-01))", syn, CodeParse, "Query could not be parsed at '(' on line [1,38]: expected a column name, a function call or a literal")
	f("SigninLogs | where CreatedDateTime >= datetime(2026-01-01", syn, CodeParse, "Query could not be parsed at '<end of query>' on line [1,58]: expected ')' closing datetime(")
	f("SigninLogs | where é", syn, CodeParse, "Query could not be parsed at 'é' on line [1,20]: expected a name, a literal or an operator")
	f("SigninLogs # x", syn, CodeParse, "Query could not be parsed at '#' on line [1,12]: expected a name, a literal or an operator")
	f("| where x", syn, CodeParse, "Query could not be parsed at '|' on line [1,1]: expected a table name")
	f("SigninLogs | summarize count() by", syn, CodeParse, "Query could not be parsed at '<end of query>' on line [1,34]: expected a column name, a function call or a literal")
	// tables, columns and functions that do not exist
	f("AADManagedIdentitySignInLogs | where CreatedDateTime >= datetime(2026-01-01)", sem, CodeResolve, "'where' operator: Failed to resolve table or column expression named 'AADManagedIdentitySignInLogs'")
	f("signinlogs", sem, CodeResolve, "Failed to resolve table or column expression named 'signinlogs'")
	f("SigninLogs | where Created >= datetime(2026-01-01)", sem, CodeResolve, "'where' operator: Failed to resolve column or scalar expression named 'Created'")
	f("SigninLogs | project UserPrincipalName", sem, CodeResolve, "'project' operator: Failed to resolve scalar expression named 'UserPrincipalName'")
	f("AADServicePrincipalSignInLogs | project UserId", sem, CodeResolve, "'project' operator: Failed to resolve scalar expression named 'UserId'")
	f("SigninLogs | summarize arg_max(TimeGenerated, *) by UserKey", sem, CodeResolve, "'summarize' operator: Failed to resolve scalar expression named 'UserKey'")
	f("SigninLogs | summarize Rows = counts()", sem, CodeFunction, "'summarize' operator: Unknown function: 'counts'.")
	f(`SigninLogs | project X = column_exists("X", "")`, sem, CodeFunction, "'project' operator: Unknown function: 'column_exists'.")
	// valid Kusto the subset does not read
	f(`SigninLogs | where UserId == "u-1"`, sem, CodeUnsupported, "'where' operator: graphsim filters on CreatedDateTime and TimeGenerated only, not 'UserId'")
	f("SigninLogs | where CreatedDateTime >= ago(1d)", sem, CodeUnsupported, "'where' operator: graphsim does not read the function 'ago' here")
	f("SigninLogs | where CreatedDateTime == datetime(2026-01-01)", sem, CodeUnsupported, "'where' operator: graphsim compares CreatedDateTime with >=, >, < or <= only, not '=='")
	f("AADServicePrincipalSignInLogs | where CreatedOn >= datetime(2026-01-01)", sem, CodeResolve, "'where' operator: Failed to resolve column or scalar expression named 'CreatedOn'")
	f("SigninLogs | where CreatedDateTime < datetime(2026-01-02) or CreatedDateTime > datetime(2026-01-03)", sem, CodeUnsupported, "'where' operator: graphsim joins conditions with 'and' only")
	f("SigninLogs | where CreatedDateTime", sem, CodeUnsupported, "'where' operator: graphsim reads comparisons only, not 'CreatedDateTime'")
	f("SigninLogs | summarize arg_max(TimeGenerated, *) by Id | where CreatedDateTime > datetime(2026-01-01)", sem, CodeUnsupported, "'where' operator: graphsim compares string columns only, not 'CreatedDateTime' (datetime)")
	// datetime_diff outside the one form the late-row query sends
	const lagForm = "datetime_diff('second', TimeGenerated, CreatedDateTime) > N (or >= N)"
	f("SigninLogs | where datetime_diff('minute', TimeGenerated, CreatedDateTime) > 30", sem, CodeUnsupported,
		"'where' operator: graphsim reads "+lagForm+` only, not datetime_diff("minute", TimeGenerated, CreatedDateTime)`)
	f("SigninLogs | where datetime_diff('second', CreatedDateTime, TimeGenerated) > 30", sem, CodeUnsupported,
		"'where' operator: graphsim reads "+lagForm+` only, not datetime_diff("second", CreatedDateTime, TimeGenerated)`)
	f("SigninLogs | where datetime_diff('second', TimeGenerated, datetime(2026-01-01)) > 30", sem, CodeUnsupported,
		"'where' operator: graphsim reads "+lagForm+` only, not datetime_diff("second", TimeGenerated, datetime(2026-01-01T00:00:00Z))`)
	f("SigninLogs | where datetime_diff('second', TimeGenerated) > 30", sem, CodeUnsupported,
		"'where' operator: graphsim reads "+lagForm+" only, not datetime_diff with these arguments")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, Created) > 30", sem, CodeResolve,
		"'where' operator: Failed to resolve column or scalar expression named 'Created'")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) < 30", sem, CodeUnsupported,
		"'where' operator: graphsim compares datetime_diff with > or >= only, not '<'")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) == 30", sem, CodeUnsupported,
		"'where' operator: graphsim compares datetime_diff with > or >= only, not '=='")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 30m", sem, CodeUnsupported,
		"'where' operator: graphsim compares datetime_diff with a whole number of seconds only, not '30m'")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 1.5", sem, CodeUnsupported,
		"'where' operator: graphsim compares datetime_diff with a whole number of seconds only, not '1.5'")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) > UserId", sem, CodeUnsupported,
		"'where' operator: graphsim compares datetime_diff with a whole number of seconds only, not 'UserId'")
	f("SigninLogs | where 30 < datetime_diff('second', TimeGenerated, CreatedDateTime)", sem, CodeUnsupported,
		"'where' operator: graphsim does not read '30' here")
	f("SigninLogs | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 30 or CreatedDateTime > datetime(2026-01-01)", sem, CodeUnsupported,
		"'where' operator: graphsim joins conditions with 'and' only")
	f("SigninLogs | summarize arg_max(TimeGenerated, *) by Id | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 30", sem, CodeUnsupported,
		"'where' operator: graphsim does not read the function 'datetime_diff' here")
	f("SigninLogs | project Id, X = datetime_diff('second', TimeGenerated, CreatedDateTime)", sem, CodeUnsupported,
		"'project' operator: graphsim does not read the function 'datetime_diff' here")
	f("SigninLogs | summarize count() | where datetime_diff('second', TimeGenerated, CreatedDateTime) > 30", sem, CodeUnsupported,
		"'where' operator: graphsim reads where, summarize and project only in that order, summarize and project at most once")
	f("SigninLogs | project Id | project Id", sem, CodeUnsupported, "'project' operator: graphsim reads where, summarize and project only in that order, summarize and project at most once")
	f("SigninLogs | summarize arg_max(CreatedDateTime, *) by Id", sem, CodeUnsupported, "'summarize' operator: graphsim reads arg_max(TimeGenerated, *) only, not arg_max with these arguments")
	f("SigninLogs | summarize count() by Id", sem, CodeUnsupported, "'summarize' operator: graphsim does not read the function 'count' here")
	f("SigninLogs | summarize arg_max(TimeGenerated, *) by Id, UserId", sem, CodeUnsupported, "'summarize' operator: graphsim reads 'summarize arg_max(TimeGenerated, *) by Id' only, when grouping")
	f("SigninLogs | summarize dcount(UserId)", sem, CodeUnsupported, "'summarize' operator: graphsim does not read the function 'dcount' here")
	f("SigninLogs | summarize max(UserId)", sem, CodeUnsupported, "'summarize' operator: graphsim aggregates datetime columns only, not 'UserId' (string)")
	f("SigninLogs | summarize n = count(), n = max(TimeGenerated)", sem, CodeUnsupported, "'summarize' operator: the column 'n' is produced twice")
	f("SigninLogs | summarize count() | project count_", sem, CodeUnsupported, "'project' operator: graphsim does not project the columns of an aggregation")
	f(`SigninLogs | project UserId = column_ifexists("AppId", "")`, sem, CodeUnsupported, `'project' operator: graphsim reads UserId = column_ifexists("UserId", "") only`)
	f(`SigninLogs | project UserId = column_ifexists("UserId", "-")`, sem, CodeUnsupported, `'project' operator: graphsim reads UserId = column_ifexists("UserId", "") only`)
	f(`SigninLogs | project UserKey = UserId`, sem, CodeUnsupported, `'project' operator: graphsim does not rename columns ('UserKey = UserId')`)
	f(`SigninLogs | project Id, Id`, sem, CodeUnsupported, `'project' operator: the column 'Id' is produced twice`)
	f(`SigninLogs | project tolower(UserId)`, sem, CodeUnsupported, `'project' operator: graphsim does not read the function 'tolower' here`)
}

func TestErrorPosition(t *testing.T) {
	_, err := Parse("SigninLogs\n| where CreatedDateTime >= datetime(2026-01-01)\n| top 5 by Id")
	want := &Error{Kind: SyntaxError, Code: CodeParse, Line: 3, Pos: 3, Token: "top",
		Message: "Query could not be parsed at 'top' on line [3,3]: expected where, summarize or project"}
	if !reflect.DeepEqual(err, want) {
		t.Fatalf("%#v; want %#v", err, want)
	}
	if err.Error() != "kql: SyntaxError: "+want.Message {
		t.Fatalf("Error() = %q", err.Error())
	}
}
