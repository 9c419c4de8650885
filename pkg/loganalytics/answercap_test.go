package loganalytics

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TestAnswerCap: a push-down answer past MaxAnswerBytes fails at once with
// ErrTooLarge naming the setting, whether the service says its length or
// streams it, and is not asked again; a query text over the service's limit
// is refused before anything is sent.
func TestAnswerCap(t *testing.T) {
	from := testNow.Add(-48 * time.Hour)
	rows := make([][]any, 20_000)
	for i := range rows {
		rows[i] = []any{strings.Repeat("x", 100), float64(i)}
	}
	for _, chunked := range []bool{false, true} {
		env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
			rec := httptest.NewRecorder()
			writeResult(rec, []column{{"AppDisplayName", "string"}, {"SignIns", "long"}}, rows, false)
			if !chunked { // the length said up front: refused before reading
				w.Header().Set("Content-Length", strconv.Itoa(rec.Body.Len()))
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(rec.Body.Bytes())
		}, func(c *Config) { c.MaxAnswerBytes = 1 << 20 })
		_, err := env.c.Aggregate(context.Background(), signin.Interactive, "SigninLogs | count", from, from.Add(time.Hour))
		if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "maxAnswerMB") {
			t.Fatalf("chunked %v: err %v; want ErrTooLarge naming maxAnswerMB", chunked, err)
		}
		if n := len(env.fw.requests()); n != 1 {
			t.Fatalf("chunked %v: %d requests; want 1 (not retried)", chunked, n)
		}
	}

	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeResult(w, []column{{"SignIns", "long"}}, [][]any{{1.0}}, false)
	})
	long := "SigninLogs | where AppDisplayName in (" + strings.Repeat(`"a",`, maxQueryBytes/4) + `"a") | count`
	if _, err := env.c.Aggregate(context.Background(), signin.Interactive, long, from, from.Add(time.Hour)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a query of %d KB: err %v; want ErrTooLarge", len(long)>>10, err)
	}
	if n := len(env.fw.requests()); n != 0 {
		t.Fatalf("%d requests for a query too long to send; want 0", n)
	}
	if _, err := env.c.Aggregate(context.Background(), signin.Interactive, "SigninLogs | count", from, from.Add(time.Hour)); err != nil {
		t.Fatalf("a small answer: %v", err)
	}
}
