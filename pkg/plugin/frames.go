package plugin

import (
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// timeSeriesFrames renders series in the dataplane "timeseries-multi" shape: one
// frame per series, a time field and a numeric value field carrying the labels.
// Alert rules read the same frames.
func timeSeriesFrames(refID string, series []query.Series) data.Frames {
	frames := make(data.Frames, 0, len(series))
	for _, s := range series {
		value := data.NewField(s.Name, data.Labels(s.Labels), s.Values)
		frame := data.NewFrame(s.Name, data.NewField(data.TimeSeriesTimeFieldName, nil, s.Times), value)
		frame.RefID = refID
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
		frames = append(frames, frame)
	}
	return frames
}
