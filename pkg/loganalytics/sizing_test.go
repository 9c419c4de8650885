package loganalytics

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// sizedEnv is a test client that knows nothing of the workspace's sizes and
// meets a result limit of resultRows rows, as the fake cuts at it.
func sizedEnv(t *testing.T, data *workspaceData, resultRows int) *testEnv {
	t.Helper()
	data.limit = resultRows
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	forgetSizes(env.c)
	env.c.sizes.resultRows = int64(resultRows)
	return env
}

func ranges(reqs []fakeRequest) []string {
	var out []string
	for _, r := range reqs {
		kind := "list"
		if strings.Contains(r.Query, "count() by Hour") {
			kind = "count"
		}
		out = append(out, kind+" "+rangeOf(r.Query))
	}
	return out
}

// TestListingSizedByItsCount: a listing longer than an hour of a log type
// the client knows nothing of is counted per hour first, then asked for in
// runs of whole hours that each hold at most half the result limit: no
// answer is cut, and every sign-in comes once.
func TestListingSizedByItsCount(t *testing.T) {
	data := spread(3000, winFrom, winTo) // 500 an hour
	env := sizedEnv(t, data, 2400)       // at most 1,200 rows a run: two hours
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.ID] = true
	}
	if len(got) != 3000 || len(seen) != 3000 {
		t.Fatalf("%d sign-ins, %d distinct; want 3000 once each", len(got), len(seen))
	}
	want := "[count 00:00-06:00 list 04:00-06:00 list 02:00-04:00 list 00:00-02:00]"
	if got := fmt.Sprint(ranges(env.fw.requests())); got != want {
		t.Errorf("requests %s; want %s", got, want)
	}
	if len(env.rec.retries) != 0 {
		t.Errorf("retries %v; want none: no answer cut", env.rec.retries)
	}
}

// TestSizesLearnedFromAnswers: once a log type's rate says a listing is well
// within one result it is asked for without a count; a row size learned from
// an answer sizes the next runs.
func TestSizesLearnedFromAnswers(t *testing.T) {
	data := spread(60, winFrom, winTo) // 10 an hour
	env := sizedEnv(t, data, 2400)
	for range 2 {
		if got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo); err != nil || len(got) != 60 {
			t.Fatalf("%d sign-ins, %v; want 60", len(got), err)
		}
	}
	want := "[count 00:00-06:00 list 00:00-06:00 list 00:00-06:00]"
	if got := fmt.Sprint(ranges(env.fw.requests())); got != want {
		t.Errorf("requests %s; want %s: the second listing needs no count", got, want)
	}
	if rate := env.c.sizes.rowsPerHour[signin.Interactive].Load(); rate != 10 {
		t.Errorf("learned %d rows an hour; want the busiest hour's 10", rate)
	}

	env.c.sizes.learnRowBytes(signin.Interactive, 1000, 1000*300)
	env.c.sizes.resultBytes = 300 * 1200 // 1,200 rows of 300 B: at most 600 a run
	if most := env.c.sizes.mostRows(signin.Interactive); most != 600 {
		t.Errorf("at most %d rows a run; want 600 by the learned row size", most)
	}
	if env.c.sizes.learnRowBytes(signin.Interactive, 5, 1<<20); env.c.sizes.rowBytesOf(signin.Interactive) != 300 {
		t.Error("an answer of 5 rows set the row size")
	}
}

// TestCountFailures: the count is asked once and any failure of it leaves
// the listing unsized — a 400, an answer of another shape, a timeout, a
// refusal (the listing then meets it itself), a count that is no count, an
// answer larger than that many hours take. One refused as a query, or
// answered in another shape, is not asked again for the table.
func TestCountFailures(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		again  bool // a second listing counts again
	}{
		{"refused", func(w http.ResponseWriter) {
			writeError(w, 400, "BadArgumentError", "The request had some invalid properties", "SyntaxError", "bin")
		}, false},
		{"odd", func(w http.ResponseWriter) {
			writeResult(w, []column{{"Hour", "datetime"}, {"N", "long"}}, nil, false)
		}, false},
		{"no count", func(w http.ResponseWriter) {
			writeResult(w, []column{{"Hour", "datetime"}, {"Rows", "long"}}, [][]any{{"2026-03-02T05:00:00Z", 1e300}}, false)
		}, false},
		{"an hour out of the range", func(w http.ResponseWriter) {
			writeResult(w, []column{{"Hour", "datetime"}, {"Rows", "long"}}, [][]any{{"2026-03-02T09:00:00Z", 5}}, false)
		}, false},
		{"too large", func(w http.ResponseWriter) {
			rows := make([][]any, 2000)
			for i := range rows {
				rows[i] = []any{"2026-03-02T05:00:00Z", 5}
			}
			writeResult(w, []column{{"Hour", "datetime"}, {"Rows", "long"}}, rows, false)
		}, true},
		{"timeout", func(w http.ResponseWriter) {
			writeError(w, 504, "GatewayTimeout", "The query took too long")
		}, true},
		{"forbidden", func(w http.ResponseWriter) {
			writeError(w, 403, "InsufficientAccessError", "The provided credentials have insufficient access")
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := spread(60, winFrom, winTo)
			env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) {
				if strings.Contains(req.Query, "count() by Hour") {
					tc.answer(w)
					return
				}
				data.answer(w, req)
			})
			forgetSizes(env.c)
			for range 2 {
				if got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo); err != nil || len(got) != 60 {
					t.Fatalf("%d sign-ins, %v; want all 60", len(got), err)
				}
				env.c.sizes.rowsPerHour[signin.Interactive].Store(0) // not known small: only a refusal keeps it uncounted
			}
			want := "[count 00:00-06:00 list 00:00-06:00 list 00:00-06:00]"
			if tc.again {
				want = "[count 00:00-06:00 list 00:00-06:00 count 00:00-06:00 list 00:00-06:00]"
			}
			if got := fmt.Sprint(ranges(env.fw.requests())); got != want {
				t.Errorf("requests %s; want %s", got, want)
			}
		})
	}
}

// TestTimeGeneratedTablesAreNotSized: spans of a table read by TimeGenerated
// would be cut on it, and a re-emitted sign-in could come from two.
func TestTimeGeneratedTablesAreNotSized(t *testing.T) {
	data := spread(60, winFrom, winTo)
	env := sizedEnv(t, data, 2400)
	env.c.byGenerated[signin.Interactive].Store(true)
	if _, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo); err != nil {
		t.Fatal(err)
	}
	for _, r := range env.fw.requests() {
		if strings.Contains(r.Query, "count() by Hour") {
			t.Fatalf("a table read by TimeGenerated was counted: %q", r.Query)
		}
	}
}

func TestSpans(t *testing.T) {
	at := func(h int) time.Time { return winFrom.Add(time.Duration(h) * time.Hour) }
	counts := func(n ...int64) []hourCount { // from the newest hour, 05:00, back
		var out []hourCount
		for i, c := range n {
			out = append(out, hourCount{hour: at(5 - i), rows: c})
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		from, to time.Time
		counts   []hourCount
		most     int64
		want     string
	}{
		{"fits", at(0), at(6), counts(1, 1, 1, 1, 1, 1), 10, "[00:00-06:00]"},
		{"even", at(0), at(6), counts(5, 5, 5, 5, 5, 5), 10, "[04:00-06:00 02:00-04:00 00:00-02:00]"},
		{"one busy hour alone", at(0), at(6), counts(1, 30, 1, 1, 1, 1), 10, "[05:00-06:00 04:00-05:00 00:00-04:00]"},
		{"empty hours", at(0), at(6), counts(9, 0, 0, 0, 0, 9), 10, "[01:00-06:00 00:00-01:00]"},
		{"no count", at(0), at(6), nil, 10, "[00:00-06:00]"},
		{"ragged ends", at(0).Add(30 * time.Minute), at(5).Add(20 * time.Minute), counts(0, 8, 8, 8, 8, 8), 10,
			"[04:00-05:20 03:00-04:00 02:00-03:00 01:00-02:00 00:30-01:00]"},
	} {
		var got []string
		for _, s := range spans(tc.from, tc.to, tc.counts, tc.most) {
			got = append(got, s.from.Format("15:04")+"-"+s.to.Format("15:04"))
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("%s: spans %v; want %s", tc.name, got, tc.want)
		}
	}
}

func TestCountQueryGolden(t *testing.T) {
	want := "AADNonInteractiveUserSignInLogs\n" +
		"| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)\n" +
		"| summarize arg_max(TimeGenerated, *) by Id\n" +
		"| summarize Rows = count() by Hour = bin(CreatedDateTime, 3600s)"
	if got, err := CountQuery(signin.NonInteractive, winFrom, winTo); err != nil || got != want {
		t.Errorf("got %q, %v;\nwant %q", got, err, want)
	}
}
