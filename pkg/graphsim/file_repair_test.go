package graphsim

import (
	"strings"
	"testing"
)

func TestWithoutTrailingCommas(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		if got := string(withoutTrailingCommas([]byte(in))); got != want {
			t.Fatalf("unexpected repair of %s; got %s; want %s", in, got, want)
		}
	}
	f(`{"a":[1,2,],}`, `{"a":[1,2]}`)
	f("{\"a\":[{\"x\":1},\n  ],\r\n}", "{\"a\":[{\"x\":1}\n  ]\r\n}")
	f(`{"s":"a,]b,}","t":"q\",]"}`, `{"s":"a,]b,}","t":"q\",]"}`)
	f(`{"s":"ends with backslash\\",}`, `{"s":"ends with backslash\\"}`)
	f(`[1,2,3]`, `[1,2,3]`)
}

// TestFileWithTrailingCommas loads a page as Microsoft's documentation prints
// it, with a trailing comma, and serves valid JSON.
func TestFileWithTrailingCommas(t *testing.T) {
	page := `{"value":[{"id":"a1","createdDateTime":"2026-01-13T14:00:00Z","signInEventTypes":["interactiveUser"],` +
		`"appliedConditionalAccessPolicies":[{"id":"p","result":"notApplied"},],"status":{"errorCode":0}},]}`
	recs, err := decodeRecords([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].ID != "a1" || strings.Contains(string(recs[0].JSON), ",]") {
		t.Fatalf("unexpected records %+v", recs)
	}
}
