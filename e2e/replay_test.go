package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
)

// fileSignIn is what the independent count reads from a replayed export.
type fileSignIn struct {
	CreatedDateTime  string   `json:"createdDateTime"`
	IsInteractive    *bool    `json:"isInteractive"`
	SignInEventTypes []string `json:"signInEventTypes"`
	Status           struct {
		ErrorCode int `json:"errorCode"`
	} `json:"status"`
}

// logTypeOf restates the replay rule: the first signInEventTypes value, else
// isInteractive (exports from v1.0 have no signInEventTypes).
func logTypeOf(r fileSignIn) string {
	if len(r.SignInEventTypes) > 0 {
		return map[string]string{"interactiveUser": "interactive", "nonInteractiveUser": "nonInteractive",
			"servicePrincipal": "servicePrincipal", "managedIdentity": "managedIdentity"}[r.SignInEventTypes[0]]
	}
	if r.IsInteractive != nil && !*r.IsInteractive {
		return "nonInteractive"
	}
	return "interactive"
}

// TestReplayedExportHourlyCounts replays a bare JSON array with a UTF-8 BOM as
// a user does — `graphsim serve --tls --file`, a Graph datasource pointed at
// it — and compares the plugin's hourly counts, over a range long past
// Graph's retention, with a count done here over the same file.
func TestReplayedExportHourlyCounts(t *testing.T) {
	path, err := filepath.Abs("testdata/export-bom.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var records []fileSignIn
	if err := json.Unmarshal(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf")), &records); err != nil {
		t.Fatal(err)
	}
	want := make(map[string]map[int64]float64)
	wantFailures := make(map[string]map[int64]float64)
	for _, r := range records {
		created, err := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
		if err != nil {
			t.Fatal(err)
		}
		lt, hour := logTypeOf(r), created.Truncate(time.Hour).Unix()
		add(want, lt, hour)
		if isFailure(r.Status.ErrorCode) {
			add(wantFailures, lt, hour)
		}
	}

	h := launch(t)
	base, caPEM := serveFile(t, path)
	ds := graphDatasource("file", base, caPEM, "replay-app", map[string]string{"clientSecret": "any"})
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	to := from.Add(24 * time.Hour)
	for _, lt := range logTypes {
		if len(want[lt]) == 0 {
			t.Fatalf("the fixture has no %s sign-ins; the test would prove nothing", lt)
		}
		resp, err := h.QueryData(context.Background(), ds.Request(nil,
			plugintest.Query{RefID: "count", JSON: map[string]any{"logType": lt, "metric": "count", "timeAggregate": "1h"}, From: from, To: to},
			plugintest.Query{RefID: "failures", JSON: map[string]any{"logType": lt, "metric": "failures", "timeAggregate": "1h"}, From: from, To: to},
		))
		if err != nil {
			t.Fatal(err)
		}
		checkHourly(t, lt+"/count", resp.Responses["count"], want[lt], from, to)
		checkHourly(t, lt+"/failures", resp.Responses["failures"], wantFailures[lt], from, to)
	}
}

// serveFile runs `graphsim serve --tls --file path` as a user would and
// returns its URL and CA certificate.
func serveFile(t *testing.T, path string) (string, []byte) {
	t.Helper()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	cmd := exec.Command(graphsimBin, "serve", "--tls", "--ca-file", caFile, "--file", path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = testLog(t)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("graphsim serve printed no URL: %v", lines.Err())
	}
	base := lines.Text()
	if !lines.Scan() || lines.Text() != caFile {
		t.Fatalf("graphsim serve did not print its CA file: %q", lines.Text())
	}
	go io.Copy(io.Discard, stdout)
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	return base, caPEM
}

func add(m map[string]map[int64]float64, lt string, hour int64) {
	if m[lt] == nil {
		m[lt] = make(map[int64]float64)
	}
	m[lt][hour]++
}
