package plugin

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// logsFrame renders sign-ins as Grafana's dataplane log lines (type
// log-lines, version 0.0): the time, a one-line summary as the body, a
// severity (error for failures, warning for interrupts) that Grafana colours
// by, the sign-in id, and every dimension with a value as a label, which
// Explore's log details list and filter by. The id links to the sign-in logs
// in the Azure portal; who, what and from where come again as fields of
// their own, which log details show with links to their sign-ins in Explore.
func logsFrame(l *query.LogLines, link linkTarget) *data.Frame {
	n := len(l.Events)
	times, bodies, severities, ids := make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n)
	labels := make([]json.RawMessage, n)
	dims := signin.Dimensions()
	for i := range l.Events {
		e := &l.Events[i]
		times[i], bodies[i], severities[i], ids[i] = e.Created, summary(e), level(e.Outcome()), e.ID
		labels[i] = labelsOf(e, dims)
	}
	idField := data.NewField("id", nil, ids)
	if link.Portal != "" {
		idField.Config = &data.FieldConfig{Links: []data.DataLink{portalLink(link.Portal)}}
	}
	frame := data.NewFrame("sign-ins",
		data.NewField("timestamp", nil, times),
		data.NewField("body", nil, bodies),
		data.NewField("severity", nil, severities),
		idField,
		data.NewField("labels", nil, labels),
	)
	for _, key := range linkedKeys {
		frame.Fields = append(frame.Fields, linkedField(l.Events, key, link))
	}
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeLogLines, TypeVersion: data.FrameTypeVersion{0, 0},
		PreferredVisualization: data.VisTypeLogs}
	return frame
}

// portalLink opens the sign-in logs of the Entra admin center in the Azure
// portal, at the blade Microsoft's own troubleshooting pages link to. The
// portal documents no link to one sign-in: the title carries the id, which
// the portal calls Request ID and filters by.
func portalLink(portal string) data.DataLink {
	return data.DataLink{Title: "Sign-in logs in the Azure portal (Request ID ${__value.raw})",
		URL: portal + "/#blade/Microsoft_AAD_IAM/SignInEventsV3Blade", TargetBlank: true}
}

// linkedKeys are the dimensions a sign-in's log details link with: to
// Explore on the same user's, app's, address's or workload identity's
// sign-ins, and to that entity's investigation page.
var linkedKeys = []string{"user", "app", "ipAddress", "servicePrincipal"}

// entityPages are the provisioned investigation dashboards by the dimension
// they investigate; each names its variable after that dimension.
var entityPages = map[string]string{
	"user":             "signinlens-entity-user",
	"app":              "signinlens-entity-app",
	"ipAddress":        "signinlens-entity-ip",
	"servicePrincipal": "signinlens-entity-workload",
}

// linkedField is one dimension of each sign-in as a field whose values link
// to an Explore query for that value over the same range, and to the value's
// investigation page over that range.
func linkedField(events []signin.Event, key string, link linkTarget) *data.Field {
	dim, _ := signin.ParseDimension(key) // linkedKeys are dimensions
	values := make([]string, len(events))
	for i := range events {
		values[i] = dim.Text(&events[i])
	}
	f := data.NewField(key, nil, values)
	if link.UID == "" {
		return f
	}
	q := map[string]any{"refId": "A", "logType": link.LogType, "format": "logs",
		"filters": []map[string]string{{"key": key, "op": "=", "value": "${__value.raw}"}}}
	raw, _ := json.Marshal(q) // plain maps of strings always marshal
	f.Config = &data.FieldConfig{Links: []data.DataLink{{
		Title: "Sign-ins of this " + linkNoun[key] + " in Explore",
		Internal: &data.InternalDataLink{Query: json.RawMessage(raw), DatasourceUID: link.UID, DatasourceName: link.Name,
			Range: &data.TimeRange{From: link.From, To: link.To}},
	}, entityLink(key, link)}}
	return f
}

// entityLink opens the investigation page of a value of key, for the
// datasource and the range of the query.
func entityLink(key string, link linkTarget) data.DataLink {
	return data.DataLink{
		Title: "Investigate this " + linkNoun[key],
		URL: fmt.Sprintf("/d/%s?var-%s=${__value.raw:percentencode}&var-datasource=%s&from=%d&to=%d",
			entityPages[key], key, url.QueryEscape(link.UID), link.From.UnixMilli(), link.To.UnixMilli()),
	}
}

var linkNoun = map[string]string{"user": "user", "app": "app", "ipAddress": "IP address", "servicePrincipal": "workload identity"}

// labelsOf is a sign-in's labels: each dimension with a value, a list's values
// as "a, b".
func labelsOf(e *signin.Event, dims []signin.Dimension) json.RawMessage {
	m := make(map[string]string, len(dims))
	for _, d := range dims {
		if v := d.Text(e); v != "" {
			m[d.String()] = v
		}
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return b
}

// annotationsFrame renders sign-ins as Grafana reads annotations from a
// frame: time, title, text and tags (comma-separated). The title says what
// happened and to whom ("failure 53003 alice@contoso.com"), the text is the
// log line, the tags the outcome, error code, log type and app.
func annotationsFrame(l *query.LogLines) *data.Frame {
	n := len(l.Events)
	times, titles, texts, tags := make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n)
	for i := range l.Events {
		e := &l.Events[i]
		times[i], texts[i] = e.Created, summary(e)
		titles[i] = fmt.Sprintf("%s %d %s", e.Outcome(), e.ErrorCode, who(e))
		t := []string{e.Outcome().String(), strconv.Itoa(int(e.ErrorCode)), e.LogType.String()}
		if e.AppDisplayName != "" {
			t = append(t, e.AppDisplayName)
		}
		tags[i] = strings.Join(t, ",")
	}
	return data.NewFrame("annotations",
		data.NewField("time", nil, times),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
	)
}

// marksFrame renders threshold annotations as regions: each bucket where a
// group's metric exceeded the threshold, titled with the metric, the value
// and the group ("failures 57 > 50 app=Outlook"), tagged with the metric and
// the group's values.
func marksFrame(marks []query.Mark, q query.Query) *data.Frame {
	n := len(marks)
	times, ends, titles, texts, tags := make([]time.Time, n), make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n)
	for i, m := range marks {
		group := groupText(m.Labels)
		times[i], ends[i] = m.From, m.To
		titles[i] = strings.TrimSpace(fmt.Sprintf("%s %s > %s %s", q.Metric, formatValue(m.Value), formatValue(*q.Threshold), group))
		texts[i] = fmt.Sprintf("%s %s from %s to %s UTC, above the threshold %s", q.Metric, formatValue(m.Value),
			m.From.UTC().Format("2006-01-02 15:04"), m.To.UTC().Format("15:04"), formatValue(*q.Threshold))
		if group != "" {
			texts[i] += " — " + group
		}
		t := []string{string(q.Metric), "threshold"}
		for _, k := range slices.Sorted(maps.Keys(m.Labels)) {
			t = append(t, m.Labels[k])
		}
		tags[i] = strings.Join(t, ",")
	}
	return data.NewFrame("annotations",
		data.NewField("time", nil, times),
		data.NewField("timeEnd", nil, ends),
		data.NewField("title", nil, titles),
		data.NewField("text", nil, texts),
		data.NewField("tags", nil, tags),
	)
}

// groupText is a group's labels as "app=Outlook status=failure".
func groupText(labels map[string]string) string {
	parts := make([]string, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, k+"="+labels[k])
	}
	return strings.Join(parts, " ")
}

// formatValue writes a count as a whole number and a rate with two decimals.
func formatValue(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func level(o signin.Outcome) string {
	switch o {
	case signin.Failure:
		return "error"
	case signin.Interrupted:
		return "warning"
	}
	return "info"
}

// summary says who signed in to what, how, from where, and how it ended:
// "failure 50126 alice@contoso.com → Azure Portal (Browser, Chrome on Windows) from 203.0.113.7 DE: Invalid username or password".
func summary(e *signin.Event) string {
	var b strings.Builder
	b.WriteString(e.Outcome().String())
	if e.ErrorCode != 0 {
		fmt.Fprintf(&b, " %d", e.ErrorCode)
	}
	b.WriteByte(' ')
	b.WriteString(who(e))
	if e.AppDisplayName != "" {
		b.WriteString(" → " + e.AppDisplayName)
	}
	if e.ResourceDisplayName != "" && e.ResourceDisplayName != e.AppDisplayName {
		b.WriteString(" / " + e.ResourceDisplayName)
	}
	if how := how(e); how != "" {
		b.WriteString(" (" + how + ")")
	}
	if e.IPAddress != "" {
		b.WriteString(" from " + e.IPAddress)
	}
	if e.CountryOrRegion != "" {
		b.WriteString(" " + e.CountryOrRegion)
	}
	if e.ErrorCode != 0 && e.FailureReason != "" {
		b.WriteString(": " + e.FailureReason)
	}
	return b.String()
}

func who(e *signin.Event) string {
	for _, s := range []string{e.UserPrincipalName, e.ServicePrincipalName, e.UserDisplayName, e.UserID, e.ServicePrincipalID} {
		if s != "" {
			return s
		}
	}
	return "unknown"
}

func how(e *signin.Event) string {
	var parts []string
	if e.ClientAppUsed != "" {
		parts = append(parts, e.ClientAppUsed)
	}
	browser, os := signin.BrowserFamily(e.Browser), signin.OSFamily(e.OperatingSystem)
	switch {
	case browser != "" && os != "":
		parts = append(parts, browser+" on "+os)
	case browser != "" || os != "":
		parts = append(parts, browser+os)
	}
	if e.ClientCredentialType != "" && e.ClientCredentialType != "none" {
		parts = append(parts, e.ClientCredentialType)
	}
	return strings.Join(parts, ", ")
}
