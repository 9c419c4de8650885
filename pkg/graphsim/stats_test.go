package graphsim

import (
	"encoding/json"
	"maps"
	"testing"
)

func TestStats(t *testing.T) {
	e := newTestEnv(t, Options{})
	tok := e.token("contoso")                                   // 200
	pages := e.allPages(signInsURL("beta", "$top", "200"), tok) // 200, 200
	e.get("/beta/auditLogs/signIns", "")                        // 401
	e.get(signInsURL("beta", "$top", "0"), tok)                 // 400
	e.get("/_sim/stats", "")                                    // not counted

	want := Stats{Requests: 5, ByStatus: map[string]int64{"200": 3, "401": 1, "400": 1}, SignInsServed: 240, Pages: 2}
	got := e.srv.Stats()
	if len(pages) != 2 || got.Requests != want.Requests || got.SignInsServed != want.SignInsServed ||
		got.Pages != want.Pages || !maps.Equal(got.ByStatus, want.ByStatus) {
		t.Fatalf("Stats() = %+v; want %+v", got, want)
	}
	resp, body := e.get("/_sim/stats", "")
	var served Stats
	if err := json.Unmarshal(body, &served); err != nil || resp.StatusCode != 200 {
		t.Fatalf("/_sim/stats: %d %v: %s", resp.StatusCode, err, body)
	}
	if served.Requests != want.Requests || served.SignInsServed != want.SignInsServed ||
		served.Pages != want.Pages || !maps.Equal(served.ByStatus, want.ByStatus) {
		t.Fatalf("/_sim/stats = %+v; want %+v", served, want)
	}
	wantJSON := `{"requests":5,"byStatus":{"200":3,"400":1,"401":1},"signInsServed":240,"pages":2,"workspaceQueries":{}}` + "\n"
	if string(body) != wantJSON {
		t.Fatalf("/_sim/stats body %s; want %s", body, wantJSON)
	}
}
