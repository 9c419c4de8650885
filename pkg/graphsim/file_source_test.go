package graphsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// wantRecord is what a test expects of one replayed record.
type wantRecord struct {
	id      string
	created string // RFC 3339 in UTC
	code    int32
}

// checkFileTypes loads a fixture and checks every log type's records, in
// order, and that each record's bytes are a verbatim object of the file.
func checkFileTypes(t *testing.T, path string, want map[signin.LogType][]wantRecord) {
	t.Helper()
	src, err := loadFile(path)
	if err != nil {
		t.Fatalf("loadFile(%s): %v", path, err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	from, to := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	for _, lt := range signin.LogTypes {
		recs, err := Collect(src, lt, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(want[lt]) {
			t.Fatalf("%s: %s: got %d records; want %d", path, lt, len(recs), len(want[lt]))
		}
		for i, w := range want[lt] {
			r := recs[i]
			if r.ID != w.id || r.Created.Format(time.RFC3339Nano) != w.created || r.ErrorCode != w.code || r.Type != lt {
				t.Fatalf("%s: %s[%d]: got %s %s %d %s; want %s %s %d", path, lt, i,
					r.ID, r.Created.Format(time.RFC3339Nano), r.ErrorCode, r.Type, w.id, w.created, w.code)
			}
			if !bytes.Contains(file, r.JSON) || !json.Valid(r.JSON) || r.JSON[0] != '{' || r.JSON[len(r.JSON)-1] != '}' {
				t.Fatalf("%s: %s: record bytes are not a verbatim object of the file: %s", path, r.ID, r.JSON)
			}
		}
	}
}

func TestFileSourceEnvelope(t *testing.T) {
	checkFileTypes(t, "testdata/envelope.json", map[signin.LogType][]wantRecord{
		signin.Interactive:      {{"e-01", "2026-01-13T14:59:59.9999999Z", 50126}, {"e-03", "2026-01-13T13:00:00.5Z", 0}},
		signin.NonInteractive:   {{"e-02", "2026-01-13T14:10:00Z", 0}, {"e-05", "2026-01-13T12:00:00Z", 0}},
		signin.ServicePrincipal: {{"e-04", "2026-01-13T12:30:00.123Z", 7000215}},
	})
}

func TestFileSourceBareArrayWithBOM(t *testing.T) {
	checkFileTypes(t, "testdata/array_bom.json", map[signin.LogType][]wantRecord{
		signin.Interactive:     {{"b-01", "2026-01-13T10:00:01Z", 0}},
		signin.ManagedIdentity: {{"b-02", "2026-01-13T09:00:00.12Z", 0}},
	})
	src, err := loadFile("testdata/array_bom.json")
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := src.Hour(signin.Interactive, time.Date(2026, 1, 13, 10, 0, 0, 0, time.UTC))
	want := `{"id":"b-01","createdDateTime":"2026-01-13T10:00:01Z","appId":"app-x","isInteractive":true,"status":{"errorCode":0}}`
	if len(recs) != 1 || string(recs[0].JSON) != want {
		t.Fatalf("got %d records (%+v); want one, %q", len(recs), recs, want)
	}
}

func TestFileSourceJSONLines(t *testing.T) {
	checkFileTypes(t, "testdata/lines.jsonl", map[signin.LogType][]wantRecord{
		// l-01 and l-02 share a createdDateTime: the id breaks the tie, descending.
		signin.Interactive:    {{"l-02", "2026-01-13T08:00:00Z", 0}, {"l-01", "2026-01-13T08:00:00Z", 50074}},
		signin.NonInteractive: {{"l-03", "2026-01-13T07:59:59.000001Z", 0}},
	})
}

func TestFileSourceDiagnosticSettings(t *testing.T) {
	checkFileTypes(t, "testdata/diagnostic.jsonl", map[signin.LogType][]wantRecord{
		signin.Interactive:      {{"d-01", "2026-01-13T06:00:00.1Z", 50140}},
		signin.NonInteractive:   {{"d-02", "2026-01-13T06:00:01Z", 0}},
		signin.ServicePrincipal: {{"d-03", "2026-01-13T06:00:02Z", 0}},
		signin.ManagedIdentity:  {{"d-04", "2026-01-13T06:00:03Z", 0}},
	})
	src, err := loadFile("testdata/diagnostic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	recs, _ := src.Hour(signin.NonInteractive, time.Date(2026, 1, 13, 6, 0, 0, 0, time.UTC))
	want := `{"id":"d-02","createdDateTime":"2026-01-13T06:00:01+00:00","userId":"u-1","appId":"app-1","isInteractive":false,"status":{"errorCode":0}}`
	if len(recs) != 1 || string(recs[0].JSON) != want {
		t.Fatalf("served %d records (%+v); want one, the properties object %q", len(recs), recs, want)
	}
}

func TestFileSourceDropsRepeatedIDs(t *testing.T) {
	in := `{"id":"a","createdDateTime":"2026-01-13T00:00:00Z"}
{"id":"a","createdDateTime":"2026-01-13T00:00:00Z"}
{"id":"a","createdDateTime":"2026-01-13T00:00:00Z","signInEventTypes":["servicePrincipal"]}`
	src, err := FileSource(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	hour := time.Date(2026, 1, 13, 0, 0, 0, 0, time.UTC)
	for _, lt := range []signin.LogType{signin.Interactive, signin.ServicePrincipal} {
		if recs, _ := src.Hour(lt, hour); len(recs) != 1 {
			t.Fatalf("%s: got %d records; want 1", lt, len(recs))
		}
	}
}

func TestFileSourceErrors(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		_, err := FileSource(strings.NewReader(in))
		if !errors.Is(err, ErrBadRecord) {
			t.Fatalf("FileSource(%q): got %v; want ErrBadRecord", in, err)
		}
		if err.Error() != want {
			t.Fatalf("FileSource(%q):\n got %q\nwant %q", in, err.Error(), want)
		}
	}
	ok := `{"id":"a","createdDateTime":"2026-01-13T00:00:00Z"}`
	f(`[{"createdDateTime":"2026-01-13T00:00:00Z"}]`, "graphsim: invalid sign-in record: record 0: sign-in object has no id")
	f(ok+"\n"+`{"id":"b","createdDateTime":"yesterday"}`,
		`graphsim: invalid sign-in record: record 1: sign-in b: createdDateTime "yesterday": parsing time "yesterday" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "yesterday" as "2006"`)
	f(`{"value":[`+ok+`,{"id":"c"}]}`,
		`graphsim: invalid sign-in record: record 1: sign-in c: createdDateTime "": parsing time "" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "" as "2006"`)
	f(`{"value":[{"id":"a",}]}`, "graphsim: invalid sign-in record: record 0: invalid character '}' looking for beginning of object key string")
	f(`{"category":"AuditLogs","properties":{"id":"x"}}`,
		`graphsim: invalid sign-in record: record 0: diagnostic record category "AuditLogs" is not a sign-in log`)
	f(`[1]`, "graphsim: invalid sign-in record: record 0: want a JSON object, got 1")
	f(ok+` "text"`, `graphsim: invalid sign-in record: record 1: want a JSON object, got "text"`)
	f(`{"id":"a","createdDateTime":"2026-01-13T00:00:00Z","status":{"errorCode":"50126"}}`,
		"graphsim: invalid sign-in record: record 0: sign-in object: json: cannot unmarshal string into Go struct field .status.errorCode of type int32")
}
