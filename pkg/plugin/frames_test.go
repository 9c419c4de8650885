package plugin

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

var t0 = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func TestTimeSeriesFrames(t *testing.T) {
	res := query.Result{Series: []query.Series{
		{Name: "failures", Labels: map[string]string{"app": "Teams"}, Times: []time.Time{t0, t0.Add(time.Hour)}, Values: []float64{3, 0}},
		{Name: "failures", Labels: map[string]string{"app": "other"}, Times: []time.Time{t0, t0.Add(time.Hour)}, Values: []float64{1, 2}},
	}, Notices: []string{"folded"}}
	frames := framesOf("A", query.Query{}, res, linkTarget{})
	if len(frames) != 2 {
		t.Fatalf("unexpected frames %d; want 2", len(frames))
	}
	f := frames[0]
	if f.RefID != "A" || f.Meta.Type != data.FrameTypeTimeSeriesMulti || f.Fields[1].Labels["app"] != "Teams" || f.Fields[1].At(0).(float64) != 3 {
		t.Fatalf("unexpected frame %+v", f)
	}
	if len(f.Meta.Notices) != 1 || f.Meta.Notices[0].Severity != data.NoticeSeverityInfo {
		t.Fatalf("unexpected notices %+v", f.Meta.Notices)
	}
}

func TestTableFrame(t *testing.T) {
	res := query.Result{Table: &query.TableRows{Columns: []string{"app"}, Metric: "distinctUsers",
		Rows: []query.TableRow{{Labels: []string{"Teams"}, Value: 40}, {Labels: []string{"Outlook"}, Value: 12}}}}
	f := framesOf("B", query.Query{}, res, linkTarget{})[0]
	if f.Meta.Type != data.FrameTypeNumericLong || f.Rows() != 2 || f.Fields[0].Name != "app" || f.Fields[1].At(1).(float64) != 12 {
		t.Fatalf("unexpected frame %+v", f)
	}
}

func TestGroupedFrameLink(t *testing.T) {
	g := &query.GroupedTable{LogType: signin.NonInteractive, Window: time.Hour,
		Keys: []string{"appId", "userId", "ipAddress", "status", "resourceId"}, Columns: []string{"app", "appId", "user", "userId", "ipAddress", "status", "resource", "resourceId"},
		Rows: []query.GroupedRow{{WindowStart: t0, Values: []string{"Teams", "a1", "al@x", "u1", "203.0.113.1", "success", "Graph", "r1"},
			KeyValues: []string{"a1", "u1", "203.0.113.1", "success", "r1"}, Count: 7, First: t0.Add(time.Minute), Last: t0.Add(50 * time.Minute)}}}
	f := framesOf("C", query.Query{}, query.Result{Grouped: g}, linkTarget{UID: "ds1", Name: "Entra", From: t0, To: t0.Add(24 * time.Hour)})[0]
	count, _ := f.FieldByName("# sign-ins")
	if count == nil || count.At(0).(int64) != 7 {
		t.Fatalf("unexpected count field %+v", count)
	}
	links := count.Config.Links
	if len(links) != 1 || links[0].Internal == nil || links[0].Internal.DatasourceUID != "ds1" {
		t.Fatalf("unexpected links %+v", links)
	}
	q, _ := json.Marshal(links[0].Internal.Query)
	for _, want := range []string{`"format":"logs"`, `"logType":"nonInteractive"`, `${__data.fields[\"appId\"]}`, `"timeFrom":"${__data.fields[\"windowFrom\"]}"`} {
		if !strings.Contains(string(q), want) {
			t.Fatalf("link query %s lacks %s", q, want)
		}
	}
	wf, _ := f.FieldByName("windowTo")
	if wf == nil || wf.At(0).(string) != "2026-03-02T01:00:00Z" {
		t.Fatalf("unexpected windowTo %+v", wf)
	}
}

func TestLogsFrame(t *testing.T) {
	e := signin.Event{ID: "id1", Created: t0, LogType: signin.Interactive, UserPrincipalName: "al@contoso.com", AppDisplayName: "Azure Portal",
		ErrorCode: 50126, FailureReason: "Invalid username or password.", ClientAppUsed: "Browser", Browser: "Chrome 120.0", OperatingSystem: "Windows10",
		IPAddress: "203.0.113.7", CountryOrRegion: "DE"}
	link := linkTarget{UID: "ds1", Name: "Entra", From: t0, To: t0.Add(time.Hour), LogType: "interactive", Portal: "https://portal.azure.com"}
	f := framesOf("D", query.Query{}, query.Result{Logs: &query.LogLines{Events: []signin.Event{e}, Matched: 1}}, link)[0]
	// The dataplane's log-lines 0.0: these names, types and order, then
	// fields of its own that log details show.
	if f.Meta.Type != data.FrameTypeLogLines || f.Meta.TypeVersion != (data.FrameTypeVersion{0, 0}) || f.Meta.PreferredVisualization != data.VisTypeLogs {
		t.Fatalf("unexpected meta %+v", f.Meta)
	}
	wantFields := []struct {
		name string
		typ  data.FieldType
	}{{"timestamp", data.FieldTypeTime}, {"body", data.FieldTypeString}, {"severity", data.FieldTypeString},
		{"id", data.FieldTypeString}, {"labels", data.FieldTypeJSON},
		{"user", data.FieldTypeString}, {"app", data.FieldTypeString}, {"ipAddress", data.FieldTypeString},
		{"servicePrincipal", data.FieldTypeString}}
	if len(f.Fields) != len(wantFields) {
		t.Fatalf("unexpected fields %d", len(f.Fields))
	}
	for i, w := range wantFields {
		if f.Fields[i].Name != w.name || f.Fields[i].Type() != w.typ {
			t.Fatalf("field %d is %s %s; want %s %s", i, f.Fields[i].Name, f.Fields[i].Type(), w.name, w.typ)
		}
	}
	want := "failure 50126 al@contoso.com → Azure Portal (Browser, Chrome on Windows) from 203.0.113.7 DE: Invalid username or password."
	if body := f.Fields[1].At(0).(string); body != want {
		t.Fatalf("unexpected body\n got %q\nwant %q", body, want)
	}
	var labels map[string]string
	if err := json.Unmarshal(f.Fields[4].At(0).(json.RawMessage), &labels); err != nil {
		t.Fatal(err)
	}
	if f.Fields[2].At(0) != "error" || f.Fields[3].At(0) != "id1" || labels["browser"] != "Chrome" || labels["status"] != "failure" || labels["city"] != "" {
		t.Fatalf("unexpected severity %v, id %v, labels %v", f.Fields[2].At(0), f.Fields[3].At(0), labels)
	}
	// The id opens the portal's sign-in logs; user, app, IP address and
	// workload identity open Explore on their sign-ins, and their
	// investigation page over the same range.
	if l := f.Fields[3].Config.Links; len(l) != 1 || l[0].URL != "https://portal.azure.com/#blade/Microsoft_AAD_IAM/SignInEventsV3Blade" || !strings.Contains(l[0].Title, "${__value.raw}") {
		t.Fatalf("unexpected id links %+v", l)
	}
	for i, key := range []string{"user", "app", "ipAddress", "servicePrincipal"} {
		field := f.Fields[5+i]
		l := field.Config.Links
		if len(l) != 2 || l[0].Internal == nil || l[0].Internal.DatasourceUID != "ds1" {
			t.Fatalf("%s: unexpected links %+v", key, l)
		}
		page := map[string]string{"user": "signinlens-entity-user", "app": "signinlens-entity-app",
			"ipAddress": "signinlens-entity-ip", "servicePrincipal": "signinlens-entity-workload"}[key]
		wantURL := fmt.Sprintf("/d/%s?var-%s=${__value.raw:percentencode}&var-datasource=ds1&from=%d&to=%d", page, key, t0.UnixMilli(), t0.Add(time.Hour).UnixMilli())
		if l[1].URL != wantURL || l[1].Internal != nil {
			t.Fatalf("%s: investigation link %+v; want %s", key, l[1], wantURL)
		}
		var q struct {
			LogType, Format string
			Filters         []struct{ Key, Op, Value string }
		}
		if err := json.Unmarshal(l[0].Internal.Query.(json.RawMessage), &q); err != nil {
			t.Fatal(err)
		}
		if q.LogType != "interactive" || q.Format != "logs" || len(q.Filters) != 1 || q.Filters[0] != (struct{ Key, Op, Value string }{key, "=", "${__value.raw}"}) {
			t.Fatalf("%s: unexpected Explore query %+v", key, q)
		}
	}
	if got := []any{f.Fields[5].At(0), f.Fields[6].At(0), f.Fields[7].At(0)}; got[0] != "al@contoso.com" || got[1] != "Azure Portal" || got[2] != "203.0.113.7" {
		t.Fatalf("unexpected user, app, IP %v", got)
	}
}

func TestLegendFormatAndEmptyAnswers(t *testing.T) {
	res := query.Result{Series: []query.Series{{Name: "count", Labels: map[string]string{"app": "Teams", "status": "failure"},
		Times: []time.Time{t0}, Values: []float64{3}}}}
	f := framesOf("A", query.Query{LegendFormat: "{{app}} – {{ status }} {{nope}}"}, res, linkTarget{})[0]
	if got := f.Fields[1].Config.DisplayNameFromDS; got != "Teams – failure " {
		t.Fatalf("unexpected display name %q", got)
	}
	// No series at all: one typed empty frame keeps the notices.
	frames := framesOf("B", query.Query{}, query.Result{Notices: []string{"a table the workspace lacks"}}, linkTarget{})
	if len(frames) != 1 || frames[0].Meta.Type != data.FrameTypeTimeSeriesMulti || len(frames[0].Meta.Notices) != 1 || frames[0].RefID != "B" {
		t.Fatalf("unexpected frames %+v", frames)
	}
}

func TestAnnotationsFrame(t *testing.T) {
	e := signin.Event{ID: "id1", Created: t0, LogType: signin.Interactive, UserPrincipalName: "al@contoso.com", AppDisplayName: "Azure Portal",
		ErrorCode: 53003, FailureReason: "Access has been blocked by Conditional Access policies."}
	f := framesOf("E", query.Query{Format: query.Annotations}, query.Result{Logs: &query.LogLines{Events: []signin.Event{e}, Matched: 1}}, linkTarget{})[0]
	var names []string
	for _, fld := range f.Fields {
		names = append(names, fld.Name)
	}
	if strings.Join(names, ",") != "time,title,text,tags" || f.Rows() != 1 {
		t.Fatalf("unexpected fields %v", names)
	}
	if f.Fields[1].At(0) != "failure 53003 al@contoso.com" || f.Fields[3].At(0) != "failure,53003,interactive,Azure Portal" ||
		!f.Fields[0].At(0).(time.Time).Equal(t0) {
		t.Fatalf("unexpected annotation %v %v %v", f.Fields[0].At(0), f.Fields[1].At(0), f.Fields[3].At(0))
	}
}

func TestThresholdAnnotationsFrame(t *testing.T) {
	threshold := 50.0
	q := query.Query{Format: query.Annotations, Metric: query.Failures, Threshold: &threshold}
	marks := []query.Mark{{From: t0, To: t0.Add(time.Hour), Labels: map[string]string{"app": "Outlook"}, Value: 57}}
	f := framesOf("T", q, query.Result{Marks: marks}, linkTarget{})[0]
	names := make([]string, len(f.Fields))
	for i, fl := range f.Fields {
		names[i] = fl.Name
	}
	if strings.Join(names, ",") != "time,timeEnd,title,text,tags" || f.Rows() != 1 {
		t.Fatalf("unexpected annotation fields %v, %d rows", names, f.Rows())
	}
	if got := f.Fields[2].At(0); got != "failures 57 > 50 app=Outlook" {
		t.Fatalf("unexpected title %q", got)
	}
	if got := f.Fields[4].At(0); got != "failures,threshold,Outlook" {
		t.Fatalf("unexpected tags %q", got)
	}
	if !f.Fields[1].At(0).(time.Time).Equal(t0.Add(time.Hour)) {
		t.Fatalf("unexpected end %v", f.Fields[1].At(0))
	}
	empty := framesOf("T", q, query.Result{Marks: []query.Mark{}}, linkTarget{})[0]
	if empty.Rows() != 0 || len(empty.Fields) != 5 {
		t.Fatalf("no buckets above the threshold: want an empty annotations frame, got %d fields", len(empty.Fields))
	}
}
