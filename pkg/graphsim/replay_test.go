package graphsim

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestReplayDescribesTheFile: a simulator replaying a file says at
// ReplayPath which span it holds and what it collapsed; one serving a
// synthetic tenant answers Graph's 404 there.
func TestReplayDescribesTheFile(t *testing.T) {
	recs := testSignIns()
	dup := recs[3]
	dup.Generated = dup.Generated.Add(time.Minute)
	e := newTestEnv(t, Options{Source: newFileSource(append(recs, dup))})
	resp, body := e.get(ReplayPath, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var got Replay
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	first, last := recs[0].Created, recs[0].Created
	for _, r := range recs {
		if r.Created.Before(first) {
			first = r.Created
		}
		if r.Created.After(last) {
			last = r.Created
		}
	}
	if !got.First.Equal(first) || !got.Last.Equal(last) || len(got.Collapsed) != 1 || got.Collapsed[dup.Type.String()] != 1 {
		t.Fatalf("replay %+v; want %s…%s with 1 %s collapsed", got, first, last, dup.Type)
	}

	synthetic := newTestEnv(t, Options{Source: TenantSource(newSynthTenant(t))})
	if resp, body := synthetic.get(ReplayPath, ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("a synthetic tenant answered %d at %s: %s", resp.StatusCode, ReplayPath, body)
	}
}
