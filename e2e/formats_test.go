package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

var small7 = plugintest.Datasource{UID: "small7", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}

func runQuery(t *testing.T, h *plugintest.Host, headers map[string]string, q plugintest.Query) backend.DataResponse {
	t.Helper()
	resp, err := h.QueryData(context.Background(), small7.Request(headers, q))
	if err != nil {
		t.Fatal(err)
	}
	dr := resp.Responses[q.RefID]
	if dr.Error != nil {
		t.Fatalf("%s: unexpected error: %v", q.RefID, dr.Error)
	}
	return dr
}

// TestTableDistinctUsersPerApp answers "how many users signed into each app" and
// compares with distinct user ids per app counted over the export.
func TestTableDistinctUsersPerApp(t *testing.T) {
	h := launch(t)
	from, to := testclock.Workday(t)
	want := make(map[string]map[string]bool)
	for _, lt := range []string{"interactive", "nonInteractive"} {
		for _, r := range export(t, 7, "small", lt, from, to) {
			if r.UserID == "" {
				continue
			}
			if want[r.AppDisplayName] == nil {
				want[r.AppDisplayName] = make(map[string]bool)
			}
			want[r.AppDisplayName][r.UserID] = true
		}
	}
	dr := runQuery(t, h, nil, plugintest.Query{RefID: "A", From: from, To: to, JSON: map[string]any{
		"logType": "all", "format": "table", "metric": "distinctUsers", "groupBy": []string{"app"}, "limit": 1000,
		"filters": []map[string]any{{"key": "logType", "op": "in", "value": "interactive,nonInteractive"}},
	}})
	f := dr.Frames[0]
	if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericLong {
		t.Fatalf("unexpected frame meta %+v", f.Meta)
	}
	got := make(map[string]float64)
	for i := 0; i < f.Rows(); i++ {
		got[f.Fields[0].At(i).(string)] = f.Fields[1].At(i).(float64)
	}
	if len(got) != len(want) || len(want) < 3 {
		t.Fatalf("unexpected apps; got %d; want %d", len(got), len(want))
	}
	for app, users := range want {
		if got[app] != float64(len(users)) {
			t.Errorf("app %q: got %v users; want %d", app, got[app], len(users))
		}
	}
}

// TestGroupedNonInteractive compares the portal view with a grouping of the export
// by the portal's keys: app, user, IP address, status and resource.
func TestGroupedNonInteractive(t *testing.T) {
	h := launch(t)
	from, to := testclock.Workday(t)
	type agg struct{ n int64 }
	want := make(map[string]*agg)
	for _, r := range export(t, 7, "small", "nonInteractive", from, to) {
		status := "success"
		if r.Status.ErrorCode != 0 {
			status = map[bool]string{true: "failure", false: "interrupted"}[isFailure(r.Status.ErrorCode)]
		}
		k := strings.Join([]string{r.created(t).Truncate(6 * time.Hour).Format(time.RFC3339), r.AppID, r.UserID, r.IPAddress, status, r.ResourceID}, "|")
		if want[k] == nil {
			want[k] = &agg{}
		}
		want[k].n++
	}
	dr := runQuery(t, h, nil, plugintest.Query{RefID: "G", From: from, To: to, JSON: map[string]any{
		"logType": "nonInteractive", "format": "grouped", "timeAggregate": "6h", "limit": 10000}})
	f := dr.Frames[0]
	if f.Rows() != len(want) {
		t.Fatalf("unexpected rows; got %d; want %d", f.Rows(), len(want))
	}
	col := func(name string, i int) string {
		fld, _ := f.FieldByName(name)
		if fld == nil {
			t.Fatalf("no field %q", name)
		}
		return fmt.Sprint(fld.At(i))
	}
	counts, _ := f.FieldByName("# sign-ins")
	windows, _ := f.FieldByName("Window")
	for i := 0; i < f.Rows(); i++ {
		k := strings.Join([]string{windows.At(i).(time.Time).Format(time.RFC3339), col("appId", i), col("userId", i), col("ipAddress", i), col("status", i), col("resourceId", i)}, "|")
		if w := want[k]; w == nil || w.n != counts.At(i).(int64) {
			t.Fatalf("row %d %q: got %v; want %+v", i, k, counts.At(i), w)
		}
	}
	if len(counts.Config.Links) != 1 || counts.Config.Links[0].Internal.DatasourceUID != "small7" {
		t.Fatalf("unexpected expand link %+v", counts.Config.Links)
	}
}

// TestLogsAndSiblingErrors runs a logs query beside two bad queries: the bad ones
// get named errors, the good one its lines, newest first, cut with a notice.
func TestLogsAndSiblingErrors(t *testing.T) {
	h := launch(t)
	from, to := testclock.Workday(t)
	truth := export(t, 7, "small", "interactive", from, to)
	resp, err := h.QueryData(context.Background(), small7.Request(nil,
		plugintest.Query{RefID: "logs", From: from, To: to, JSON: map[string]any{"logType": "interactive", "format": "logs", "limit": 25}},
		plugintest.Query{RefID: "badMetric", From: from, To: to, JSON: map[string]any{"metric": "sum"}},
		plugintest.Query{RefID: "badRegex", From: from, To: to, JSON: map[string]any{"filters": []map[string]any{{"key": "app", "op": "=~", "value": "(["}}}},
	))
	if err != nil {
		t.Fatal(err)
	}
	for ref, want := range map[string]string{"badMetric": `unknown metric "sum"`, "badRegex": "not a valid RE2"} {
		dr := resp.Responses[ref]
		if dr.Error == nil || !strings.Contains(dr.Error.Error(), want) || dr.ErrorSource != backend.ErrorSourceDownstream || dr.Status != backend.StatusBadRequest {
			t.Fatalf("%s: unexpected error %v (source %q, status %d); want a 400 from downstream containing %q", ref, dr.Error, dr.ErrorSource, dr.Status, want)
		}
	}
	dr := resp.Responses["logs"]
	if dr.Error != nil {
		t.Fatal(dr.Error)
	}
	f := dr.Frames[0]
	ids, _ := f.FieldByName("id")
	if f.Rows() != 25 || len(f.Meta.Notices) != 1 || !strings.Contains(f.Meta.Notices[0].Text, fmt.Sprintf("of %d sign-ins", len(truth))) {
		t.Fatalf("unexpected logs frame: %d rows, notices %+v", f.Rows(), f.Meta.Notices)
	}
	for i := 0; i < 25; i++ { // the export is newest first too
		if ids.At(i).(string) != truth[i].ID {
			t.Fatalf("line %d: got %s; want %s", i, ids.At(i), truth[i].ID)
		}
	}
}

// TestAlertQueriesAreNumeric checks that alert evaluations get numeric series,
// one per group, with labels.
func TestAlertQueriesAreNumeric(t *testing.T) {
	h := launch(t)
	from, to := testclock.Workday(t)
	dr := runQuery(t, h, map[string]string{"FromAlert": "true"}, plugintest.Query{RefID: "A", From: to.Add(-time.Hour), To: to, Interval: time.Minute,
		JSON: map[string]any{"logType": "all", "metric": "failures", "groupBy": []string{"logType"}, "timeAggregate": "1h", "limit": 100}})
	_ = from
	if len(dr.Frames) == 0 {
		t.Fatal("no frames")
	}
	for _, f := range dr.Frames {
		if f.Meta.Type != data.FrameTypeTimeSeriesMulti || f.Fields[1].Type() != data.FieldTypeFloat64 || f.Fields[1].Labels["logType"] == "" {
			t.Fatalf("unexpected alert frame %+v", f)
		}
	}
}

func TestVariableAndResources(t *testing.T) {
	h := launch(t)
	from, to := testclock.Workday(t)
	want := make(map[string]bool)
	for _, r := range export(t, 7, "small", "servicePrincipal", from, to) {
		want[r.AppDisplayName] = true
	}
	dr := runQuery(t, h, nil, plugintest.Query{RefID: "V", From: from, To: to, JSON: map[string]any{"queryType": "variable", "key": "app", "logType": "servicePrincipal"}})
	if f := dr.Frames[0]; f.Rows() != len(want) || len(f.Fields) != 1 {
		t.Fatalf("unexpected variable frame: %d rows; want %d", f.Rows(), len(want))
	}

	call := func(path string) (int, map[string]any) {
		t.Helper()
		res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{
			PluginContext: small7.PluginContext(), Path: strings.SplitN(path, "?", 2)[0], Method: http.MethodGet, URL: path})
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		if err := json.Unmarshal(res.Body, &body); err != nil {
			t.Fatalf("%s: %v: %s", path, err, res.Body)
		}
		return res.Status, body
	}
	status, body := call(fmt.Sprintf("values?key=app&logType=servicePrincipal&from=%d&to=%d", from.UnixMilli(), to.UnixMilli()))
	if status != http.StatusOK || len(body["values"].([]any)) != len(want) {
		t.Fatalf("unexpected values answer %d %v", status, body)
	}
	for _, bad := range []string{"values?key=password", "values?key=app&from=yesterday", "values?key=app&limit=0", "values?key=app&logType=batch"} {
		if status, body := call(bad); status != http.StatusBadRequest || body["error"] == "" {
			t.Fatalf("%s: unexpected answer %d %v; want 400 with a reason", bad, status, body)
		}
	}
	status, body = call("stats")
	if status != http.StatusOK || body["graphRequests"].(float64) < 1 || body["windowsCached"].(float64) < 24 {
		t.Fatalf("unexpected stats %d %v", status, body)
	}
}
