package graphsim

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The revision fixtures: non-interactive sign-ins on 2026-12-06, every three
// seconds from 10:00, "ord-<i>", none at risk (some re-emitted within
// minutes, as the ingestion model has it); and two sign-ins at risk at 10:30,
// remediated three hours later: revPlain, which the model does not re-emit,
// and revReemitted, which it does.
var (
	revDay     = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	revCreated = revDay.Add(10*time.Hour + 30*time.Minute)
	revAt      = revCreated.Add(3 * time.Hour)
)

// revisionJSON is a sign-in's Graph object with a risk state and detail.
func revisionJSON(id string, created time.Time, state, detail string) []byte {
	raw, _ := json.Marshal(map[string]any{
		"id": id, "createdDateTime": created.Format(time.RFC3339Nano), "appId": "app-a", "userId": "u-1",
		"userPrincipalName": "ana@contoso.example", "signInEventTypes": []string{"nonInteractiveUser"},
		"riskState": state, "riskDetail": detail, "riskLevelAggregated": "medium", "status": map[string]any{"errorCode": 0},
	})
	return raw
}

// revisedRecord is a sign-in at risk at created, remediated by a secured
// password reset at at: the way a test builds a Record with a Revision.
func revisedRecord(t *testing.T, id string, created, at time.Time) Record {
	t.Helper()
	lt := signin.NonInteractive
	rec, err := parseRecord(revisionJSON(id, created, "atRisk", "none"), &lt)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Revise(at, revisionJSON(id, created, "remediated", "userPerformedSecuredPasswordReset")); err != nil {
		t.Fatal(err)
	}
	return rec
}

// reemittedID returns the first id "<prefix><n>" the ingestion model
// re-emits (or, reemitted false, does not).
func reemittedID(prefix string, reemitted bool) string {
	for n := 0; ; n++ {
		id := fmt.Sprintf("%s%d", prefix, n)
		if len(versionsOf(&Record{ID: id}, true, 0)) == 2 == reemitted {
			return id
		}
	}
}

var (
	revPlain     = reemittedID("rev-plain-", false)
	revReemitted = reemittedID("rev-reemitted-", true)
)

// revisionSource holds the fixtures.
func revisionSource(t *testing.T) Source {
	t.Helper()
	lt := signin.NonInteractive
	var recs []Record
	for i := range 2000 {
		id := fmt.Sprintf("ord-%d", i)
		rec, err := parseRecord(revisionJSON(id, revDay.Add(10*time.Hour+time.Duration(3*i)*time.Second), "none", "none"), &lt)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	return newFileSource(append(recs, revisedRecord(t, revPlain, revCreated, revAt), revisedRecord(t, revReemitted, revCreated, revAt)))
}

func TestRecordAsOf(t *testing.T) {
	rec := revisedRecord(t, "r-1", revCreated, revAt)
	if rec.RiskState != "atRisk" || rec.Revision.RiskState != "remediated" || !rec.Revision.At.Equal(revAt) {
		t.Fatalf("record %q, revision %+v", rec.RiskState, rec.Revision)
	}
	before, after := rec.AsOf(revAt.Add(-time.Nanosecond)), rec.AsOf(revAt)
	if string(before.JSON) != string(rec.JSON) || before.RiskState != "atRisk" || before.Revision != nil {
		t.Errorf("before the revision: %s %q %v", before.JSON, before.RiskState, before.Revision)
	}
	if string(after.JSON) != string(rec.Revision.JSON) || after.RiskState != "remediated" || after.Revision != nil ||
		after.ID != rec.ID || !after.Created.Equal(rec.Created) {
		t.Errorf("from the revision on: %s %q %v", after.JSON, after.RiskState, after.Revision)
	}
	if rec.servedAt(revAt.Add(-time.Nanosecond)) != &rec {
		t.Error("servedAt copied a record no revision changes yet")
	}
}

// TestReviseRefusesOtherChanges: a revision changes the risk, nothing a
// $filter tests besides.
func TestReviseRefusesOtherChanges(t *testing.T) {
	rec := revisedRecord(t, "r-1", revCreated, revAt)
	for name, raw := range map[string][]byte{
		"another id":     revisionJSON("r-2", revCreated, "remediated", "none"),
		"another time":   revisionJSON("r-1", revCreated.Add(time.Second), "remediated", "none"),
		"another app":    []byte(strings.Replace(string(revisionJSON("r-1", revCreated, "dismissed", "none")), `"app-a"`, `"app-b"`, 1)),
		"not an object":  []byte(`[1]`),
		"no id":          []byte(`{"createdDateTime":"2026-12-06T10:30:00Z"}`),
		"a failure now":  []byte(strings.Replace(string(revisionJSON("r-1", revCreated, "dismissed", "none")), `"errorCode":0`, `"errorCode":50126`, 1)),
		"another person": []byte(strings.Replace(string(revisionJSON("r-1", revCreated, "dismissed", "none")), `"u-1"`, `"u-2"`, 1)),
	} {
		if err := rec.Revise(revAt, raw); !errors.Is(err, ErrBadRecord) {
			t.Errorf("%s: %v; want ErrBadRecord", name, err)
		}
	}
}

// TestParseRecordRiskState: riskState is read from any export, "" without one.
func TestParseRecordRiskState(t *testing.T) {
	for raw, want := range map[string]string{
		`{"id":"a","createdDateTime":"2026-12-06T10:00:00Z","riskState":"atRisk"}`: "atRisk",
		`{"id":"a","createdDateTime":"2026-12-06T10:00:00Z","riskState":null}`:     "",
		`{"id":"a","createdDateTime":"2026-12-06T10:00:00Z","riskState":3}`:        "3",
		`{"id":"a","createdDateTime":"2026-12-06T10:00:00Z"}`:                      "",
	} {
		rec, err := parseRecord([]byte(raw), nil)
		if err != nil || rec.RiskState != want {
			t.Errorf("%s: %q, %v; want %q", raw, rec.RiskState, err, want)
		}
	}
}

// revisionFilter is the $filter of the fixtures' day, non-interactive, and
// more clauses.
func revisionFilter(more string) string {
	f := "createdDateTime ge 2026-12-06T00:00:00Z and createdDateTime lt 2026-12-07T00:00:00Z and signInEventTypes/any(t: t eq 'nonInteractiveUser')"
	if more != "" {
		f += " and " + more
	}
	return f
}

// TestGraphServesRevisionFromItsTime: before the revision Graph serves the
// first version and riskState eq tests it; from Revision.At on, the revised one.
func TestGraphServesRevisionFromItsTime(t *testing.T) {
	e := newTestEnv(t, Options{Source: revisionSource(t)})
	var tok string
	served := func(filter string) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, raw := range rawRecords(e.allPages(signInsURL("beta", "$filter", revisionFilter(filter), "$top", "500"), tok)) {
			var r struct{ ID, RiskState, RiskDetail string }
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			out[r.ID] = r.RiskState + "/" + r.RiskDetail
		}
		return out
	}
	revised := map[string]string{revPlain: "remediated/userPerformedSecuredPasswordReset", revReemitted: "remediated/userPerformedSecuredPasswordReset"}
	atRisk := map[string]string{revPlain: "atRisk/none", revReemitted: "atRisk/none"}

	tok = e.at(revAt.Add(-time.Nanosecond))
	if all := served(""); len(all) != 2002 || all[revPlain] != atRisk[revPlain] || all[revReemitted] != atRisk[revReemitted] {
		t.Fatalf("before the revision: %d sign-ins, %s and %s", len(all), all[revPlain], all[revReemitted])
	}
	checkServed(t, "before, riskState eq 'atRisk'", served("riskState eq 'atRisk'"), atRisk)
	checkServed(t, "before, riskState eq 'remediated'", served("riskState eq 'remediated'"), map[string]string{})
	if n := len(served("riskState eq 'none'")); n != 2000 {
		t.Errorf("before, riskState eq 'none': %d sign-ins; want 2000", n)
	}

	tok = e.at(revAt)
	if all := served(""); len(all) != 2002 || all[revPlain] != revised[revPlain] || all[revReemitted] != revised[revReemitted] {
		t.Fatalf("from the revision on: %d sign-ins, %s and %s", len(all), all[revPlain], all[revReemitted])
	}
	checkServed(t, "after, riskState eq 'atRisk'", served("riskState eq 'atRisk'"), map[string]string{})
	checkServed(t, "after, RISKSTATE EQ 'Remediated'", served("RISKSTATE EQ 'Remediated'"), revised)
	checkServed(t, "after, riskState eq 'remediated' and userId eq 'u-1'", served("riskState eq 'remediated' and userId eq 'u-1'"), revised)
}

func checkServed(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s: %v; want %v", what, got, want)
	}
}

// TestGraphPagingAcrossRevision: a revision between two pages changes the
// record the next page serves, never which records come or their order.
func TestGraphPagingAcrossRevision(t *testing.T) {
	e := newTestEnv(t, Options{Source: revisionSource(t)})
	tok := e.at(revAt.Add(-time.Minute))
	next := signInsURL("beta", "$filter", revisionFilter(""), "$top", "1000")
	first := e.getPage(next, tok)
	tok = e.at(revAt)
	var raws [][]byte
	for _, v := range first.Value {
		raws = append(raws, v)
	}
	raws = append(raws, rawRecords(e.allPages(first.NextLink, tok))...)
	ids := idsOfRaw(t, raws)
	want := recordIDs(truth(t, e.src, revDay, revDay.Add(24*time.Hour), signin.NonInteractive))
	if !slices.Equal(ids, want) {
		t.Fatalf("paged %d ids across the revision; want the %d of the source in order", len(ids), len(want))
	}
	for _, raw := range raws[1000:] {
		if strings.Contains(string(raw), `"id":"rev-`) && !strings.Contains(string(raw), `"remediated"`) {
			t.Errorf("served after the revision: %s", raw)
		}
	}
}

// TestRiskStateFilterErrors: riskState takes eq and a member of the enumeration.
func TestRiskStateFilterErrors(t *testing.T) {
	for filter, want := range map[string]string{
		"riskState ne 'atRisk'":                        "invalid filter clause: operator 'ne' is not supported on 'riskState'",
		"riskState eq 'risky'":                         "invalid filter clause: 'risky' is not a riskState",
		"riskState eq atRisk":                          `invalid filter clause: unexpected "atRisk" at position 13; want a quoted string after riskState eq`,
		"riskState eq 'atRisk' or riskState eq 'none'": "invalid filter clause: operator 'or' is not supported at position 22",
	} {
		_, err := parseFilter(filter, true)
		if err == nil || !errors.Is(err, ErrBadFilter) || err.Error() != want {
			t.Errorf("%q: %v; want %q", filter, err, want)
		}
	}
}

// revisionRows lists the rows a query answers at the clock's now (over the
// timespan, if one is given), as Id -> RiskState per row, in row order.
func revisionRows(e *testEnv, tok, query string, timespan ...string) map[string][]string {
	e.t.Helper()
	a := e.laQuery(tok, query, strings.Join(timespan, ""))
	out := map[string][]string{}
	for i := range a.Tables[0].Rows {
		row := a.row(i)
		var id, state string
		_ = json.Unmarshal([]byte(row["Id"]), &id)
		_ = json.Unmarshal([]byte(row["RiskState"]), &state)
		out[id] = append(out[id], state)
	}
	return out
}

const revisionWhere = "AADNonInteractiveUserSignInLogs\n| where CreatedDateTime >= datetime(2026-12-06T00:00:00Z) and CreatedDateTime < datetime(2026-12-07T05:00:00Z)\n"

// lateRowQuery is the plugin's query for the rows ingested late.
const lateRowQuery = revisionWhere + "| where datetime_diff('second', TimeGenerated, CreatedDateTime) > 1800\n" +
	"| summarize arg_max(TimeGenerated, *) by Id\n" +
	"| project Id, CreatedDateTime, TimeGenerated, RiskState = column_ifexists(\"RiskState\", \"\"), RiskDetail = column_ifexists(\"RiskDetail\", \"\")"

// TestWorkspaceRevisionRow: a revised sign-in has one more row, ingested
// after the revision as the sign-in was after it happened, carrying the
// revised version; arg_max by Id returns it.
func TestWorkspaceRevisionRow(t *testing.T) {
	src := revisionSource(t)
	e := newWorkspaceEnv(t, Options{Source: src})
	var tok string
	recs, _ := src.Hour(signin.NonInteractive, revCreated.Truncate(time.Hour))
	i := slices.IndexFunc(recs, func(r Record) bool { return r.ID == revPlain })
	v := versionsOf(&recs[i], true, 0)
	delay := v[0].ingested.Sub(revCreated)
	if len(v) != 2 || !v[1].revised || !v[1].ingested.Equal(revAt.Add(delay)) || v[0].revised {
		t.Fatalf("rows of %s: %+v; want the first and the revision's, %s after it", revPlain, v, delay)
	}
	i = slices.IndexFunc(recs, func(r Record) bool { return r.ID == revReemitted })
	delay = min(delay, versionsOf(&recs[i], true, 0)[0].ingested.Sub(revCreated))
	allRows := revisionWhere + "| project Id, TimeGenerated, RiskState"
	latest := revisionWhere + "| summarize arg_max(TimeGenerated, *) by Id\n| project Id, TimeGenerated, RiskState = column_ifexists(\"RiskState\", \"\")"

	tok = e.at(revAt.Add(delay - time.Nanosecond)) // revised, neither revision ingested
	rows := revisionRows(e, tok, allRows)
	if fmt.Sprint(rows[revPlain], rows[revReemitted]) != "[atRisk] [none atRisk]" {
		t.Fatalf("before the revision's row: %v and %v", rows[revPlain], rows[revReemitted])
	}
	if got := revisionRows(e, tok, latest); fmt.Sprint(got[revPlain], got[revReemitted]) != "[atRisk] [atRisk]" || len(got) != 2002 {
		t.Fatalf("arg_max before the revision's row: %d sign-ins, %v and %v", len(got), got[revPlain], got[revReemitted])
	}

	tok = e.at(revAt.Add(10 * time.Minute)) // both revisions ingested
	rows = revisionRows(e, tok, allRows)
	if fmt.Sprint(rows[revPlain], rows[revReemitted]) != "[atRisk remediated] [none atRisk remediated]" {
		t.Fatalf("after the revision's row: %v and %v", rows[revPlain], rows[revReemitted])
	}
	got := e.laQuery(tok, latest+", RiskDetail = column_ifexists(\"RiskDetail\", \"\")", "")
	n := 0
	for i := range got.Tables[0].Rows {
		if row := got.row(i); strings.HasPrefix(row["Id"], `"rev-`) {
			n++
			checkCells(t, "arg_max of "+row["Id"], row, map[string]string{"RiskState": `"remediated"`, "RiskDetail": `"userPerformedSecuredPasswordReset"`})
		}
	}
	if n != 2 || len(got.Tables[0].Rows) != 2002 {
		t.Fatalf("arg_max after the revision: %d rows, %d revised; want 2002 and 2", len(got.Tables[0].Rows), n)
	}
}

// TestWorkspaceRevisionRowTimespan: a timespan that starts long after the
// sign-in still holds its revision's row, when the query bounds
// CreatedDateTime; it does not hold the first rows.
func TestWorkspaceRevisionRowTimespan(t *testing.T) {
	e := newWorkspaceEnv(t, Options{Source: revisionSource(t)})
	tok := e.at(revDay.Add(24 * time.Hour))
	rows := revisionRows(e, tok, revisionWhere+"| project Id, TimeGenerated, RiskState", "2026-12-06T12:00:00Z/2026-12-06T23:00:00Z")
	if got := fmt.Sprint(rows[revPlain], rows[revReemitted]); got != "[remediated] [remediated]" {
		t.Fatalf("rows ingested 12:00-23:00: %s", got)
	}
}

// TestLateRowQuery: the plugin's late-row query returns the revised sign-ins
// only once their revision's row is in, and never the sign-ins re-emitted
// within the ingestion allowance.
func TestLateRowQuery(t *testing.T) {
	src := revisionSource(t)
	e := newWorkspaceEnv(t, Options{Source: src})
	var tok string

	tok = e.at(revAt) // re-emissions in, revisions not
	if a := e.laQuery(tok, lateRowQuery, ""); len(a.Tables[0].Rows) != 0 {
		t.Fatalf("before the revisions' rows: %d rows", len(a.Tables[0].Rows))
	}
	// Some ordinary sign-ins were re-emitted; none of them comes late.
	reemitted := 0
	for id, states := range revisionRows(e, tok, revisionWhere+"| project Id, RiskState") {
		if len(states) == 2 && strings.HasPrefix(id, "ord-") {
			reemitted++
		}
	}
	if reemitted < 50 {
		t.Fatalf("%d ordinary sign-ins re-emitted; the fixtures want about 100", reemitted)
	}

	tok = e.at(revAt.Add(10 * time.Minute))
	a := e.laQuery(tok, lateRowQuery, "")
	if cols := a.columns(); cols != "Id:string,CreatedDateTime:datetime,TimeGenerated:datetime,RiskState:string,RiskDetail:string" {
		t.Fatalf("columns %s", cols)
	}
	if got := fmt.Sprint(a.cells("Id"), a.cells("RiskState"), a.cells("RiskDetail")); got != fmt.Sprintf(
		`["%s" "%s"] ["remediated" "remediated"] ["userPerformedSecuredPasswordReset" "userPerformedSecuredPasswordReset"]`, min(revPlain, revReemitted), max(revPlain, revReemitted)) {
		t.Fatalf("late rows: %s", got)
	}
	for i := range a.Tables[0].Rows {
		var created, generated time.Time
		row := a.row(i)
		_ = json.Unmarshal([]byte(row["CreatedDateTime"]), &created)
		_ = json.Unmarshal([]byte(row["TimeGenerated"]), &generated)
		if !created.Equal(revCreated) || generated.Sub(revAt) < ingestMin || generated.Sub(revAt) >= ingestMin+ingestSpread {
			t.Errorf("late row %s: created %s, ingested %s", row["Id"], created, generated)
		}
	}
	// With >= and a bound below the re-emissions' lag, they come too.
	all := e.laQuery(tok, strings.Replace(lateRowQuery, "> 1800", ">= 600", 1), "")
	if n := len(all.Tables[0].Rows); n != reemitted+2 {
		t.Fatalf("lag >= 600 s: %d sign-ins; want the %d re-emitted and the 2 revised", n, reemitted)
	}
}

// TestRevisionBeforeReemission: a sign-in revised before its update was
// ingested has no row of that update: the revision supersedes it, so its
// latest row is the version Graph serves.
func TestRevisionBeforeReemission(t *testing.T) {
	rec := revisedRecord(t, revReemitted, revCreated, revCreated.Add(2*time.Minute))
	plain := versionsOf(&Record{ID: revReemitted, Created: revCreated}, true, 0)
	v := versionsOf(&rec, true, 0)
	delay := plain[0].ingested.Sub(revCreated)
	if len(v) != 2 || v[0] != plain[0] || !v[1].revised || !v[1].ingested.Equal(revCreated.Add(2*time.Minute+delay)) {
		t.Fatalf("rows %+v; want the first of %+v and the revision's", v, plain)
	}
	// A revision dated before the sign-in is taken as made when it happened.
	early := revisedRecord(t, revPlain, revCreated, revCreated.Add(-time.Hour))
	if v := versionsOf(&early, true, 0); len(v) != 1 || !v[0].revised {
		t.Fatalf("revised before it happened: %+v; want the revision's row alone", v)
	}
}

// at sets the clock and returns a token issued then.
func (e *testEnv) at(now time.Time) string {
	e.t.Helper()
	e.clock.Set(now)
	return e.token("contoso")
}

// TestSynthRemediation: the synthetic tenant's impossible traveller's far
// sign-in is served at risk until its remediation, remediated from then on,
// and is the one late row of its day in the workspace once that is in.
func TestSynthRemediation(t *testing.T) {
	tn, err := synth.New(7, "small")
	if err != nil {
		t.Fatal(err)
	}
	src := TenantSource(tn)
	var inc synth.Incident
	for _, i := range tn.Incidents(time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 19, 0, 0, 0, 0, time.UTC)) {
		if i.Kind == synth.ImpossibleTravel {
			inc = i
		}
	}
	trip, err := Collect(src, signin.Interactive, inc.Start, inc.End.Add(time.Nanosecond))
	if err != nil {
		t.Fatal(err)
	}
	var rec Record
	for _, r := range trip {
		if r.Revision != nil {
			if rec.Revision != nil {
				t.Fatalf("two revised sign-ins: %s and %s", rec.ID, r.ID)
			}
			rec = r
		}
	}
	if rec.Revision == nil || rec.RiskState != "atRisk" || rec.Revision.RiskState != "remediated" ||
		rec.Revision.At.Sub(rec.Created) < 2*time.Hour || rec.Revision.At.Sub(rec.Created) >= 6*time.Hour {
		t.Fatalf("the far sign-in of %+v: %+v", inc, rec)
	}

	e := newWorkspaceEnv(t, Options{Source: src})
	filter := "createdDateTime ge " + inc.Start.Format(time.RFC3339Nano) + " and createdDateTime le " + inc.End.Format(time.RFC3339Nano)
	ids := func(tok, more string) []string {
		t.Helper()
		return idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta", "$filter", filter+" and "+more), tok)))
	}
	tok := e.at(rec.Revision.At.Add(-time.Nanosecond))
	if got := ids(tok, "riskState eq 'atRisk'"); len(got) != 2 || !slices.Contains(got, rec.ID) {
		t.Fatalf("at risk before the remediation: %q; want the far sign-in %s and the third", got, rec.ID)
	}
	tok = e.at(rec.Revision.At)
	if got := ids(tok, "riskState eq 'atRisk'"); len(got) != 1 || slices.Contains(got, rec.ID) {
		t.Fatalf("at risk from the remediation on: %q; want the third alone", got)
	}
	if got := ids(tok, "riskState eq 'remediated'"); !slices.Equal(got, []string{rec.ID}) {
		t.Fatalf("remediated: %q; want %s", got, rec.ID)
	}

	day := rec.Created.Truncate(24 * time.Hour)
	late := strings.NewReplacer("AADNonInteractiveUserSignInLogs", "SigninLogs",
		"2026-12-06T00:00:00Z", day.Format(time.RFC3339), "2026-12-07T05:00:00Z", day.Add(29*time.Hour).Format(time.RFC3339)).Replace(lateRowQuery)
	tok = e.at(rec.Revision.At)
	if a := e.laQuery(tok, late, ""); len(a.Tables[0].Rows) != 0 {
		t.Fatalf("late rows before the remediation's row: %v", a.cells("Id"))
	}
	tok = e.at(rec.Revision.At.Add(ingestMin + ingestSpread))
	a := e.laQuery(tok, late, "")
	if got := fmt.Sprint(a.cells("Id"), a.cells("RiskState"), a.cells("RiskDetail")); got != fmt.Sprintf(`["%s"] ["remediated"] ["userPerformedSecuredPasswordReset"]`, rec.ID) {
		t.Fatalf("late rows of %s: %s", day.Format(time.DateOnly), got)
	}
}
