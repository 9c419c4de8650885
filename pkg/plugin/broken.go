package plugin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// brokenDatasource stands in for a datasource whose settings cannot work. It
// answers every call with the reason, so the admin sees "demoSize \"huge\"; want
// small, medium or large" in the health check and in each panel.
type brokenDatasource struct {
	err error
}

func (b *brokenDatasource) CheckHealth(context.Context, *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: b.err.Error()}, nil
}

func (b *brokenDatasource) QueryData(_ context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = backend.ErrorResponseWithErrorSource(backend.PluginError(b.err))
	}
	return resp, nil
}

func (b *brokenDatasource) CallResource(_ context.Context, _ *backend.CallResourceRequest, sender backend.CallResourceResponseSender) error {
	body, _ := json.Marshal(map[string]string{"error": b.err.Error()}) // a map of strings always marshals
	return sender.Send(&backend.CallResourceResponse{Status: http.StatusServiceUnavailable, Body: body,
		Headers: map[string][]string{"Content-Type": {"application/json"}}})
}

func (b *brokenDatasource) SubscribeStream(context.Context, *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	return nil, b.err
}

func (b *brokenDatasource) PublishStream(context.Context, *backend.PublishStreamRequest) (*backend.PublishStreamResponse, error) {
	return &backend.PublishStreamResponse{Status: backend.PublishStreamStatusPermissionDenied}, nil
}

func (b *brokenDatasource) RunStream(context.Context, *backend.RunStreamRequest, *backend.StreamSender) error {
	return b.err
}
