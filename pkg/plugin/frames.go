package plugin

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// framesOf renders an engine result in the shape its format needs, with the
// engine's notices on the first frame.
func framesOf(refID string, q query.Query, res query.Result, link linkTarget) data.Frames {
	var frames data.Frames
	switch {
	case q.Variable != nil:
		frames = data.Frames{valuesFrame(res.Values)}
	case res.Table != nil:
		frames = data.Frames{tableFrame(res.Table)}
	case res.Grouped != nil:
		frames = data.Frames{groupedFrame(res.Grouped, link)}
	case res.Marks != nil:
		frames = data.Frames{marksFrame(res.Marks, q)}
	case res.Logs != nil && q.Format == query.Annotations:
		frames = data.Frames{annotationsFrame(res.Logs)}
	case res.Logs != nil:
		frames = data.Frames{logsFrame(res.Logs, link)}
	default:
		frames = timeSeriesFrames(res.Series, q.LegendFormat)
	}
	if len(frames) == 0 { // no series: a typed empty frame still carries the notices
		frames = data.Frames{data.NewFrame("")}
		frames[0].Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
	}
	for _, f := range frames {
		f.RefID = refID
	}
	if len(frames) > 0 && len(res.Notices) > 0 {
		meta := ensureMeta(frames[0])
		for _, n := range res.Notices {
			meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityInfo, Text: n})
		}
	}
	return frames
}

func ensureMeta(f *data.Frame) *data.FrameMeta {
	if f.Meta == nil {
		f.Meta = &data.FrameMeta{}
	}
	return f.Meta
}

// timeSeriesFrames renders series in the dataplane "timeseries-multi" shape: one
// frame per series, a time field and a numeric value field carrying the labels.
// Alert rules read the same frames.
func timeSeriesFrames(series []query.Series, legend string) data.Frames {
	frames := make(data.Frames, 0, len(series))
	for _, s := range series {
		value := data.NewField(s.Name, data.Labels(s.Labels), s.Values)
		if legend != "" {
			value.Config = &data.FieldConfig{DisplayNameFromDS: legendOf(legend, s.Labels)}
		}
		frame := data.NewFrame(s.Name, data.NewField(data.TimeSeriesTimeFieldName, nil, s.Times), value)
		frame.Meta = &data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}}
		frames = append(frames, frame)
	}
	return frames
}

// tableFrame renders a table in the dataplane "numeric-long" shape: a string
// column per groupBy dimension and one numeric column, which both table panels
// and alert rules read (one alert instance per row).
func tableFrame(t *query.TableRows) *data.Frame {
	frame := data.NewFrame(t.Metric)
	for c, name := range t.Columns {
		frame.Fields = append(frame.Fields, labelField(name, t.Rows, c))
	}
	metric := make([]float64, len(t.Rows))
	for r, row := range t.Rows {
		metric[r] = row.Value
	}
	value := data.NewField(t.Metric, nil, metric)
	if query.Metric(t.Metric).IsTime() { // a time in Unix ms: shown as "3 days ago"
		value.Config = &data.FieldConfig{Unit: "dateTimeFromNow"}
	}
	frame.Fields = append(frame.Fields, value)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

// labelField is a table's group column. Coordinates are numbers (nullable:
// Graph often has none), so a geomap reads them without a conversion.
func labelField(name string, rows []query.TableRow, c int) *data.Field {
	if name == "latitude" || name == "longitude" {
		values := make([]*float64, len(rows))
		for r, row := range rows {
			if v, err := strconv.ParseFloat(row.Labels[c], 64); err == nil {
				values[r] = &v
			}
		}
		return data.NewField(name, nil, values)
	}
	values := make([]string, len(rows))
	for r, row := range rows {
		values[r] = row.Labels[c]
	}
	return data.NewField(name, nil, values)
}

// valuesFrame is a template variable's answer: one text field of values.
func valuesFrame(values []query.ValueCount) *data.Frame {
	text := make([]string, len(values))
	for i, v := range values {
		text[i] = v.Value
	}
	return data.NewFrame("values", data.NewField("value", nil, text))
}

// markPartial puts a warning on the first frame: the answer covers only the
// windows loaded so far, and a refresh will show more.
func markPartial(frames data.Frames, p *query.Partial, from string) {
	if len(frames) == 0 {
		return
	}
	pct := 0
	if p.Total > 0 {
		pct = 100 * p.Loaded / p.Total
	}
	meta := ensureMeta(frames[0])
	meta.Notices = append(meta.Notices, data.Notice{Severity: data.NoticeSeverityWarning, Text: fmt.Sprintf(
		"Partial answer: %d of %d time windows (%d%%) are loaded from %s; loading continues in the background, refresh to see more.", p.Loaded, p.Total, pct, from)})
}

// legendPlaceholder is a "{{label}}" of a legend format.
var legendPlaceholder = regexp.MustCompile(`\{\{\s*([A-Za-z]+)\s*\}\}`)

// legendOf renders a legend format with a series' labels; an unknown label
// renders empty, as in Prometheus.
func legendOf(format string, labels map[string]string) string {
	return legendPlaceholder.ReplaceAllStringFunc(format, func(m string) string {
		return labels[legendPlaceholder.FindStringSubmatch(m)[1]]
	})
}
