package plugin

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

// linkTarget is the datasource a grouped row's "expand" link opens in Explore.
type linkTarget struct {
	UID, Name string
	From, To  time.Time
	LogType   string // the query's logType, for links to more of its sign-ins
	Portal    string // the Azure portal of the datasource's cloud; "" links to none
}

// groupedFrame renders the portal's grouped view: the window, the key columns,
// "# sign-ins" and the first and last sign-in. The count links to Explore with a
// logs query filtered by the row's key and narrowed to its window, which lists
// every sign-in of the group.
func groupedFrame(g *query.GroupedTable, link linkTarget) *data.Frame {
	n := len(g.Rows)
	windows, firsts, lasts := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	counts := make([]int64, n)
	windowFrom, windowTo := make([]string, n), make([]string, n)
	for i, r := range g.Rows {
		windows[i], firsts[i], lasts[i], counts[i] = r.WindowStart, r.First, r.Last, r.Count
		windowFrom[i] = r.WindowStart.Format(time.RFC3339)
		windowTo[i] = r.WindowStart.Add(g.Window).Format(time.RFC3339)
	}
	frame := data.NewFrame(g.LogType.String()+" sign-ins", data.NewField("Window", nil, windows))
	for c, name := range g.Columns {
		values := make([]string, n)
		for i, r := range g.Rows {
			values[i] = r.Values[c]
		}
		frame.Fields = append(frame.Fields, data.NewField(name, nil, values))
	}
	count := data.NewField("# sign-ins", nil, counts)
	count.Config = &data.FieldConfig{Links: []data.DataLink{expandLink(g, link)}}
	frame.Fields = append(frame.Fields, count,
		data.NewField("First sign-in", nil, firsts),
		data.NewField("Last sign-in", nil, lasts),
		hidden(data.NewField("windowFrom", nil, windowFrom)),
		hidden(data.NewField("windowTo", nil, windowTo)),
	)
	addKeyColumns(frame, g)
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeTable}
	return frame
}

// addKeyColumns adds hidden columns for keys that are not shown, so the link can
// reference every key of the row.
func addKeyColumns(frame *data.Frame, g *query.GroupedTable) {
	shown := make(map[string]bool)
	for _, c := range g.Columns {
		shown[c] = true
	}
	for k, name := range g.Keys {
		if shown[name] {
			continue
		}
		values := make([]string, len(g.Rows))
		for i, r := range g.Rows {
			values[i] = r.KeyValues[k]
		}
		frame.Fields = append(frame.Fields, hidden(data.NewField(name, nil, values)))
	}
}

func hidden(f *data.Field) *data.Field {
	f.Config = &data.FieldConfig{Custom: map[string]any{"hidden": true}, Filterable: new(bool)}
	return f
}

func expandLink(g *query.GroupedTable, link linkTarget) data.DataLink {
	filters := make([]map[string]string, 0, len(g.Keys))
	for _, k := range g.Keys {
		filters = append(filters, map[string]string{"key": k, "op": "=", "value": fmt.Sprintf("${__data.fields[%q]}", k)})
	}
	if len(g.Keys) == 0 { // interactive rows are single sign-ins
		filters = append(filters, map[string]string{"key": "user", "op": "=", "value": `${__data.fields["user"]}`})
	}
	q := map[string]any{
		"refId": "A", "logType": g.LogType.String(), "format": "logs", "limit": query.MaxLimit,
		"filters": filters, "timeFrom": `${__data.fields["windowFrom"]}`, "timeTo": `${__data.fields["windowTo"]}`,
	}
	raw, _ := json.Marshal(q) // plain maps of strings always marshal
	return data.DataLink{
		Title: "Show these sign-ins in Explore",
		Internal: &data.InternalDataLink{
			Query: json.RawMessage(raw), DatasourceUID: link.UID, DatasourceName: link.Name,
			Range: &data.TimeRange{From: link.From, To: link.To},
		},
	}
}
