package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/concurrent"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// maxConcurrentQueries bounds the queries of one request run at once; the Graph
// budget is shared anyway, so more would only queue on the throttle.
const maxConcurrentQueries = 4

// QueryData answers each query of a request on its own: a bad or failing query gets
// an error in its own response and the others are answered normally.
func (ds *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	return concurrent.QueryData(ctx, req, ds.query, maxConcurrentQueries)
}

func (ds *Datasource) query(ctx context.Context, cq concurrent.Query) backend.DataResponse {
	dq := cq.DataQuery
	q, err := query.Parse(dq.JSON)
	if err != nil {
		return backend.ErrorResponseWithErrorSource(backend.PluginError(err))
	}
	if isAlert(cq.Headers) {
		q.DropOther = true
	}
	r := q.Narrow(query.Range{From: dq.TimeRange.From, To: dq.TimeRange.To, Interval: dq.Interval})
	if !r.From.Before(r.To) {
		return backend.ErrorResponseWithErrorSource(backend.PluginError(fmt.Errorf("%w: the time range is empty", query.ErrInvalidQuery)))
	}
	if err := ds.checkRetention(r.From); err != nil {
		return backend.ErrorResponseWithErrorSource(backend.PluginError(err))
	}
	res, err := ds.engine.Run(ctx, q, r)
	if err != nil {
		return errorResponse(err)
	}
	if res.Partial != nil {
		if isAlert(cq.Headers) {
			// An alert on a half-loaded range would see zeros where sign-ins are
			// still loading: refuse rather than evaluate a wrong number.
			return backend.ErrorResponseWithErrorSource(backend.DownstreamError(fmt.Errorf(
				"sign-ins are still loading from Microsoft Graph (%d of %d time windows loaded); the rule is evaluated once the range is loaded", res.Partial.Loaded, res.Partial.Total)))
		}
	}
	link := linkTarget{From: dq.TimeRange.From, To: dq.TimeRange.To}
	if is := cq.PluginContext.DataSourceInstanceSettings; is != nil {
		link.UID, link.Name = is.UID, is.Name
	}
	frames := framesOf(dq.RefID, q, res, link)
	if res.Partial != nil {
		markPartial(frames, res.Partial)
	}
	return backend.DataResponse{Frames: frames}
}

// isAlert reports whether Grafana's alerting sent the request.
func isAlert(h http.Header) bool { return h.Get("FromAlert") == "true" }

// checkRetention refuses ranges Microsoft Graph no longer has: it keeps sign-ins
// 30 days (P1/P2). The demo tenant and replayed files have no such limit.
func (ds *Datasource) checkRetention(from time.Time) error {
	if ds.settings.Source != SourceGraph {
		return nil
	}
	oldest := time.Now().Add(-time.Duration(ds.settings.RetentionDays) * 24 * time.Hour)
	if from.Before(oldest) {
		return fmt.Errorf("%w: the time range starts %s, before the %d days Microsoft Graph keeps sign-in logs; choose a range after %s",
			query.ErrInvalidQuery, from.UTC().Format(time.RFC3339), ds.settings.RetentionDays, oldest.UTC().Format(time.RFC3339))
	}
	return nil
}

// errorResponse attributes an error: the user's query, or Microsoft Graph.
func errorResponse(err error) backend.DataResponse {
	if errors.Is(err, query.ErrInvalidQuery) || errors.Is(err, query.ErrUnsupported) {
		return backend.ErrorResponseWithErrorSource(backend.PluginError(err))
	}
	return backend.ErrorResponseWithErrorSource(backend.DownstreamError(err))
}
