package plugin

import (
	"encoding/json"
	"fmt"
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
// Explore's log details list and filter by.
func logsFrame(l *query.LogLines) *data.Frame {
	n := len(l.Events)
	times, bodies, severities, ids := make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n)
	labels := make([]json.RawMessage, n)
	dims := signin.Dimensions()
	for i := range l.Events {
		e := &l.Events[i]
		times[i], bodies[i], severities[i], ids[i] = e.Created, summary(e), level(e.Outcome()), e.ID
		labels[i] = labelsOf(e, dims)
	}
	frame := data.NewFrame("sign-ins",
		data.NewField("timestamp", nil, times),
		data.NewField("body", nil, bodies),
		data.NewField("severity", nil, severities),
		data.NewField("id", nil, ids),
		data.NewField("labels", nil, labels),
	)
	frame.Meta = &data.FrameMeta{Type: data.FrameTypeLogLines, TypeVersion: data.FrameTypeVersion{0, 0},
		PreferredVisualization: data.VisTypeLogs}
	return frame
}

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
