package graphsim

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// csvView is what the CSV tests check of a converted sign-in: the
// createdDateTime string as served, and the fields the Graph client decodes.
type csvView struct {
	id, created string
	code        int32
	reason      string
	browser     string
	city        string
	lat, long   string // formatted, so NaN (unknown) compares equal
	userType    string
	spName      string
}

// servedViews loads a file and returns, per log type and newest first, the
// records as the plugin's Graph client reads them (graph.DecodePage).
func servedViews(t *testing.T, src Source) map[signin.LogType][]csvView {
	t.Helper()
	from, to := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	got := make(map[signin.LogType][]csvView)
	for _, lt := range signin.LogTypes {
		recs, err := Collect(src, lt, from, to)
		if err != nil {
			t.Fatal(err)
		}
		events, _, err := graph.DecodePage(valuePage(recs))
		if err != nil {
			t.Fatalf("%s: DecodePage: %v", lt, err)
		}
		for i, e := range events {
			if recs[i].Type != lt {
				t.Fatalf("%s: record %s has type %s", lt, recs[i].ID, recs[i].Type)
			}
			got[lt] = append(got[lt], csvView{
				id: e.ID, created: createdString(t, recs[i].JSON), code: e.ErrorCode, reason: e.FailureReason,
				browser: e.Browser, city: e.City, lat: formatCoordinate(e.Latitude), long: formatCoordinate(e.Longitude),
				userType: e.UserType, spName: e.ServicePrincipalName,
			})
		}
	}
	return got
}

// valuePage wraps records in a Graph page, as the simulator serves them.
func valuePage(recs []Record) []byte {
	page := []byte(`{"value":[`)
	for i, r := range recs {
		if i > 0 {
			page = append(page, ',')
		}
		page = append(page, r.JSON...)
	}
	return append(page, "]}"...)
}

func createdString(t *testing.T, raw []byte) string {
	t.Helper()
	var v struct {
		CreatedDateTime string `json:"createdDateTime"`
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v.CreatedDateTime
}

func formatCoordinate(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func checkViews(t *testing.T, got, want map[signin.LogType][]csvView) {
	t.Helper()
	for _, lt := range signin.LogTypes {
		if len(got[lt]) != len(want[lt]) {
			t.Fatalf("%s: got %d records %+v; want %d", lt, len(got[lt]), got[lt], len(want[lt]))
		}
		for i := range want[lt] {
			if got[lt][i] != want[lt][i] {
				t.Errorf("%s[%d]:\n got %+v\nwant %+v", lt, i, got[lt][i], want[lt][i])
			}
		}
	}
}

// servedJSON returns the served object of the one record of lt at hour.
func servedJSON(t *testing.T, src Source, lt signin.LogType, hour time.Time, id string) string {
	t.Helper()
	recs, err := src.Hour(lt, hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == id {
			return string(r.JSON)
		}
	}
	t.Fatalf("%s: no record %s in hour %s", lt, id, hour)
	return ""
}

// TestFileSourceLogAnalyticsCSV replays a union export of the four tables
// (UTF-8 BOM, CRLF, multi-line JSON cells, _dynamic/_string twin columns).
func TestFileSourceLogAnalyticsCSV(t *testing.T) {
	src, err := loadFile("testdata/loganalytics.csv")
	if err != nil {
		t.Fatal(err)
	}
	const nan = "NaN"
	checkViews(t, servedViews(t, src), map[signin.LogType][]csvView{
		signin.Interactive: {
			{"la-08", "2026-01-13T22:22:33.300Z", 0, "", "Edge 120.0.0", "Lisbon", "38.7223", "-9.1393", "Member", ""},
			{"la-01", "2026-01-13T13:05:09.120Z", 0, "", "Edge 120.0.0", "Lisbon", "38.7223", "-9.1393", "Member", ""},
			{"la-02", "2026-01-13T09:41:00.007Z", 50126, "Error validating credentials due to invalid username or password.",
				"Chrome 121.0.0", "Porto", "41.1579", "-8.6291", "Guest", ""},
			// Status_dynamic is {}: errorCode and failureReason come from ResultType and ResultDescription.
			{"la-03", "2026-01-13T00:00:00.000Z", 50074, "Strong Authentication is required.", "Firefox 122.0", "", nan, nan, "Member", ""},
		},
		signin.NonInteractive: {
			{"la-05", "2026-01-13T23:59:59.999Z", 50173, "The provided grant has expired due to it being revoked.", "Mobile Safari", "", nan, nan, "Member", ""},
			// Every _dynamic cell is empty: the _string twins are read.
			{"la-04", "2026-01-13T12:30:15.500Z", 0, "", "Rich Client 4.61.0.0", "Madrid", "40.4168", "-3.7038", "Member", ""},
		},
		signin.ServicePrincipal: {
			// No CreatedDateTime and no Status: TimeGenerated and ResultType stand in.
			{"la-06", "2026-01-13T15:00:00.250Z", 7000215, "Invalid client secret provided.", "", "Dublin", nan, nan, "", "backup-job"},
		},
		signin.ManagedIdentity: {
			{"la-07", "2026-01-13T04:15:30.100Z", 0, "", "", "", nan, nan, "", "vm-web-01"},
		},
	})
}

// TestCSVConvertedObjects pins whole converted objects: Graph names in Graph's
// order, multi-line JSON compacted, workspace columns and unknown columns
// dropped, signInEventTypes from the table.
func TestCSVConvertedObjects(t *testing.T) {
	src, err := loadFile("testdata/loganalytics.csv")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		lt   signin.LogType
		hour int
		id   string
		want string
	}{
		{signin.Interactive, 13, "la-01", `{"id":"la-01","createdDateTime":"2026-01-13T13:05:09.120Z","signInEventTypes":["interactiveUser"],` +
			`"userDisplayName":"Ana Silva","userPrincipalName":"ana@example.com","userId":"user-ana","userType":"Member","appId":"app-portal",` +
			`"appDisplayName":"Azure Portal","ipAddress":"192.0.2.10","isInteractive":true,"processingTimeInMilliseconds":412,` +
			`"resourceDisplayName":"Windows Azure Service Management API","resourceId":"res-arm","servicePrincipalId":"","servicePrincipalName":"",` +
			`"deviceDetail":{"operatingSystem":"Windows 10","browser":"Edge 120.0.0"},` +
			`"location":{"city":"Lisbon","state":"Lisboa","countryOrRegion":"PT","geoCoordinates":{"latitude":38.7223,"longitude":-9.1393}},` +
			`"mfaDetail":{},"appliedConditionalAccessPolicies":[{"id":"ca-1","displayName":"Require MFA","result":"notApplied","conditionsSatisfied":0}],` +
			`"authenticationDetails":[{"authenticationStepDateTime":"2026-01-13T13:05:09.1203456+00:00","authenticationMethod":"Password","succeeded":true}],` +
			`"status":{"errorCode":0}}`},
		{signin.NonInteractive, 12, "la-04", `{"id":"la-04","createdDateTime":"2026-01-13T12:30:15.500Z","signInEventTypes":["nonInteractiveUser"],` +
			`"userDisplayName":"Ana Silva","userPrincipalName":"ana@example.com","userId":"user-ana","userType":"Member","appId":"app-teams",` +
			`"appDisplayName":"Microsoft Teams","ipAddress":"203.0.113.99","isInteractive":false,` +
			`"resourceDisplayName":"","resourceId":"","servicePrincipalId":"","servicePrincipalName":"",` +
			`"deviceDetail":{"operatingSystem":"Ios","browser":"Rich Client 4.61.0.0","isCompliant":true},` +
			`"location":{"city":"Madrid","state":"Madrid","countryOrRegion":"ES","geoCoordinates":{"latitude":40.4168,"longitude":-3.7038}},` +
			`"appliedConditionalAccessPolicies":[],"status":{"errorCode":0,"additionalDetails":"MFA requirement satisfied by claim in the token"}}`},
		{signin.ServicePrincipal, 15, "la-06", `{"id":"la-06","createdDateTime":"2026-01-13T15:00:00.250Z","signInEventTypes":["servicePrincipal"],` +
			`"userDisplayName":"","userPrincipalName":"","userId":"","userType":"","appId":"app-backup","appDisplayName":"","ipAddress":"203.0.113.5",` +
			`"resourceDisplayName":"Microsoft Graph","resourceId":"00000003-0000-0000-c000-000000000000","servicePrincipalId":"sp-backup",` +
			`"servicePrincipalName":"backup-job","location":{"city":"Dublin","state":"Dublin","countryOrRegion":"IE","geoCoordinates":{}},` +
			`"status":{"errorCode":7000215,"failureReason":"Invalid client secret provided."}}`},
	} {
		if got := servedJSON(t, src, c.lt, day.Add(time.Duration(c.hour)*time.Hour), c.id); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.id, got, c.want)
		}
	}
}

// TestCSVPlainColumns reads a single-table export: plain (untwinned) JSON
// columns, ISO 8601 times, headers without " [UTC]", LF line ends, no BOM,
// the type from Category when Type is empty, and managed identity columns.
func TestCSVPlainColumns(t *testing.T) {
	in := "Id,CreatedDateTime,TimeGenerated,Type,Category,ResultType,Status,DeviceDetail,LocationDetails,ConditionalAccessPolicies,IsInteractive,ProcessingTimeInMs,UserType,MsiType,AssociatedResourceId\n" +
		`p-1,2026-01-13T07:00:01.2213421+00:00,2026-01-13T07:02:00Z,AADNonInteractiveUserSignInLogs,,0,"{""errorCode"":50140}","{""browser"":""Edge 120.0.0""}","{""city"":""Oslo""}",[],false,17,guest,,` + "\n" +
		`p-2,,2026-01-13T07:30:00,,ManagedIdentitySignInLogs,0,,,,,,,,systemAssigned,/subscriptions/s/vm` + "\n"
	src, err := FileSource(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	hour := time.Date(2026, 1, 13, 7, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		lt       signin.LogType
		id, want string
	}{
		// Status holds an errorCode, so ResultType does not override it.
		{signin.NonInteractive, "p-1", `{"id":"p-1","createdDateTime":"2026-01-13T07:00:01.2213421Z","signInEventTypes":["nonInteractiveUser"],` +
			`"userType":"guest","isInteractive":false,"processingTimeInMilliseconds":17,"deviceDetail":{"browser":"Edge 120.0.0"},` +
			`"location":{"city":"Oslo"},"appliedConditionalAccessPolicies":[],"status":{"errorCode":50140}}`},
		{signin.ManagedIdentity, "p-2", `{"id":"p-2","createdDateTime":"2026-01-13T07:30:00Z","signInEventTypes":["managedIdentity"],` +
			`"userType":"","status":{"errorCode":0},"managedServiceIdentity":{"msiType":"systemAssigned","associatedResourceId":"/subscriptions/s/vm"}}`},
	} {
		if got := servedJSON(t, src, c.lt, hour, c.id); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.id, got, c.want)
		}
	}
}

// TestCSVQuotedHeaderAfterBOM reads a minimal export whose BOM sits right
// before a quoted Id column: the BOM must not become part of the name.
func TestCSVQuotedHeaderAfterBOM(t *testing.T) {
	in := "\ufeff\"Id\",\"TimeGenerated [UTC]\",\"Type\"\r\n\"b-1\",\"2026-01-13T03:04:05.6Z\",\"SigninLogs\"\r\n"
	src, err := FileSource(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	got := servedJSON(t, src, signin.Interactive, time.Date(2026, 1, 13, 3, 0, 0, 0, time.UTC), "b-1")
	if want := `{"id":"b-1","createdDateTime":"2026-01-13T03:04:05.6Z","signInEventTypes":["interactiveUser"]}`; got != want {
		t.Fatalf("got %s; want %s", got, want)
	}
}

func TestCSVTime(t *testing.T) {
	for in, want := range map[string]string{
		"4/28/2021, 2:08:45.221 PM":       "2021-04-28T14:08:45.221Z",
		"4/28/2021, 2:08:45.220 AM":       "2021-04-28T02:08:45.220Z",
		"12/31/2025, 12:00:00.000 AM":     "2025-12-31T00:00:00.000Z",
		"1/1/2026, 12:59:59.999 PM":       "2026-01-01T12:59:59.999Z",
		"1/1/2026, 12:59:59 PM":           "2026-01-01T12:59:59Z",
		"1/1/2026, 1:02:03.004\u202fPM":   "2026-01-01T13:02:03.004Z",
		" 1/1/2026, 1:02:03.004\u00a0AM ": "2026-01-01T01:02:03.004Z",
		"2021-04-28T14:08:45.2213421Z":    "2021-04-28T14:08:45.2213421Z",
		"2021-04-28T16:08:45.50+02:00":    "2021-04-28T14:08:45.50Z",
		"2021-04-28T14:08:45":             "2021-04-28T14:08:45Z",
	} {
		got, err := csvTime(in)
		if err != nil || got != want {
			t.Errorf("csvTime(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"28/04/2021, 14:08:45.221", "4/28/2021 2:08 PM", "2021-04-28"} {
		if got, err := csvTime(in); err == nil {
			t.Errorf("csvTime(%q) = %q; want an error", in, got)
		}
	}
}

func TestCSVErrors(t *testing.T) {
	const head = "Id,CreatedDateTime [UTC],Type,ResultType,Status_dynamic,Status_string,IsInteractive\n"
	const ok = `ok,"1/13/2026, 1:00:00.000 PM",SigninLogs,0,,,TRUE` + "\n"
	for _, c := range []struct{ in, want string }{
		{"Foo,Bar\n1,2\n",
			"not JSON, and not a Log Analytics sign-in CSV export: its header has no Id column"},
		{"Id,Type\n", "not JSON, and not a Log Analytics sign-in CSV export: its header has no CreatedDateTime or TimeGenerated column"},
		{"Id,TimeGenerated [UTC]\n", "not JSON, and not a Log Analytics sign-in CSV export: its header has no Type or Category column"},
		{"Id,TimeGenerated [Local Time],Type\n",
			`CSV column "TimeGenerated [Local Time]": times are not in UTC; export with the display time zone set to UTC`},
		{head + ok + `x,yesterday,SigninLogs,0,,,` + "\n",
			`CSV row 2 (line 3): column "CreatedDateTime [UTC]": "yesterday" is not a time like 4/28/2021, 2:08:45.221 PM or 2021-04-28T14:08:45.221Z`},
		{head + `x,"1/13/2026, 1:00:00 PM",AuditLogs,0,,,` + "\n",
			`CSV row 1 (line 2): column "Type": "AuditLogs" is not a sign-in log table`},
		{head + `x,"1/13/2026, 1:00:00 PM",,0,,,` + "\n", `CSV row 1 (line 2): column "Type": empty`},
		{head + `,"1/13/2026, 1:00:00 PM",SigninLogs,0,,,` + "\n", `CSV row 1 (line 2): column "Id": empty`},
		{head + `x,,SigninLogs,0,,,` + "\n", `CSV row 1 (line 2): column "CreatedDateTime [UTC]": empty`},
		// A multi-line cell: the failing row 2 starts on line 5.
		{head + "ok,\"1/13/2026, 1:00:00 PM\",SigninLogs,0,\"{\n\"\"errorCode\"\":0\n}\",,\n" +
			`x,"1/13/2026, 1:00:00 PM",SigninLogs,0,"{""errorCode"":",,` + "\n",
			`CSV row 2 (line 5): column "Status_dynamic": invalid JSON: unexpected end of JSON input`},
		{head + `x,"1/13/2026, 1:00:00 PM",SigninLogs,0,,[],` + "\n",
			`CSV row 1 (line 2): column "Status_string": want JSON starting with '{', got "[]"`},
		{head + `x,"1/13/2026, 1:00:00 PM",SigninLogs,Failure,,,` + "\n",
			`CSV row 1 (line 2): column "ResultType": "Failure" is not an error code`},
		{head + `x,"1/13/2026, 1:00:00 PM",SigninLogs,0,,,yes` + "\n",
			`CSV row 1 (line 2): column "IsInteractive": "yes" is not TRUE or FALSE`},
		{head + `x,"1/13/2026, 1:00:00 PM",SigninLogs` + "\n",
			"CSV row 1: record on line 2: wrong number of fields"},
		{head + `x,"1/13/2026, 1:00:00 PM",Signin"Logs,0,,,` + "\n",
			`CSV row 1: parse error on line 2, column 33: bare " in non-quoted-field`},
	} {
		_, err := FileSource(strings.NewReader(c.in))
		if !errors.Is(err, ErrBadRecord) {
			t.Fatalf("FileSource(%q): got %v; want ErrBadRecord", c.in, err)
		}
		if want := ErrBadRecord.Error() + ": " + c.want; err.Error() != want {
			t.Errorf("FileSource(%q):\n got %q\nwant %q", c.in, err.Error(), want)
		}
	}
}

// TestFileSourceDiagnosticExample loads a diagnostic-settings record laid out
// like Microsoft's schema example: pretty-printed with ragged indentation,
// "+00:00" offsets and "<PLACEHOLDER>" strings.
func TestFileSourceDiagnosticExample(t *testing.T) {
	const path = "testdata/diagnostic_example.json"
	checkFileTypes(t, path, map[signin.LogType][]wantRecord{
		signin.Interactive: {{"dx-01", "2026-01-13T05:30:12.3456789Z", 50140}},
	})
	src, err := loadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := src.Hour(signin.Interactive, time.Date(2026, 1, 13, 5, 0, 0, 0, time.UTC))
	events, _, err := graph.DecodePage(valuePage(recs))
	if err != nil {
		t.Fatal(err)
	}
	e := events[0]
	if e.UserID != "<USER ID>" || e.IPAddress != "<IP ADDRESS>" || e.City != "Utrecht" || e.Latitude != 52 || e.Longitude != 5 ||
		e.Browser != "Firefox 115.0" || e.FailureReason != "Keep me signed in interrupt." || e.UserType != "Member" {
		t.Fatalf("decoded %+v", e)
	}
}
