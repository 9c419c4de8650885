package graphsim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// benchSink keeps the compiler from discarding benchmark results.
var benchSink int

// BenchmarkCollectPage measures one 1000-record page from the middle of a
// range: filter parse, cursor binary search and the walk.
func BenchmarkCollectPage(b *testing.B) {
	src := newFileSource(benchSignIns(5000))
	q, err := parseListQuery("beta", url.Values{
		"$filter": {"createdDateTime ge 2026-01-13T00:00:00Z and signInEventTypes/any(t: t eq 'nonInteractiveUser')"},
	})
	if err != nil {
		b.Fatal(err)
	}
	q.after = &cursor{created: testNow.Add(-12 * time.Hour), id: "~"}
	b.ReportAllocs()
	for b.Loop() {
		recs, _, err := collectPage(src, newPageRequest(&q, typeSetOf(signin.NonInteractive), testNow, 0))
		if err != nil {
			b.Fatal(err)
		}
		benchSink += len(recs)
	}
}

// BenchmarkServePage measures a whole request through the handler chain.
func BenchmarkServePage(b *testing.B) {
	srv, err := New(Options{Source: newFileSource(benchSignIns(5000)), Now: func() time.Time { return testNow }})
	if err != nil {
		b.Fatal(err)
	}
	tok := srv.tokens.issue(grant{tenant: "contoso", expires: testNow.Add(time.Hour)}, testNow)
	target := "/beta/auditLogs/signIns?" + url.Values{
		"$filter": {"createdDateTime ge 2026-01-13T00:00:00Z and signInEventTypes/any(t: t eq 'nonInteractiveUser')"},
	}.Encode()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
		benchSink += w.Body.Len()
	}
}

// benchSignIns makes perHour non-interactive sign-ins in each of the 24 hours
// before testNow.
func benchSignIns(perHour int) []Record {
	recs := make([]Record, 0, 24*perHour)
	for h := 1; h <= 24; h++ {
		hour := testNow.Add(-time.Duration(h) * time.Hour)
		for i := range perHour {
			created := hour.Add(time.Duration(i) * time.Hour / time.Duration(perHour))
			recs = append(recs, testRecord(signin.NonInteractive, created.Format("150405.000000")+"-"+string(rune('a'+i%26)), created, i))
		}
	}
	return recs
}
