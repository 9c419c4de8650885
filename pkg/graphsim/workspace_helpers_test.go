package graphsim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

// workspaceFixtures is a source of the sign-ins in
// testdata/workspace_signins.json: two of each user log type (int-01 and
// nonint-30 re-emitted, int-02 and nonint-31 not) and one of each workload
// type, all created on 2026-01-13 between 10:00 and 11:00.
func workspaceFixtures(t *testing.T) Source {
	t.Helper()
	f, err := os.Open("testdata/workspace_signins.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := FileSource(f)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// newWorkspaceEnv is a server over the fixtures (unless o has a Source).
func newWorkspaceEnv(t *testing.T, o Options) *testEnv {
	t.Helper()
	if o.Source == nil {
		o.Source = workspaceFixtures(t)
	}
	return newTestEnv(t, o)
}

// fixtureHour is the where of a query over the fixtures' hour.
const fixtureHour = "| where CreatedDateTime >= datetime(2026-01-13T10:00:00Z) and CreatedDateTime < datetime(2026-01-13T11:00:00Z)\n"

// laPost posts a query to workspace id and returns the status and body.
func (e *testEnv) laPost(token, id, query, timespan string) (*http.Response, []byte) {
	e.t.Helper()
	body, _ := json.Marshal(queryRequest{Query: query, Timespan: timespan})
	req, _ := http.NewRequest(http.MethodPost, e.base+"/v1/workspaces/"+id+"/query", bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, data
}

// laAnswer is a decoded answer.
type laAnswer struct {
	Tables []struct {
		Name    string `json:"name"`
		Columns []struct {
			Name string `json:"name"`
			Type string `json:"type"`
		} `json:"columns"`
		Rows [][]json.RawMessage `json:"rows"`
	} `json:"tables"`
	Error *laErrorBody `json:"error"`
}

// laQuery posts a query and decodes the answer, failing unless it is a 200
// with one table, PrimaryResult.
func (e *testEnv) laQuery(token, query, timespan string) laAnswer {
	e.t.Helper()
	resp, body := e.laPost(token, "ws-1", query, timespan)
	var a laAnswer
	if err := json.Unmarshal(body, &a); err != nil || resp.StatusCode != http.StatusOK || len(a.Tables) != 1 || a.Tables[0].Name != "PrimaryResult" {
		e.t.Fatalf("query %q: %d %s (%v)", query, resp.StatusCode, body, err)
	}
	return a
}

// columns returns the answer's columns as "Name:type", comma-separated.
func (a laAnswer) columns() string {
	var cols []string
	for _, c := range a.Tables[0].Columns {
		cols = append(cols, c.Name+":"+c.Type)
	}
	return strings.Join(cols, ",")
}

// row returns row i as column name -> the cell's JSON.
func (a laAnswer) row(i int) map[string]string {
	m := make(map[string]string)
	for j, c := range a.Tables[0].Columns {
		m[c.Name] = string(a.Tables[0].Rows[i][j])
	}
	return m
}

// cells returns column name's cells, as JSON.
func (a laAnswer) cells(name string) []string {
	var out []string
	for i := range a.Tables[0].Rows {
		out = append(out, a.row(i)[name])
	}
	return out
}

// laErrorOf decodes an error body.
func laErrorOf(t *testing.T, body []byte) laErrorBody {
	t.Helper()
	var e laError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	return e.Error
}

// checkCells compares cells of a row with want (JSON texts).
func checkCells(t *testing.T, what string, row map[string]string, want map[string]string) {
	t.Helper()
	for col, w := range want {
		if got, ok := row[col]; !ok || got != w {
			t.Errorf("%s: %s = %s; want %s", what, col, got, w)
		}
	}
}
