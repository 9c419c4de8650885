package plugintest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// PluginID is the plugin under test.
const PluginID = "signinlens-entra-datasource"

// Datasource describes a configured datasource as Grafana would send it. Its
// JSONData gets warmDays 0 unless it sets warmDays: a test counts what its
// own queries cost, which warming the cache at start would add to.
type Datasource struct {
	UID      string
	JSONData map[string]any
	Secure   map[string]string
	Updated  time.Time // bump to make Grafana-side caches treat it as changed
}

// PluginContext is the context Grafana attaches to each call for this datasource.
func (d Datasource) PluginContext() backend.PluginContext {
	jsonData := map[string]any{"warmDays": 0}
	for k, v := range d.JSONData {
		jsonData[k] = v
	}
	jd, _ := json.Marshal(jsonData) // a map of plain values always marshals
	return backend.PluginContext{
		OrgID:    1,
		PluginID: PluginID,
		DataSourceInstanceSettings: &backend.DataSourceInstanceSettings{
			ID: 1, UID: d.UID, Type: PluginID, Name: d.UID,
			JSONData: jd, DecryptedSecureJSONData: d.Secure, Updated: d.Updated,
		},
	}
}

// Query is one query of a request.
type Query struct {
	RefID    string
	JSON     map[string]any
	From, To time.Time
	Interval time.Duration
}

// Request builds a QueryDataRequest for the datasource. headers may be nil;
// alert evaluations carry {"FromAlert": "true"}.
func (d Datasource) Request(headers map[string]string, qs ...Query) *backend.QueryDataRequest {
	req := &backend.QueryDataRequest{PluginContext: d.PluginContext(), Headers: headers}
	for _, q := range qs {
		js, _ := json.Marshal(q.JSON)
		interval := q.Interval
		if interval == 0 {
			interval = time.Minute
		}
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: q.RefID, JSON: js, Interval: interval, MaxDataPoints: 1000,
			TimeRange: backend.TimeRange{From: q.From, To: q.To},
		})
	}
	return req
}

// Notices is the text of every notice of a response's frames, " | " between
// them: what a panel shows above its data.
func Notices(dr backend.DataResponse) string {
	var texts []string
	for _, f := range dr.Frames {
		if f.Meta != nil {
			for _, n := range f.Meta.Notices {
				texts = append(texts, n.Text)
			}
		}
	}
	return strings.Join(texts, " | ")
}
