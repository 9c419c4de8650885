package plugin

import (
	"context"
	"errors"

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
	series, err := ds.engine.TimeSeries(ctx, q, dq.TimeRange.From, dq.TimeRange.To, dq.Interval)
	if err != nil {
		return errorResponse(err)
	}
	return backend.DataResponse{Frames: timeSeriesFrames(dq.RefID, series)}
}

// errorResponse attributes an error: the user's query, or Microsoft Graph.
func errorResponse(err error) backend.DataResponse {
	if errors.Is(err, query.ErrInvalidQuery) || errors.Is(err, query.ErrUnsupported) {
		return backend.ErrorResponseWithErrorSource(backend.PluginError(err))
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return backend.ErrorResponseWithErrorSource(backend.DownstreamError(err))
	}
	return backend.ErrorResponseWithErrorSource(backend.DownstreamError(err))
}
