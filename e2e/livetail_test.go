package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// liveViewer is one Explore tab in live mode: its query and which of the
// tenant's sign-ins it should see.
type liveViewer struct {
	name  string
	query map[string]any
	keep  func(graphsim.Record) bool
}

// steadySource is a tenant whose non-interactive sign-ins come every half
// second, day and night, so a test of a few seconds always has some: every
// fifth fails, and they go to four apps in turn.
type steadySource struct{}

const steadyEvery = 500 * time.Millisecond

var steadyApps = []string{"Azure Portal", "Outlook", "Microsoft Teams", "SharePoint Online"}

func (steadySource) Hour(lt signin.LogType, hour time.Time) ([]graphsim.Record, error) {
	if lt != signin.NonInteractive {
		return nil, nil
	}
	n := int(time.Hour / steadyEvery)
	recs := make([]graphsim.Record, 0, n)
	for k := n - 1; k >= 0; k-- { // newest first, as every Source
		created := hour.Add(time.Duration(k) * steadyEvery)
		i := created.UnixMilli() / steadyEvery.Milliseconds()
		r := graphsim.Record{Created: created, Type: lt, ID: fmt.Sprintf("steady-%d", i),
			AppID: fmt.Sprintf("app-%d", i%4), AppDisplayName: steadyApps[i%4],
			UserID: fmt.Sprintf("user-%d", i%7), UserPrincipalName: fmt.Sprintf("user%d@contoso.example", i%7)}
		if i%5 == 0 {
			r.ErrorCode = 50126
		}
		var err error
		r.JSON, err = json.Marshal(map[string]any{
			"id": r.ID, "createdDateTime": created.Format(time.RFC3339Nano), "appId": r.AppID, "appDisplayName": r.AppDisplayName,
			"userId": r.UserID, "userPrincipalName": r.UserPrincipalName, "signInEventTypes": []string{lt.GraphEventType()},
			"status": map[string]any{"errorCode": r.ErrorCode},
		})
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// TestLiveTailDeliversEachNewSignInOnce plays Grafana Live through the built
// binary: three viewers follow different queries of one log type of a Graph
// whose sign-ins arrive seconds after they happen, some out of order. Each
// must get every sign-in that arrives while it watches, once, each refresh's
// batch in time order; the three together must cost one refresh of the log
// type per period, not three; and the streams stop when their viewers leave.
func TestLiveTailDeliversEachNewSignInOnce(t *testing.T) {
	src := steadySource{}
	faults := graphsim.Faults{LateShare: 0.3, LateBy: 8 * time.Second}
	const delay = 3 * time.Second
	srv, base, caPEM := startSim(t, graphsim.Options{Source: src, Delay: delay, Faults: faults})
	arrival := func(r graphsim.Record) time.Time {
		a := r.Created.Add(delay)
		if faults.IsLate(r.ID) {
			a = a.Add(faults.LateBy)
		}
		return a
	}

	h := launch(t)
	ds := graphDatasource("live", base, caPEM, simClientID, map[string]string{"clientSecret": "live-secret"})
	const refresh = 5 * time.Second
	ds.JSONData["refreshSeconds"] = int(refresh / time.Second)
	appsAtoM := regexp.MustCompile(`^[A-M]`)
	viewers := []liveViewer{
		{"all", map[string]any{"logType": "nonInteractive", "format": "logs", "limit": 1000}, func(graphsim.Record) bool { return true }},
		{"failures", map[string]any{"logType": "nonInteractive", "format": "logs", "limit": 1000,
			"filters": []any{map[string]any{"key": "status", "op": "=", "value": "failure"}}}, func(r graphsim.Record) bool { return isFailure(int(r.ErrorCode)) }},
		{"apps A-M", map[string]any{"logType": "nonInteractive", "format": "logs", "limit": 1000,
			"filters": []any{map[string]any{"key": "app", "op": "=~", "value": "[A-M].*"}}}, func(r graphsim.Record) bool { return appsAtoM.MatchString(r.AppDisplayName) }},
	}

	start := time.Now()
	ctx, leave := context.WithCancel(context.Background())
	defer leave()
	frames := make([][]*data.Frame, len(viewers))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, v := range viewers {
		raw, path := subscribeLive(t, h, ds, v.query)
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := h.RunStream(ctx, &backend.RunStreamRequest{PluginContext: ds.PluginContext(), Path: path, Data: raw}, func(f *data.Frame) {
				mu.Lock()
				defer mu.Unlock()
				frames[i] = append(frames[i], f)
			})
			if err != nil {
				t.Errorf("%s: the stream ended with %v", v.name, err)
			}
		}()
	}
	// Past the first refresh, which learns what is already there, the three
	// watch for eight periods.
	time.Sleep(2*refresh + 2*time.Second)
	watched := time.Now()
	pagesBefore := srv.Stats().Pages
	time.Sleep(8 * refresh)
	pages := srv.Stats().Pages - pagesBefore
	end := time.Now()
	if streams := liveStreams(t, h, ds); streams != len(viewers) {
		t.Fatalf("stats say %d live tails run; want %d", streams, len(viewers))
	}
	leave()
	wg.Wait()

	// One refresh of the log type per period, whoever watches: 8 periods, a
	// page each (the overlap re-read stays under a page on this tenant), and
	// one period of slack for the ticks' phase; plus the whole re-read of an
	// hour (8 pages) if one closed meanwhile (Freshness, 15 minutes, after
	// its end), as it does for any query.
	allowed := int64(9)
	closes := watched.Add(-15 * time.Minute).Truncate(time.Hour).Add(15 * time.Minute) // the last close at or before watched
	if closes.Before(watched) {
		closes = closes.Add(time.Hour)
	}
	if closes.Before(end) {
		allowed += int64(time.Hour/steadyEvery+999) / 1000
	}
	// In the first 5 minutes of an hour (the store's tail overlap) the hour
	// that just ended is refreshed too, a page per period.
	if hour := end.Truncate(time.Hour); watched.Before(hour.Add(5*time.Minute + refresh)) {
		allowed += 9
	}
	if pages > allowed {
		t.Errorf("the viewers cost %d Graph pages in 8 refresh periods; want at most %d: one refresh per period shared by all", pages, allowed)
	}
	truth, err := graphsim.Collect(src, signin.NonInteractive, start.Add(-time.Hour), end.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	byID := make(map[string]graphsim.Record, len(truth))
	for _, r := range truth {
		byID[r.ID] = r
	}
	for i, v := range viewers {
		checkLiveViewer(t, v, frames[i], byID, arrival, liveBounds{start: start, watched: watched, end: end.Add(-refresh - 2*time.Second)})
	}
	// Grafana cancels a stream when its last viewer leaves: none may run on.
	deadline := time.Now().Add(5 * time.Second)
	for liveStreams(t, h, ds) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("live tails still run after their viewers left")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// liveBounds are the times a viewer's check depends on: sign-ins there
// before start are not new; those arriving from watched until end must all
// have been delivered.
type liveBounds struct{ start, watched, end time.Time }

func checkLiveViewer(t *testing.T, v liveViewer, frames []*data.Frame, byID map[string]graphsim.Record, arrival func(graphsim.Record) time.Time, b liveBounds) {
	t.Helper()
	got := map[string]bool{}
	for _, f := range frames {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeLogLines {
			t.Fatalf("%s: a live frame is not log-lines: %+v", v.name, f.Meta)
		}
		times, ids := f.Fields[0], f.Fields[3]
		for row := 0; row < f.Rows(); row++ {
			id := ids.At(row).(string)
			if got[id] {
				t.Fatalf("%s: %s delivered twice", v.name, id)
			}
			got[id] = true
			if row > 0 && times.At(row).(time.Time).Before(times.At(row-1).(time.Time)) {
				t.Fatalf("%s: a batch is not in time order at row %d", v.name, row)
			}
			r, ok := byID[id]
			switch {
			case !ok:
				t.Fatalf("%s: %s is not a sign-in of the tenant", v.name, id)
			case !v.keep(r):
				t.Fatalf("%s: %s does not match the query", v.name, id)
			case !arrival(r).After(b.start):
				t.Fatalf("%s: %s was there before the viewer came (arrived %s, start %s)", v.name, id, arrival(r), b.start)
			}
		}
	}
	want := 0
	for id, r := range byID {
		if a := arrival(r); v.keep(r) && !a.Before(b.watched) && a.Before(b.end) {
			want++
			if !got[id] {
				t.Fatalf("%s: %s (created %s, arrived %s) was never delivered", v.name, id, r.Created.Format(time.RFC3339Nano), a.Format(time.RFC3339Nano))
			}
		}
	}
	if want == 0 {
		t.Fatalf("%s: no sign-in arrived while it watched; the test would prove nothing", v.name)
	}
	t.Logf("%s: %d sign-ins delivered in %d batches; %d arrived in the checked span", v.name, len(got), len(frames), want)
}

// subscribeLive does what the frontend and Grafana Live do for a viewer: the
// tail resource names the query's channel, and the plugin admits the viewer.
func subscribeLive(t *testing.T, h *plugintest.Host, ds plugintest.Datasource, q map[string]any) (json.RawMessage, string) {
	t.Helper()
	raw, err := json.Marshal(q)
	if err != nil {
		t.Fatal(err)
	}
	res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{PluginContext: ds.PluginContext(),
		Method: http.MethodPost, Path: "tail", URL: "tail", Body: raw})
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("tail resource: %v %v", err, res)
	}
	var out struct{ Path string }
	if err := json.Unmarshal(res.Body, &out); err != nil || !strings.HasPrefix(out.Path, "tail/") {
		t.Fatalf("tail resource answered %s", res.Body)
	}
	sub, err := h.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{PluginContext: ds.PluginContext(), Path: out.Path, Data: raw})
	if err != nil || sub.Status != backend.SubscribeStreamStatusOK {
		t.Fatalf("subscribing to %s: %v %+v", out.Path, err, sub)
	}
	return raw, out.Path
}

func liveStreams(t *testing.T, h *plugintest.Host, ds plugintest.Datasource) int {
	t.Helper()
	res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{PluginContext: ds.PluginContext(), Method: http.MethodGet, Path: "stats", URL: "stats"})
	if err != nil || res.Status != http.StatusOK {
		t.Fatalf("stats: %v %v", err, res)
	}
	var st map[string]int64
	if err := json.Unmarshal(res.Body, &st); err != nil {
		t.Fatal(err)
	}
	return int(st["liveStreams"])
}

// TestLiveTailRefusesForeignChannels: a channel carries only the query its
// name is the digest of, bad queries are named by the tail resource, and a
// replayed file has nothing to follow.
func TestLiveTailRefusesForeignChannels(t *testing.T) {
	h := launch(t)
	ds := plugintest.Datasource{UID: "demo7", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}
	_, path := subscribeLive(t, h, ds, map[string]any{"logType": "interactive", "format": "logs"})
	other, _ := json.Marshal(map[string]any{"logType": "interactive", "format": "logs",
		"filters": []any{map[string]any{"key": "user", "op": "!=", "value": "attacker@contoso.com"}}})
	sub, err := h.SubscribeStream(context.Background(), &backend.SubscribeStreamRequest{PluginContext: ds.PluginContext(), Path: path, Data: other})
	if err != nil || sub.Status != backend.SubscribeStreamStatusPermissionDenied {
		t.Fatalf("a query under another query's channel: %v %+v; want permission denied", err, sub)
	}
	res, err := h.CallResource(context.Background(), &backend.CallResourceRequest{PluginContext: ds.PluginContext(),
		Method: http.MethodPost, Path: "tail", URL: "tail", Body: []byte(`{"logType":"everything"}`)})
	if err != nil || res.Status != http.StatusBadRequest || !strings.Contains(string(res.Body), "logType") {
		t.Fatalf("a bad live query: %v %d %s; want 400 naming logType", err, res.Status, res.Body)
	}
}
