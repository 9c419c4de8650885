package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/internal/testclock"
)

// TestMaxGroupsSetting: the datasource's maxGroups bounds an adversarial
// group-by; the answer says so, and the rows still add up to every sign-in.
func TestMaxGroupsSetting(t *testing.T) {
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "limits",
		JSONData: unwarmed(`{"source":"demo","demoSeed":7,"demoSize":"small","maxGroups":50}`)})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	defer ds.Dispose()
	_, to := testclock.Workday(t) // a working day whose windows have all closed
	tr := backend.TimeRange{From: to.Add(-24 * time.Hour), To: to}
	ask := func(q string) backend.DataResponse {
		t.Helper()
		resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", TimeRange: tr, Interval: time.Hour, JSON: []byte(q)}}})
		if err != nil || resp.Responses["A"].Error != nil {
			t.Fatalf("query failed: %v %v", err, resp.Responses["A"].Error)
		}
		return resp.Responses["A"]
	}
	grouped := ask(`{"logType":"nonInteractive","format":"table","metric":"count","groupBy":["ipAddress","user"],"limit":10000}`)
	total := ask(`{"logType":"nonInteractive","format":"table","metric":"count"}`)
	frame := grouped.Frames[0]
	var notice string
	if frame.Meta != nil {
		for _, n := range frame.Meta.Notices {
			notice += n.Text
		}
	}
	if frame.Rows() != 51 || !strings.Contains(notice, "more than 50 groups") || !strings.Contains(notice, "maxGroups") {
		t.Fatalf("unexpected answer: %d rows, notices %q; want 50 groups and other, with a notice naming maxGroups", frame.Rows(), notice)
	}
	sum := 0.0
	value := frame.Fields[len(frame.Fields)-1]
	for i := 0; i < value.Len(); i++ {
		v, _ := value.ConcreteAt(i)
		sum += v.(float64)
	}
	want, _ := total.Frames[0].Fields[len(total.Frames[0].Fields)-1].ConcreteAt(0)
	if sum != want.(float64) || sum == 0 {
		t.Fatalf("the bounded groups sum to %v; want every sign-in, %v", sum, want)
	}
}

// TestIgnoredAdHocFilters: an ad hoc filter the frontend could not apply is
// named in the answer's notice, quoted, never dropped in silence.
func TestIgnoredAdHocFilters(t *testing.T) {
	inst, err := NewDatasource(context.Background(), backend.DataSourceInstanceSettings{UID: "adhoc",
		JSONData: unwarmed(`{"source":"demo","demoSeed":7,"demoSize":"small"}`)})
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	defer ds.Dispose()
	to := testclock.ClosedHour(t)
	resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A",
		TimeRange: backend.TimeRange{From: to.Add(-time.Hour), To: to}, Interval: time.Minute,
		JSON: []byte(`{"format":"table","metric":"count","ignoredFilters":["errorCode < 50000"]}`)}}})
	if err != nil || resp.Responses["A"].Error != nil {
		t.Fatalf("query failed: %v %v", err, resp.Responses["A"].Error)
	}
	var notices []string
	for _, n := range resp.Responses["A"].Frames[0].Meta.Notices {
		notices = append(notices, n.Text)
	}
	if !strings.Contains(strings.Join(notices, "\n"), `ad hoc filter "errorCode < 50000" ignored`) {
		t.Fatalf("unexpected notices %q", notices)
	}
}
