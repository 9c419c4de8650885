package plugin

import (
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// logsFrame renders sign-ins for Explore's logs view: the time, a one-line
// summary, a level (error for failures, warning for interrupts) that Grafana
// colours by, the sign-in id, and every dimension as a field.
func logsFrame(l *query.LogLines) *data.Frame {
	n := len(l.Events)
	times, lines, levels, ids := make([]time.Time, n), make([]string, n), make([]string, n), make([]string, n)
	dims := signin.Dimensions()
	columns := make([][]string, len(dims))
	for d := range columns {
		columns[d] = make([]string, n)
	}
	for i := range l.Events {
		e := &l.Events[i]
		times[i], lines[i], levels[i], ids[i] = e.Created, summary(e), level(e.Outcome()), e.ID
		for d, dim := range dims {
			columns[d][i] = dim.Text(e) // a list as "a, b"
		}
	}
	frame := data.NewFrame("sign-ins",
		data.NewField("time", nil, times),
		data.NewField("line", nil, lines),
		data.NewField("level", nil, levels),
		data.NewField("id", nil, ids),
	)
	for d, dim := range dims {
		frame.Fields = append(frame.Fields, data.NewField(dim.String(), nil, columns[d]))
	}
	frame.Meta = &data.FrameMeta{PreferredVisualization: data.VisTypeLogs}
	return frame
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
