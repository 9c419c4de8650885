package plugin

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/signinlens/signinlens-entra-datasource/pkg/azure"
	"github.com/signinlens/signinlens-entra-datasource/pkg/budget"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// maxConcurrentQueries bounds the queries of one request run at once; the Graph
// budget is shared anyway, so more would only queue on the throttle.
const maxConcurrentQueries = 4

// defaultTimeBudget is queryTimeBudgetSeconds' default, as the store's.
const defaultTimeBudget = 30 * time.Second

// QueryData answers each query of a request on its own: a bad or failing query gets
// an error in its own response and the others are answered normally. The
// queries and log types of a request share one time budget: a panel waits
// queryTimeBudgetSeconds for a cold range, not that much per log type.
func (ds *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	ctx = budget.WithDeadline(ctx, time.Now().Add(ds.timeBudget()))
	return concurrent.QueryData(ctx, req, ds.query, maxConcurrentQueries)
}

func (ds *Datasource) timeBudget() time.Duration {
	if s := ds.settings.QueryTimeBudgetSeconds; s > 0 {
		return time.Duration(s) * time.Second
	}
	return defaultTimeBudget
}

func (ds *Datasource) query(ctx context.Context, cq concurrent.Query) backend.DataResponse {
	dq := cq.DataQuery
	q, err := query.ParseWith(dq.JSON, ds.engine.Limits())
	if err != nil {
		return errorResponse(err)
	}
	if isAlert(cq.Headers) {
		q.DropOther = true
	}
	r := q.Narrow(query.Range{From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval})
	if err := ds.checkRange(r); err != nil {
		return errorResponse(err)
	}
	res, err := ds.engine.Run(ctx, q, r)
	if err != nil {
		return errorResponse(err)
	}
	res.Notices = append(res.Notices, ds.retentionNotice(r)...)
	res.Notices = append(res.Notices, ds.src.notices(q.LogTypes)...)
	res.Notices = append(res.Notices, ds.span.collapsedNotices(q.LogTypes)...)
	for _, f := range q.IgnoredFilters {
		res.Notices = append(res.Notices, "ad hoc filter "+f+" ignored: SignInLens filters with =, !=, =~, !~, =| and !=| only")
	}
	if res.Partial != nil {
		if isAlert(cq.Headers) {
			// An alert on a half-loaded range would see zeros where sign-ins are
			// still loading: refuse rather than evaluate a wrong number.
			return backend.ErrorResponseWithErrorSource(backend.DownstreamError(fmt.Errorf(
				"sign-ins are still loading from %s (%d of %d time windows loaded); the rule is evaluated once the range is loaded", ds.sourceName(), res.Partial.Loaded, res.Partial.Total)))
		}
	}
	frames := framesOf(dq.RefID, q, res, ds.linkTarget(cq.PluginContext, q, dq.TimeRange.From, dq.TimeRange.To))
	if res.Partial != nil {
		markPartial(frames, res.Partial, ds.sourceName())
	}
	return backend.DataResponse{Frames: frames}
}

// sourceName names where sign-ins come from, for messages.
func (ds *Datasource) sourceName() string { return ds.settings.kind().api(ds.settings).name() }

// isAlert reports whether Grafana's alerting sent the request.
func isAlert(h http.Header) bool { return h.Get("FromAlert") == "true" }

// linkTarget is where a query's frames link: this datasource in Explore over
// the query's range, and the Azure portal of its cloud (none for the demo,
// whose sign-ins are not there).
func (ds *Datasource) linkTarget(pc backend.PluginContext, q query.Query, from, to time.Time) linkTarget {
	link := linkTarget{From: from, To: to, LogType: logTypeOf(q)}
	if is := pc.DataSourceInstanceSettings; is != nil {
		link.UID, link.Name = is.UID, is.Name
	}
	if ds.settings.kind().tenant() {
		if cloud, err := azure.LookupCloud(ds.settings.Cloud); err == nil {
			link.Portal = cloud.Portal
		}
	}
	return link
}

// logTypeOf is the query's logType as the contract writes it.
func logTypeOf(q query.Query) string {
	if len(q.LogTypes) == 1 {
		return q.LogTypes[0].String()
	}
	return "all"
}
