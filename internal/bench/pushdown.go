package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pushdown"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// pushSettle is how long after a day ends push-down waits before caching it:
// the plugin's default freshness (Settings.Freshness).
const pushSettle = 15 * time.Minute

// pushPanels are long-range panels as a dashboard on a workspace would ask
// them: every kind of metric, one log or all four (one KQL count per table).
var pushPanels = []struct {
	title string
	query string
}{
	{"sign-ins per day by outcome", `{"logType":"interactive","format":"timeSeries","metric":"count","groupBy":["status"],"timeAggregate":"24h"}`},
	{"failures per day by error code", `{"logType":"interactive","format":"timeSeries","metric":"failures","groupBy":["errorCode"],"timeAggregate":"24h"}`},
	{"failure rate by application", `{"logType":"interactive","format":"table","metric":"failureRate","groupBy":["app"]}`},
	{"top applications, non-interactive", `{"logType":"nonInteractive","format":"table","metric":"count","groupBy":["app"],"limit":10}`},
	{"distinct users per application", `{"logType":"interactive","format":"table","metric":"distinctUsers","groupBy":["app"]}`},
	{"sign-ins per day by log type, every log", `{"logType":"all","format":"timeSeries","metric":"count","groupBy":["logType"],"timeAggregate":"24h"}`},
}

// PushDown measures figure h: panels over the last Options.PushDays days
// answered in a simulated Log Analytics workspace (push-down), wired as
// figure g wires the workspace; first load, then a refresh as a dashboard's
// next one. Settled days of mergeable metrics come from the runner's cache,
// so a refresh asks only for the days not settled; a distinct count asks
// for the whole range every time. What the store would hold instead is
// computed from the answers: the sign-ins counted, at figure c's bytes.
func PushDown(ctx context.Context, o Options) ([]Result, error) {
	ws, err := startWorkspace(o, o.PushTenant, &wsObserver{})
	if err != nil {
		return nil, err
	}
	defer ws.close()
	counted := &countedWorkspace{next: ws.client}
	runner := &pushdown.Runner{Workspace: counted, Cache: pushdown.NewL1(32 << 20), Settle: pushSettle}
	engine := query.New(nil) // counts only: it reads no store
	now := time.Now().UTC()
	r := query.Range{From: now.AddDate(0, 0, -o.PushDays), To: now, Interval: time.Duration(o.PushDays) * 24 * time.Hour / 1000}
	var qs []query.Query
	for _, p := range pushPanels {
		q, err := query.Parse(json.RawMessage(p.query))
		if err != nil {
			return nil, fmt.Errorf("bench: push-down panel %q: %w", p.title, err)
		}
		qs = append(qs, q)
	}
	first, err := pushRound(ctx, engine, runner, counted, ws.body, qs, r)
	if err != nil {
		return nil, err
	}
	o.logf("  first load: %d workspace queries in %s", sum(first.asked), first.elapsed.Round(time.Millisecond))
	r.To = time.Now().UTC()
	refresh, err := pushRound(ctx, engine, runner, counted, ws.body, qs, r)
	if err != nil {
		return nil, err
	}
	held, err := signInsIn(ctx, engine, runner, r)
	if err != nil {
		return nil, err
	}
	return pushResults(o, first, refresh, held, refreshQueries(r)), nil
}

// pushLoad is one load of every panel: its time, and per panel the
// workspace queries and the answers' bytes.
type pushLoad struct {
	elapsed time.Duration
	asked   []int64
	bytes   int64
	each    []time.Duration
}

func newPushLoad(n int) pushLoad {
	return pushLoad{asked: make([]int64, n), each: make([]time.Duration, n)}
}

func pushRound(ctx context.Context, engine *query.Engine, runner *pushdown.Runner, counted *countedWorkspace, body *countingTransport, qs []query.Query, r query.Range) (pushLoad, error) {
	round := newPushLoad(len(qs))
	bytes0, start := body.bytes.Load(), time.Now()
	for i, q := range qs {
		asked0, t0 := counted.asked.Load(), time.Now()
		if _, err := engine.Counted(ctx, q, q.Narrow(r), runner); err != nil {
			return pushLoad{}, fmt.Errorf("bench: push-down panel %q: %w", pushPanels[i].title, err)
		}
		round.each[i], round.asked[i] = time.Since(t0), counted.asked.Load()-asked0
	}
	round.elapsed, round.bytes = time.Since(start), body.bytes.Load()-bytes0
	return round, nil
}

// signInsIn counts the sign-ins of every log in r through the runner
// (settled days from its cache): what the store would have to hold.
func signInsIn(ctx context.Context, engine *query.Engine, runner *pushdown.Runner, r query.Range) (int64, error) {
	q, err := query.Parse(json.RawMessage(`{"logType":"all","format":"table","metric":"count"}`))
	if err != nil {
		return 0, err
	}
	res, err := engine.Counted(ctx, q, r, runner)
	if err != nil {
		return 0, fmt.Errorf("bench: counting the sign-ins: %w", err)
	}
	if res.Table == nil || len(res.Table.Rows) != 1 {
		return 0, fmt.Errorf("bench: counting the sign-ins: want one row")
	}
	return int64(res.Table.Rows[0].Value), nil
}

// refreshQueries is what a refresh at now asks the workspace for, per
// mergeable panel over r (pushdown.Runner's byDay): the part-day before r's
// first midnight, never cached, and the days not settled, in one query.
func refreshQueries(r query.Range) int64 {
	var n int64
	if !r.From.Equal(r.From.Truncate(24 * time.Hour)) {
		n++
	}
	if lastSettled := r.To.Add(-pushSettle).Truncate(24 * time.Hour); lastSettled.Before(r.To) {
		n++
	}
	return n
}

func pushResults(o Options, first, refresh pushLoad, held, want int64) []Result {
	scope := fmt.Sprintf("%d days of the %s tenant in a simulated workspace (%d panels)", o.PushDays, o.PushTenant, len(pushPanels))
	out := []Result{
		info("h. push-down first load", ms(first.elapsed), "ms",
			fmt.Sprintf("%s: %d workspace queries (mergeable panels ask each settled day, 4 at a time, and cache it), %.1f MB of answers", scope, sum(first.asked), float64(first.bytes)/1e6)),
		info("h. push-down refresh", ms(refresh.elapsed), "ms",
			fmt.Sprintf("the same panels again: %d workspace queries, %.1f MB of answers", sum(refresh.asked), float64(refresh.bytes)/1e6)),
		info("h. sign-ins in the range: the store's alternative", float64(held)/1e6, "M",
			fmt.Sprintf("the store would hold %.0f MB of them at figure c's 31.2 B a sign-in (against a default cacheSizeMB of 256) and fetch them first; push-down moved %.1f MB of answers", float64(held)*31.2/1e6, float64(first.bytes)/1e6)),
	}
	for i, p := range pushPanels {
		q, _ := query.Parse(json.RawMessage(p.query))
		if q.Metric.IsDistinct() {
			out = append(out, info("h. refresh queries: "+p.title, float64(refresh.asked[i]), "",
				fmt.Sprintf("a distinct count is not the sum of its days': the whole range is asked each time (%.0f ms; first load %.0f ms)", ms(refresh.each[i]), ms(first.each[i]))))
			continue
		}
		tables := int64(len(q.LogTypes))
		out = append(out, Result{Figure: "h. refresh queries: " + p.title, Value: float64(refresh.asked[i]), Target: fmt.Sprintf("= %d (per table: the part-day at the start, the days not settled)", want*tables),
			Pass: refresh.asked[i] == want*tables,
			Note: fmt.Sprintf("first load %d queries in %.0f ms; refresh %.0f ms", first.asked[i], ms(first.each[i]), ms(refresh.each[i]))})
	}
	return out
}

func sum(xs []int64) int64 {
	var n int64
	for _, x := range xs {
		n += x
	}
	return n
}

// benchWorkspace is a simulated tenant's workspace that throttles as the
// service does, in a process of its own, and a client of it wired as the
// plugin wires one (figures g and h).
type benchWorkspace struct {
	sim    *simProcess
	client *loganalytics.Client
	bucket *pace.Bucket
	body   *countingTransport // counts the answers' bytes
}

func startWorkspace(o Options, tenant string, obs azure.Observer) (*benchWorkspace, error) {
	secret, err := secretHex()
	if err != nil {
		return nil, err
	}
	sim, err := startSimProcess(o, o.Seed, tenant)
	if err != nil {
		return nil, err
	}
	ws := &benchWorkspace{sim: sim, body: &countingTransport{}}
	if ws.client, ws.bucket, err = workspaceClient(sim.url, sim.caPEM, clientID, secret, obs, ws.body); err != nil {
		sim.close()
		return nil, err
	}
	return ws, nil
}

func (w *benchWorkspace) close() { w.sim.close() }

// countedWorkspace counts the push-down queries.
type countedWorkspace struct {
	next  pushdown.Workspace
	asked atomic.Int64
}

func (c *countedWorkspace) Aggregate(ctx context.Context, t signin.LogType, kql string, from, to time.Time) (loganalytics.Answer, error) {
	c.asked.Add(1)
	return c.next.Aggregate(ctx, t, kql, from, to)
}
