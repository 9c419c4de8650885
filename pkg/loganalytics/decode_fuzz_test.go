package loganalytics

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fuzzColumns is the projected column list, so that every fuzzed value lands
// in a column the decoder reads.
var fuzzColumns = append([]string{idColumn, createdColumn, generatedColumn}, optionalColumns...)

// FuzzDecodeRow feeds rows of arbitrary JSON values (a JSON array, as a row
// arrives) to the row decoder: it must return a sign-in or an error, never
// panic, whatever the service, a proxy or a damaged table sends.
func FuzzDecodeRow(f *testing.F) {
	for _, seed := range []string{
		`["a","2026-03-02T00:12:03.1234567Z","2026-03-02T00:14:00Z","u","upn","Ada","Member","app","Outlook","r","Exchange","","","203.0.113.7","50126","bad",{"errorCode":50126},"Browser",{"browser":"Edge","isCompliant":true},"FR",{"geoCoordinates":{"latitude":48.8,"longitude":2.3}}]`,
		`["b","","2026-03-02T00:14:00Z","","","","Guest","","","","","","","","","","{\"errorCode\":\"50074\"}","","{\"isManaged\":\"false\"}","","{\"geoCoordinates\":{\"latitude\":\"x\"}}"]`,
		`[null,null,null]`, `[1,true,[],{}]`, `[]`, `["c","2026-03-02T00:00:00"]`,
		`["d","2026-03-02T00:00:00Z",null,null,null,null,null,null,null,null,null,null,null,null,1e300,null,"{\"errorCode\":-2147483649}",null,"{",null,"{\"geoCoordinates\":[]}"]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var row []any
		if json.Unmarshal(data, &row) != nil {
			return
		}
		for _, lt := range signin.LogTypes {
			e, err := DecodeRow(fuzzColumns, row, lt)
			if err == nil && (e.Created.IsZero() || e.LogType != lt) {
				t.Fatalf("decoded without a time or with the wrong log type: %+v", e)
			}
		}
		// The same values under shuffled names: decoding is by name.
		rev := make([]string, len(fuzzColumns))
		for i, c := range fuzzColumns {
			rev[len(rev)-1-i] = c
		}
		_, _ = DecodeRow(rev, row, signin.Interactive)
	})
}

// FuzzDynamicReadsAsEncodingJSON: a dynamic column's JSON text is read with
// goccy/go-json for speed (BENCHMARKS.md, figure g); it must read every text
// as encoding/json does, or a sign-in would change with the decoder.
func FuzzDynamicReadsAsEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{"errorCode":50126,"failureReason":"x"}`, `{"a":1,"a":2}`, `{"a":"\u00e9\ud83d\ude00"}`, `{"a":1e400}`,
		`{"geoCoordinates":{"latitude":48.8}}`, " {\"a\":[1,{\"b\":null}]} ", `{"a":"\xff"}`, `[{"authenticationMethod":"Password"}]`, `{"a":1}x`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var wantObj map[string]any
		if json.Unmarshal([]byte(strings.TrimSpace(text)), &wantObj) != nil {
			wantObj = nil
		}
		if got := dynamic(text); strings.HasPrefix(strings.TrimSpace(text), "{") && !reflect.DeepEqual(got, wantObj) {
			t.Fatalf("dynamic(%q) = %#v; encoding/json reads %#v", text, got, wantObj)
		}
		var wantArr []any
		if json.Unmarshal([]byte(strings.TrimSpace(text)), &wantArr) != nil {
			wantArr = nil
		}
		if got := array(text); strings.HasPrefix(strings.TrimSpace(text), "[") && !reflect.DeepEqual(got, wantArr) {
			t.Fatalf("array(%q) = %#v; encoding/json reads %#v", text, got, wantArr)
		}
	})
}
