package plugintest

import (
	"context"
	"errors"
	"io"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// SubscribeStream asks the plugin to admit a viewer to a channel, as Grafana
// Live does before it starts (or joins) the channel's stream.
func (h *Host) SubscribeStream(ctx context.Context, req *backend.SubscribeStreamRequest) (*backend.SubscribeStreamResponse, error) {
	resp, err := h.stream.SubscribeStream(ctx, backend.ToProto().SubscribeStreamRequest(req))
	if err != nil {
		return nil, err
	}
	return backend.FromProto().SubscribeStreamResponse(resp), nil
}

// RunStream starts a channel's stream, as Grafana Live does for its first
// viewer, and calls fn with each frame the plugin sends until ctx is
// cancelled (the last viewer left) or the plugin ends the stream. It
// returns the plugin's error, nil when the stream ended with ctx.
func (h *Host) RunStream(ctx context.Context, req *backend.RunStreamRequest, fn func(*data.Frame)) error {
	stream, err := h.stream.RunStream(ctx, backend.ToProto().RunStreamRequest(req))
	if err != nil {
		return err
	}
	for {
		packet, err := stream.Recv()
		if errors.Is(err, io.EOF) || (err != nil && ctx.Err() != nil) {
			return nil
		}
		if err != nil {
			return err
		}
		var frame data.Frame
		if err := frame.UnmarshalJSON(packet.Data); err != nil {
			return err
		}
		fn(&frame)
	}
}
