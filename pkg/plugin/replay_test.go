package plugin

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
)

// replayCSV is a Log Analytics export that lists r-1 twice: re-emitted when
// its status changed, the later version (by TimeGenerated) failed.
const replayCSV = "Id,CreatedDateTime,TimeGenerated,Type,ResultType\n" +
	"r-1,2026-01-13T07:00:01Z,2026-01-13T07:40:00Z,SigninLogs,50126\n" +
	"r-1,2026-01-13T07:00:01Z,2026-01-13T07:02:00Z,SigninLogs,0\n" +
	"r-2,2026-01-13T07:10:00Z,2026-01-13T07:12:00Z,SigninLogs,0\n" +
	"r-3,2026-01-15T09:30:00Z,2026-01-15T09:31:00Z,AADServicePrincipalSignInLogs,7000215\n"

// serveReplay serves src as `graphsim serve --tls` does and returns a
// datasource of the given source pointed at it, with the server's permission
// for custom endpoints.
func serveReplay(t *testing.T, src graphsim.Source, source string) (*Datasource, *graphsim.Server) {
	t.Helper()
	sim, err := graphsim.New(graphsim.Options{Source: src, Credentials: map[string]string{"replay-app": "replay-secret"}})
	if err != nil {
		t.Fatal(err)
	}
	base, err := sim.Start("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	t.Setenv(envAllowCustomEndpoints, "true")
	jd := fmt.Sprintf(`{"source":%q,"tenantId":"contoso.onmicrosoft.com","clientId":"replay-app","authorityHost":%q,"graphEndpoint":%q,"logAnalyticsEndpoint":%q,"workspaceId":%q}`,
		source, base, base, base, demoWorkspaceID)
	inst := newInstance(t, jd, map[string]string{"clientSecret": "replay-secret", "tlsCACert": string(sim.CACertPEM())})
	ds, ok := inst.(*Datasource)
	if !ok {
		t.Fatalf("the datasource did not start: %q", health(t, inst).Message)
	}
	return ds, sim
}

func replayOf(t *testing.T, text string) graphsim.Source {
	t.Helper()
	src, err := graphsim.FileSource(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestReplayedExportIsClippedAndSaid: an export ten months old, served by the
// simulator and read through a Graph or workspace source, is not refused by
// Graph's retention or maxRangeDays: a year's range is clipped to the file's
// span and costs one paged request per log type (and a count through a
// workspace); the re-emission it collapsed
// is said in the answer and the health check; nothing is tailed.
func TestReplayedExportIsClippedAndSaid(t *testing.T) {
	for _, source := range []string{SourceGraph, SourceLogAnalytics} {
		t.Run(source, func(t *testing.T) {
			ds, sim := serveReplay(t, replayOf(t, replayCSV), source)
			res := health(t, ds)
			for _, want := range []string{"from 2026-01-13T07:00:01Z to 2026-01-15T09:30:00Z", "lists 1 interactive sign-ins more than once"} {
				if !strings.Contains(res.Message, want) {
					t.Fatalf("health %q; want %q", res.Message, want)
				}
			}
			from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
			before := sim.Stats()
			ans := ask(t, ds, from, from.Add(365*24*time.Hour), `{"format":"table","metric":"failures","logType":"all"}`)
			if ans.Error != nil {
				t.Fatal(ans.Error)
			}
			v, _ := ans.Frames[0].Fields[0].ConcreteAt(0)
			notices := fmt.Sprint(ans.Frames[0].Meta.Notices)
			if v != 2.0 || !strings.Contains(notices, "counted once, in its latest version") {
				t.Fatalf("%v failures, notices %s; want 2 (r-1's latest version and r-3) and the collapsed notice", v, notices)
			}
			// A workspace's first listing of a table longer than an hour is
			// counted first (pkg/loganalytics sized): one count more per log type.
			perType := map[string]int64{SourceGraph: 1, SourceLogAnalytics: 2}[source]
			if asked := sim.Stats().Requests - before.Requests; asked > 4*perType+1 {
				t.Fatalf("a year over a two-day file made %d requests; want %d per log type and at most a token", asked, perType)
			}
			if _, err := ds.tailQuery([]byte(`{"format":"logs"}`)); err == nil || !strings.Contains(err.Error(), "replayed file receives no new sign-ins") {
				t.Fatalf("tail of a replay: %v", err)
			}
		})
	}
}

// TestSyntheticSimulatorIsNoReplay: a custom endpoint that replays no file
// (404 at the replay path, as Graph and its proxies answer) is read as the
// source it names: Graph's retention applies, and the health says nothing of
// a replay.
func TestSyntheticSimulatorIsNoReplay(t *testing.T) {
	tenant, err := synth.New(3, "small")
	if err != nil {
		t.Fatal(err)
	}
	ds, _ := serveReplay(t, graphsim.TenantSource(tenant), SourceGraph)
	if ds.span != nil || len(ds.warnings) != 0 {
		t.Fatalf("span %v, warnings %q; want neither", ds.span, ds.warnings)
	}
	if res := health(t, ds); strings.Contains(res.Message, "replays") {
		t.Fatalf("health %q", res.Message)
	}
	now := time.Now()
	ans := ask(t, ds, now.Add(-60*24*time.Hour), now.Add(-50*24*time.Hour), `{"format":"table"}`)
	if ans.Error == nil || !strings.Contains(ans.Error.Error(), "before the 30 days Microsoft Graph keeps") {
		t.Fatalf("%v; want Graph's retention", ans.Error)
	}
}

// TestReplayAnswersAreChecked: what a custom endpoint says of its replay is
// checked before it lifts any bound.
func TestReplayAnswersAreChecked(t *testing.T) {
	for _, tc := range []struct {
		r    graphsim.Replay
		want string
	}{
		{graphsim.Replay{First: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC), Last: time.Now()}, "is not one of sign-ins"},
		{graphsim.Replay{First: time.Now(), Last: time.Now().Add(-time.Hour)}, "is not one of sign-ins"},
		{graphsim.Replay{First: time.Now().Add(-time.Hour), Last: time.Now(), Collapsed: map[string]int{"all": 1}}, `collapsed "all"`},
		{graphsim.Replay{First: time.Now().Add(-time.Hour), Last: time.Now(), Collapsed: map[string]int{"interactive": -1}}, `collapsed "interactive": -1`},
	} {
		if _, err := spanOf(tc.r); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v; want %q", tc.r, err, tc.want)
		}
	}
}
