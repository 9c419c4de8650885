package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// The workspace's documented throttle (docs/log-analytics.md, "The answer"),
// which the simulator enforces in figure g and the plugin paces itself to.
const (
	workspaceRequests = graphsim.WorkspaceThrottleLimit  // 200 queries
	workspaceWindow   = graphsim.WorkspaceThrottleWindow // per 30 s
	workspaceSpeedup  = 20                               // figure g's target: Graph's minimum time ÷ the workspace's time
	benchWorkspaceID  = "00000000-0000-4000-8000-00000000a11a"
	benchTenantID     = "00000000-0000-4000-8000-0000000be7c4"
)

// WorkspaceColdLoad measures figure g: the last closed Options.Days of the
// Options.Tenant loaded cold through a Log Analytics workspace, wired as the
// plugin wires it (a client secret against the simulator's token endpoint,
// its CA, one pace bucket of 200 per 30 s shared by the client and the
// store), from a simulator that throttles as the service does. Graph's side
// is computed, not loaded (the medium week is an hour of Graph's throttle):
// the store's very listings, each ⌈n/1000⌉ requests at 2 s a request.
func WorkspaceColdLoad(ctx context.Context, o Options) ([]Result, error) {
	l, err := workspaceLoad(ctx, o)
	if err != nil {
		return nil, err
	}
	return l.results(o), nil
}

// wsLoad is what one cold load through the workspace did.
type wsLoad struct {
	from, to time.Time
	signIns  int
	listings []listCall
	elapsed  time.Duration
	cpu      time.Duration // the plugin's: the simulator runs in its own process
	obs      *wsObserver
	charged  int64 // tokens the shared bucket handed out
	throttle int64 // 429s that reached the store: the client gave up waiting them out
	received int64 // bytes of the query answers' bodies
}

// workspaceLoad starts the simulated workspace and loads [from, to) of every
// log into a fresh store, as a dashboard's panels do.
func workspaceLoad(ctx context.Context, o Options) (*wsLoad, error) {
	l := &wsLoad{obs: &wsObserver{}}
	ws, err := startWorkspace(o, o.Tenant, l.obs)
	if err != nil {
		return nil, err
	}
	defer ws.close()
	client, bucket, body := ws.client, ws.bucket, ws.body
	src := &recordingSource{next: client}
	// The plugin's store for a workspace: the client paces every attempt; a budget long enough to wait out
	// the whole load, as the benchmark has no panel deadline.
	st := store.New(src, store.Config{MaxRun: runWindows, TimeBudget: 4 * time.Hour, MetricsLabel: "bench-workspace"})
	defer st.Close()

	// Closed days only: every window is final, none is refetched, and a
	// day-aligned range makes each listing one whole day per log type.
	l.to = time.Now().UTC().Truncate(24 * time.Hour)
	l.from = l.to.AddDate(0, 0, -o.Days)
	runtime.GC()
	stop := profile(o, "workspace")
	cpu0, start := cpuTime(), time.Now()
	perType, _, err := loadAll(ctx, st, l.from, l.to)
	l.elapsed, l.cpu = time.Since(start), cpuTime()-cpu0
	stop()
	if err != nil {
		return nil, err
	}
	for _, n := range perType {
		l.signIns += n
	}
	l.listings, l.charged, l.throttle = src.snapshot(), bucket.Charged(), src.throttled.Load()
	l.received = body.bytes.Load()
	o.logf("  loaded %d sign-ins of the %s tenant through the workspace in %s (%d queries)",
		l.signIns, o.Tenant, l.elapsed.Round(time.Millisecond), l.obs.requests.Load())
	return l, nil
}

// workspaceClient builds the Log Analytics client as the plugin's
// logAnalyticsConfig and newSource do: azure.Credential's client secret
// against the simulator's authority (no instance discovery), an HTTP client
// trusting its CA, and a pace bucket of the service's throttle. The
// queries' client only has body wrapped around its transport, to count the
// bytes of the answers.
func workspaceClient(url string, caPEM []byte, clientID, secret string, obs azure.Observer, body *countingTransport) (*loganalytics.Client, *pace.Bucket, error) {
	hc, err := azure.HTTPClient(caPEM)
	if err != nil {
		return nil, nil, err
	}
	counted := *hc
	body.next = hc.Transport
	if body.next == nil {
		body.next = http.DefaultTransport
	}
	counted.Transport = body
	cred, err := azure.Credential{AuthType: azure.AuthClientSecret, TenantID: benchTenantID, ClientID: clientID,
		ClientSecret: secret}.Build(url, true, hc)
	if err != nil {
		return nil, nil, err
	}
	bucket := pace.New(workspaceRequests, workspaceWindow)
	client, err := loganalytics.New(loganalytics.Config{WorkspaceID: benchWorkspaceID, Endpoint: url,
		Credential: cred, HTTPClient: &counted, Pacer: bucket, Observer: obs})
	return client, bucket, err
}

// graphMinimum is the fewest Graph requests the store's listings need (one
// per 1,000 sign-ins, one for an empty answer): Graph would be asked for the
// same day-long runs of windows.
func (l *wsLoad) graphMinimum() int {
	n := 0
	for _, c := range l.listings {
		n += requestsFor(c.events)
	}
	return n
}

// throttleFloor is the least time the workspace's throttle allows the
// queries made: a full bucket of 200, then one every 150 ms.
func (l *wsLoad) throttleFloor() time.Duration {
	return time.Duration(max(0, l.obs.requests.Load()-workspaceRequests)) * (workspaceWindow / workspaceRequests)
}

// cutShare estimates the share of the answers' bytes in answers cut at the
// byte limit: each holds the rows up to 64 MiB.
func (l *wsLoad) cutShare() float64 {
	cut := float64(l.obs.splits.Load()) * graphsim.DefaultMaxBytes
	return min(1, cut/max(1, float64(l.received)))
}

func (l *wsLoad) results(o Options) []Result {
	scope := fmt.Sprintf("%s tenant, %d closed days (%s to %s)", o.Tenant, o.Days, l.from.Format(time.DateOnly), l.to.Format(time.DateOnly))
	queries := l.obs.requests.Load()
	graphReqs := l.graphMinimum()
	graphTime := time.Duration(graphReqs) * throttleCost
	cores := runtime.GOMAXPROCS(0)
	return []Result{
		info("g. workspace cold load: wall time", l.elapsed.Seconds(), "s",
			fmt.Sprintf("%s: %d sign-ins in %d listings (%d rows decoded); the plugin's CPU %.1f s = %.0f%% of %d cores (the simulator runs in its own process); the throttle's floor for %d queries %.1f s",
				scope, l.signIns, len(l.listings), l.obs.rows.Load(), l.cpu.Seconds(), 100*l.cpu.Seconds()/max(1e-9, l.elapsed.Seconds()*float64(cores)), cores, queries, l.throttleFloor().Seconds())),
		info("g. plugin CPU per million rows", l.cpu.Seconds()/max(1e-9, float64(l.obs.rows.Load())/1e6), "s",
			fmt.Sprintf("client (reading and decoding the answers) and store, %.1f s for %d rows decoded; %.0f MB of answers, %.0f B a row", l.cpu.Seconds(), l.obs.rows.Load(), float64(l.received)/1e6, float64(l.received)/max(1, float64(l.obs.rows.Load())))),
		info("g. workspace cold load: requests", float64(queries), "",
			fmt.Sprintf("%d queries (the bucket charged %d) for %d listings: %d answers cut at 64 MiB (or 500,000 rows) and asked for again in halves; %.0f MB of answers, about %.0f%% of them in the cut ones (≤ 64 MiB each), decoded and dropped; answered by status %v",
				queries, l.charged, len(l.listings), l.obs.splits.Load(), float64(l.received)/1e6, 100*l.cutShare(), l.obs.statusCounts())),
		info("g. Graph, same listings: minimum", graphTime.Minutes(), "min",
			fmt.Sprintf("computed, not loaded: the store's %d day-long listings need Σmax(1,⌈n/1000⌉) = %d Graph requests; × 2 s at 5 per 10 s (%.0f s less from a full bucket)",
				len(l.listings), graphReqs, (throttleRequests*throttleCost).Seconds())),
		atLeast("g. Graph minimum ÷ workspace time", graphTime.Seconds()/max(1e-9, l.elapsed.Seconds()), "×", workspaceSpeedup,
			fmt.Sprintf("%d Graph requests, %.0f s, against %d workspace queries, %.1f s", graphReqs, graphTime.Seconds(), queries, l.elapsed.Seconds())),
		{Figure: "g. workspace cold load: 429s", Value: float64(l.obs.byStatus(http.StatusTooManyRequests)), Target: "= 0",
			Pass: l.obs.byStatus(http.StatusTooManyRequests) == 0 && l.throttle == 0,
			Note: fmt.Sprintf("429s the simulated service answered (200 per 30 s); %d reached the store unhandled; %d retries, splits included", l.throttle, l.obs.retries.Load())},
	}
}

// wsObserver counts the workspace client's queries by status, its retries,
// the splits among them, and the rows it decoded.
type wsObserver struct {
	statusObserver
	splits atomic.Int64
	rows   atomic.Int64
}

var _ azure.Observer = (*wsObserver)(nil)

func (o *wsObserver) Retry(reason string) {
	o.retries.Add(1)
	if reason == "split" {
		o.splits.Add(1)
	}
}

func (o *wsObserver) Decoded(d azure.Decoded) { o.rows.Add(int64(d.Rows)) }

// countingTransport counts the bytes of the response bodies it carries.
type countingTransport struct {
	next  http.RoundTripper
	bytes atomic.Int64
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	if resp != nil && resp.Body != nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &t.bytes}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}
