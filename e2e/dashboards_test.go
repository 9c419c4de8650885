package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/synth"
)

// dashMayBeEmpty lists the panels whose answer may have no rows on a healthy
// tenant, with the reason; every other panel must show something on the demo.
var dashMayBeEmpty = map[string]string{
	"Service principals with secret or certificate errors": "no 7000215/7000222 in the small tenant's last day: the panel is empty when all is well",
}

// dashResult is the answer to one panel target.
type dashResult struct {
	frames   data.Frames
	query    map[string]any
	from, to time.Time
}

// dashRunner plays Grafana's dashboard: it resolves variables, builds each
// panel's requests and sends them to the plugin binary.
type dashRunner struct {
	h  *plugintest.Host
	ds plugintest.Datasource
}

func (r dashRunner) query(t *testing.T, name string, q map[string]any, from, to time.Time, headers map[string]string) data.Frames {
	t.Helper()
	req := r.ds.Request(headers, plugintest.Query{RefID: "A", JSON: q, From: from, To: to, Interval: dashInterval(to.Sub(from))})
	ctx, cancel := context.WithTimeout(context.Background(), dashRequestTimeout)
	defer cancel()
	resp, err := r.h.QueryData(ctx, req)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	dr, ok := resp.Responses["A"]
	if !ok {
		t.Fatalf("%s: no response", name)
	}
	if dr.Error != nil {
		t.Fatalf("%s: query %v: unexpected error: %v", name, q, dr.Error)
	}
	return dr.Frames
}

// dashInterval is the interval Grafana gives a panel about 1,000 pixels wide.
func dashInterval(span time.Duration) time.Duration {
	iv := (span / 1000).Round(time.Second)
	if iv < time.Second {
		iv = time.Second
	}
	return iv
}

// scope resolves the dashboard's variables in order, as Grafana does on load:
// the datasource variable to the test's datasource; custom variables to their
// current value; query variables by running their query through the plugin
// over the dashboard's range and keeping the current value (All) or, when it
// is not among the answers, the first answer.
func (r dashRunner) scope(t *testing.T, d dashboardJSON) dashScope {
	t.Helper()
	s := dashScope{vars: map[string]dashVarValue{}}
	from, to := d.dashboardRange(t)
	for _, v := range d.Templating.List {
		current := dashCurrent(t, v)
		switch v.Type {
		case "datasource":
			var q string
			if err := json.Unmarshal(v.Query, &q); err != nil || q != dashPluginID {
				t.Fatalf("%s: variable %s: query %s; want %q", d.UID, v.Name, v.Query, dashPluginID)
			}
			s.vars[v.Name] = dashVarValue{values: []string{r.ds.UID}}
		case "custom":
			var q string
			if err := json.Unmarshal(v.Query, &q); err != nil {
				t.Fatalf("%s: variable %s: query %s", d.UID, v.Name, v.Query)
			}
			var options []string
			for _, o := range strings.Split(q, ",") {
				if _, val, ok := strings.Cut(o, " : "); ok {
					o = val
				}
				options = append(options, strings.TrimSpace(o))
			}
			s.vars[v.Name] = dashChoose(t, d.UID, v, current, options)
		case "query":
			if v.Datasource == nil || v.Datasource.Type != dashPluginID || v.Datasource.UID != "${datasource}" {
				t.Fatalf("%s: variable %s: datasource %+v; want SignInLens through ${datasource}", d.UID, v.Name, v.Datasource)
			}
			var vq map[string]any
			if err := json.Unmarshal(v.Query, &vq); err != nil {
				t.Fatalf("%s: variable %s: the query is not the plugin's variable query object: %v", d.UID, v.Name, err)
			}
			q, _ := s.applyTarget(t, r.ds, vq)
			if q["queryType"] != "variable" || q["key"] == "" {
				t.Fatalf("%s: variable %s: query %v; want queryType variable and a key", d.UID, v.Name, q)
			}
			frames := r.query(t, d.UID+" variable "+v.Name, q, from, to, nil)
			dashCheckNotices(t, d.UID+" variable "+v.Name, frames)
			if len(frames) != 1 || len(frames[0].Fields) != 1 || frames[0].Fields[0].Name != "value" || !dashIsString(frames[0].Fields[0]) {
				t.Fatalf("%s: variable %s: unexpected answer %v", d.UID, v.Name, frames)
			}
			var options []string
			for i := 0; i < frames[0].Rows(); i++ {
				options = append(options, frames[0].Fields[0].At(i).(string))
			}
			if len(options) == 0 {
				t.Fatalf("%s: variable %s: no values", d.UID, v.Name)
			}
			s.vars[v.Name] = dashChoose(t, d.UID, v, current, options)
		default:
			t.Fatalf("%s: variable %s: type %q is not emulated by the tests", d.UID, v.Name, v.Type)
		}
	}
	return s
}

// dashCurrent reads a variable's current value: a string or a list.
func dashCurrent(t *testing.T, v dashVariable) []string {
	t.Helper()
	if len(v.Current.Value) == 0 {
		return nil
	}
	var one string
	if err := json.Unmarshal(v.Current.Value, &one); err == nil {
		return []string{one}
	}
	var many []string
	if err := json.Unmarshal(v.Current.Value, &many); err != nil {
		t.Fatalf("variable %s: current value %s", v.Name, v.Current.Value)
	}
	return many
}

func dashChoose(t *testing.T, uid string, v dashVariable, current, options []string) dashVarValue {
	t.Helper()
	if slices.Contains(current, "$__all") {
		if !v.IncludeAll {
			t.Fatalf("%s: variable %s: current value All without includeAll", uid, v.Name)
		}
		return dashVarValue{values: options, all: true, allValue: v.AllValue}
	}
	var kept []string
	for _, c := range current {
		if slices.Contains(options, c) {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 {
		kept = options[:1]
	}
	if len(kept) > 1 && !v.Multi {
		t.Fatalf("%s: variable %s: several current values but not multi-value", uid, v.Name)
	}
	return dashVarValue{values: kept}
}

// runPanel runs every visible target of a panel.
func (r dashRunner) runPanel(t *testing.T, d dashboardJSON, s dashScope, p dashPanel) []dashResult {
	t.Helper()
	from, to := d.panelRange(t, p)
	var out []dashResult
	for _, target := range p.Targets {
		if hide, _ := target["hide"].(bool); hide {
			continue
		}
		q, others := s.applyTarget(t, r.ds, target)
		if len(others) > 0 {
			t.Logf("%s / %q: fields %v hold template variables; the frontend's applyTemplateVariables must interpolate them", d.UID, p.Title, others)
		}
		if left := dashUnresolved(q); len(left) > 0 {
			t.Fatalf("%s / %q: unresolved variables %v in %v", d.UID, p.Title, left, q)
		}
		frames := r.query(t, fmt.Sprintf("%s / %q", d.UID, p.Title), q, from, to, nil)
		out = append(out, dashResult{frames: frames, query: q, from: from, to: to})
	}
	return out
}

func dashLaunch(t *testing.T) dashRunner {
	t.Helper()
	h, err := plugintest.Launch(pluginBin, serverEnv(t), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	return dashRunner{h: h, ds: dashSmall7}
}

// TestDashboardFiles checks each dashboard's JSON without the plugin: what
// Grafana 12.4 needs to load it and what the product promises of it.
func TestDashboardFiles(t *testing.T) {
	uids := map[string]string{}
	for file, d := range dashLoad(t) {
		if d.UID == "" || d.Title == "" || d.SchemaVersion < 41 {
			t.Errorf("%s: uid %q, title %q, schemaVersion %d; want a uid, a title and schemaVersion >= 41", file, d.UID, d.Title, d.SchemaVersion)
		}
		if other, dup := uids[d.UID]; dup {
			t.Errorf("%s and %s share the uid %q", file, other, d.UID)
		}
		uids[d.UID] = file
		if d.Timezone != "utc" || d.WeekStart != "monday" {
			t.Errorf("%s: timezone %q, weekStart %q; the tests (and the engine's UTC buckets) assume utc and monday", file, d.Timezone, d.WeekStart)
		}
		if len(d.Templating.List) == 0 || d.Templating.List[0].Type != "datasource" || d.Templating.List[0].Name != "datasource" {
			t.Errorf("%s: the first variable must be the datasource variable named datasource", file)
		}
		for _, a := range d.Annotations.List {
			sil := a.Datasource.Type == dashPluginID && a.Datasource.UID == "${datasource}" && a.Target["format"] == "annotations"
			if a.Datasource.UID != "-- Grafana --" && !sil {
				t.Errorf("%s: annotation %q on %+v; want Grafana's built-in one or a SignInLens annotations query through ${datasource}", file, a.Name, a.Datasource)
			}
		}
		ids := map[int]bool{}
		var boxes []dashPanel
		for _, p := range d.flatPanels() {
			if ids[p.ID] || p.ID == 0 {
				t.Errorf("%s: panel %q: id %d is missing or used twice", file, p.Title, p.ID)
			}
			ids[p.ID] = true
			g := p.GridPos
			if g.W < 1 || g.H < 1 || g.X < 0 || g.X+g.W > 24 {
				t.Errorf("%s: panel %q: gridPos %+v is outside the 24-column grid", file, p.Title, g)
			}
			for _, b := range boxes {
				if g.X < b.GridPos.X+b.GridPos.W && b.GridPos.X < g.X+g.W && g.Y < b.GridPos.Y+b.GridPos.H && b.GridPos.Y < g.Y+g.H {
					t.Errorf("%s: panels %q and %q overlap", file, p.Title, b.Title)
				}
			}
			boxes = append(boxes, p)
			if p.Type == "row" {
				continue
			}
			if len(p.Description) < 40 {
				t.Errorf("%s: panel %q: the description must say which question the panel answers", file, p.Title)
			}
			if p.Datasource == nil || p.Datasource.Type != dashPluginID || p.Datasource.UID != "${datasource}" {
				t.Errorf("%s: panel %q: datasource %+v; want SignInLens through ${datasource}", file, p.Title, p.Datasource)
			}
			if len(p.Targets) == 0 {
				t.Errorf("%s: panel %q has no query", file, p.Title)
			}
		}
	}
}

// dashEntity is an entity dashboard: the investigation page of one user, IP
// address, application or workload identity, named by one variable.
type dashEntity struct {
	file, uid string
	variable  string   // the variable naming the entity, a dimension the page's panels filter by
	fields    []string // the table fields of other dashboards that hold such an entity
}

var dashEntities = []dashEntity{
	{"entity-user.json", "signinlens-entity-user", "user", []string{"user"}},
	{"entity-ip.json", "signinlens-entity-ip", "ipAddress", []string{"ipAddress"}},
	{"entity-app.json", "signinlens-entity-app", "app", []string{"app"}},
	{"entity-workload.json", "signinlens-entity-workload", "servicePrincipal", []string{"servicePrincipal", "managedIdentity"}},
}

// dashEntityOf returns the entity dashboard a table field links to.
func dashEntityOf(field string) (dashEntity, bool) {
	for _, e := range dashEntities {
		if slices.Contains(e.fields, field) {
			return e, true
		}
	}
	return dashEntity{}, false
}

// dashGroupedColumns are the dimensions a grouped table shows per log type
// (README, "Formats": grouped), restated here.
var dashGroupedColumns = map[string][]string{
	"interactive":      {"user", "app", "ipAddress", "status", "errorCode", "resource", "country", "city", "conditionalAccess", "authRequirement"},
	"nonInteractive":   {"app", "appId", "user", "userId", "ipAddress", "status", "resource", "resourceId"},
	"servicePrincipal": {"servicePrincipal", "servicePrincipalId", "status", "ipAddress", "resource", "resourceId"},
	"managedIdentity":  {"managedIdentity", "servicePrincipalId", "status", "resource", "resourceId", "msiType", "associatedResource"},
}

// dashTableFields lists the fields a table panel's queries return, by name.
func dashTableFields(p dashPanel) []string {
	var fields []string
	for _, target := range p.Targets {
		if target["format"] == "grouped" {
			lt, _ := target["logType"].(string)
			fields = append(fields, dashGroupedColumns[lt]...)
			continue
		}
		gb, _ := target["groupBy"].([]any)
		for _, k := range gb {
			if k, ok := k.(string); ok {
				fields = append(fields, k)
			}
		}
	}
	slices.Sort(fields)
	return slices.Compact(fields)
}

// dashEntityLinkValue matches what a link to an entity page sets its variable
// to: the clicked value, as ${__value.raw} or ${__data.fields.<field>}.
var dashEntityLinkValue = regexp.MustCompile(`^\$\{(?:__value\.raw|__data\.fields(?:\.(\w+)|\["(\w+)"\]))(?::percentencode)?\}$`)

// dashEntityLinkProblem says what is wrong with a field's data link as a link
// to entity page e; "" when it opens e on the clicked value, the panel's time
// range and the same datasource.
func dashEntityLinkProblem(raw, field string, e dashEntity) string {
	u, err := url.Parse(raw)
	if err != nil {
		return err.Error()
	}
	if u.Path != "/d/"+e.uid && !strings.HasPrefix(u.Path, "/d/"+e.uid+"/") {
		return fmt.Sprintf("path %q is not the dashboard %s", u.Path, e.uid)
	}
	q := u.Query()
	m := dashEntityLinkValue.FindStringSubmatch(q.Get("var-" + e.variable))
	if m == nil || (m[1]+m[2] != "" && m[1]+m[2] != field) {
		return fmt.Sprintf("var-%s=%q is not the clicked %s", e.variable, q.Get("var-"+e.variable), field)
	}
	timeRange := q.Get("from") == "${__from}" && q.Get("to") == "${__to}" || strings.Contains(u.RawQuery, "${__url_time_range}")
	if !timeRange {
		return "no time range: want from=${__from}&to=${__to} or ${__url_time_range}"
	}
	if ds := q.Get("var-datasource"); ds != "${datasource}" && ds != "$datasource" {
		return fmt.Sprintf("var-datasource=%q; want ${datasource}", ds)
	}
	return ""
}

// TestEntityDashboards checks the four entity dashboards without the plugin:
// each exists, says it is an investigation page, names its entity with a
// single-value variable the plugin lists (busiest first), and every panel is
// about that entity: each query filters its dimension by the variable.
func TestEntityDashboards(t *testing.T) {
	dashboards := dashLoad(t)
	for _, e := range dashEntities {
		d, ok := dashboards[e.file]
		if !ok {
			t.Errorf("no dashboards/%s: the %s investigation page", e.file, e.variable)
			continue
		}
		if d.UID != e.uid || !strings.Contains(d.Description, "investigation page") {
			t.Errorf("%s: uid %q, description %q; want uid %q and a description saying it is the investigation page", e.file, d.UID, d.Description, e.uid)
		}
		var v *dashVariable
		for i := range d.Templating.List {
			if d.Templating.List[i].Name == e.variable {
				v = &d.Templating.List[i]
			}
		}
		var vq map[string]any
		if v != nil {
			_ = json.Unmarshal(v.Query, &vq)
		}
		switch {
		case v == nil:
			t.Errorf("%s: no variable %s", e.file, e.variable)
		case v.Type != "query" || v.Datasource == nil || v.Datasource.UID != "${datasource}" || vq["queryType"] != "variable" || vq["key"] != e.variable:
			t.Errorf("%s: variable %s is %s with query %s; want the plugin's values of %s", e.file, e.variable, v.Type, v.Query, e.variable)
		case v.Multi || v.IncludeAll:
			t.Errorf("%s: variable %s is multi-value or has All; an investigation page is about one %s", e.file, e.variable, e.variable)
		}
		panels := 0
		for _, p := range d.flatPanels() {
			if p.Type == "row" {
				continue
			}
			panels++
			for _, target := range p.Targets {
				found := false
				fs, _ := target["filters"].([]any)
				for _, f := range fs {
					f, _ := f.(map[string]any)
					value, _ := f["value"].(string)
					found = found || f["key"] == e.variable && f["op"] == "=" && (value == "$"+e.variable || value == "${"+e.variable+"}")
				}
				if !found {
					t.Errorf("%s / %q: query %s does not filter %s = $%s", e.file, p.Title, target["refId"], e.variable, e.variable)
				}
			}
		}
		if panels < 10 {
			t.Errorf("%s: %d panels; an investigation page has more to show", e.file, panels)
		}
	}
}

// TestEntityLinks checks that every user, IP address, application, service
// principal and managed identity a table panel shows, on any dashboard, links
// to that entity's investigation page with the panel's time range (the page's
// own entity excepted). TestDashboardPanels follows the links.
func TestEntityLinks(t *testing.T) {
	links := map[string]int{}
	for file, d := range dashLoad(t) {
		for _, p := range d.flatPanels() {
			if p.Type != "table" {
				continue
			}
			fieldLinks := p.fieldLinks(t)
			for _, field := range dashTableFields(p) {
				e, ok := dashEntityOf(field)
				if !ok || e.uid == d.UID {
					continue
				}
				linked, problems := false, []string(nil)
				for _, fl := range fieldLinks {
					if fl.field != field || !strings.HasPrefix(fl.link.URL, "/d/") {
						continue
					}
					if problem := dashEntityLinkProblem(fl.link.URL, field, e); problem != "" {
						problems = append(problems, problem)
					} else {
						linked = true
					}
				}
				if linked {
					links[e.uid]++
					continue
				}
				if len(problems) == 0 {
					problems = []string{"no data link to /d/" + e.uid}
				}
				t.Errorf("%s / %q: the field %s does not link to its investigation page: %s", file, p.Title, field, strings.Join(problems, "; "))
			}
		}
	}
	for _, e := range dashEntities {
		if links[e.uid] == 0 {
			t.Errorf("no table links to %s", e.uid)
		}
	}
	t.Logf("entity links per page: %v", links)
}

// dashFollowEntity follows a data link to an entity page from the first row
// whose field holds an entity (not other, not (empty)): interpolated as Grafana
// does a data link (values URI-encoded), it must open the page on that value,
// the panel's range and this datasource, and the page's log panel must list
// that entity's sign-ins.
func dashFollowEntity(t *testing.T, r dashRunner, all map[string]dashboardJSON, s dashScope, name string, fl dashFieldLink, f *data.Frame, res dashResult) int {
	t.Helper()
	row := -1
	for i := 0; i < f.Rows() && row < 0; i++ {
		if v, _ := dashFieldString(f, fl.field, i); v != "" && v != "other" && v != "(empty)" {
			row = i
		}
	}
	if row < 0 {
		return 0 // no entity on any row
	}
	value, _ := dashFieldString(f, fl.field, row)
	e, ok := dashEntityOf(fl.field)
	if !ok {
		t.Fatalf("%s: a link to an entity page on the field %q, which holds no entity", name, fl.field)
	}
	rowVars := dashRowResolver(f, row, res.from, res.to)
	link, err := s.interpolate(fl.link.URL, "percentencode", func(v, path string) (string, bool) {
		if v == "__value" && path == "raw" {
			return value, true
		}
		return rowVars(v, path)
	})
	if err != nil || len(dashVarRef.FindAllString(link, -1)) > 0 {
		t.Fatalf("%s: link %q: %v (%s)", name, fl.link.Title, err, link)
	}
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("%s: link %q: %v", name, link, err)
	}
	q := u.Query()
	from, err1 := strconv.ParseInt(q.Get("from"), 10, 64)
	to, err2 := strconv.ParseInt(q.Get("to"), 10, 64)
	if got := q.Get("var-" + e.variable); got != value || err1 != nil || err2 != nil || from != res.from.UnixMilli() || to != res.to.UnixMilli() || q.Get("var-datasource") != r.ds.UID {
		t.Fatalf("%s: link %q opens %s=%q over %q-%q on %q; want %q over the panel's %d-%d on %q",
			name, link, e.variable, got, q.Get("from"), q.Get("to"), q.Get("var-datasource"), value, res.from.UnixMilli(), res.to.UnixMilli(), r.ds.UID)
	}
	var page dashboardJSON
	for _, d := range all {
		if d.UID == e.uid {
			page = d
		}
	}
	var logs *dashPanel
	for _, p := range page.flatPanels() {
		if p.Type == "logs" && logs == nil {
			logs = &p
		}
	}
	if logs == nil {
		t.Fatalf("%s: the link opens %q, which has no log panel", name, e.uid)
	}
	ps := dashScope{vars: map[string]dashVarValue{"datasource": {values: []string{r.ds.UID}}, e.variable: {values: []string{value}}}}
	lq, _ := ps.applyTarget(t, r.ds, logs.Targets[0])
	lines := dashCheckLogLines(t, name+" → "+e.uid, r.query(t, name+" → "+e.uid, lq, time.UnixMilli(from).UTC(), time.UnixMilli(to).UTC(), nil), lq)
	if lines == 0 {
		t.Fatalf("%s: %s's page lists no sign-ins of %q", name, e.uid, value)
	}
	return 1
}

// TestDashboardPanels runs every panel of every dashboard through the plugin as
// Grafana would at dashNow, on the small demo tenant of seed 7, and checks each
// answer has the shape its visualization needs, no warning or error, rows, and
// that its links lead to the sign-ins behind the row they are on: in Explore,
// or on the row's entity page.
func TestDashboardPanels(t *testing.T) {
	r := dashLaunch(t)
	all := dashLoad(t)
	for file, d := range all {
		t.Run(strings.TrimSuffix(file, ".json"), func(t *testing.T) {
			s := r.scope(t, d)
			for _, e := range dashEntities {
				if e.uid == d.UID {
					t.Logf("%s: %s = %v, the busiest", d.UID, e.variable, s.vars[e.variable].values)
				}
			}
			panels, links := 0, 0
			for _, p := range d.flatPanels() {
				if p.Type == "row" {
					continue
				}
				panels++
				results := r.runPanel(t, d, s, p)
				name := fmt.Sprintf("%s / %q", d.UID, p.Title)
				rows := 0
				for _, res := range results {
					dashCheckShape(t, name, p, res)
					dashCheckNotices(t, name, res.frames)
					for _, f := range res.frames {
						rows += f.Rows()
					}
				}
				if rows == 0 && dashMayBeEmpty[p.Title] == "" {
					t.Errorf("%s: no rows on the demo tenant", name)
				}
				if rows > 0 {
					links += dashCheckLinks(t, r, all, d, s, p, results[0])
				}
			}
			t.Logf("%s: %d panels answered; %d links followed", d.UID, panels, links)
		})
	}
}

// dashCheckNotices allows info notices only.
func dashCheckNotices(t *testing.T, name string, frames data.Frames) {
	t.Helper()
	for _, f := range frames {
		if f.Meta == nil {
			continue
		}
		for _, n := range f.Meta.Notices {
			if n.Severity != data.NoticeSeverityInfo {
				t.Errorf("%s: notice of severity %v: %s", name, n.Severity, n.Text)
			}
		}
	}
}

// dashCheckShape asserts the frames are what the panel's visualization reads.
func dashCheckShape(t *testing.T, name string, p dashPanel, res dashResult) {
	t.Helper()
	if len(res.frames) == 0 {
		t.Fatalf("%s: no frames", name)
	}
	format, _ := res.query["format"].(string)
	groupBy, _ := res.query["groupBy"].([]string)
	switch p.Type {
	case "timeseries":
		if format != "timeSeries" {
			t.Fatalf("%s: a time series panel on format %q", name, format)
		}
		for _, f := range res.frames {
			if f.Meta == nil || f.Meta.Type != data.FrameTypeTimeSeriesMulti || len(f.Fields) != 2 ||
				f.Fields[0].Type() != data.FieldTypeTime || !dashNumeric(f.Fields[1]) || f.Rows() == 0 {
				t.Fatalf("%s: frame %v is not a timeseries-multi series", name, dashFieldNames(f))
			}
			for _, g := range groupBy {
				if _, ok := f.Fields[1].Labels[g]; !ok {
					t.Fatalf("%s: series without the label %q", name, g)
				}
			}
		}
	case "table", "bargauge", "piechart", "stat", "geomap":
		switch format {
		case "table":
			dashCheckTable(t, name, p, res.frames, groupBy)
		case "grouped":
			if p.Type != "table" {
				t.Fatalf("%s: grouped rows need a table panel", name)
			}
			f := res.frames[0]
			w, _ := f.FieldByName("Window")
			c, _ := f.FieldByName("# sign-ins")
			if len(res.frames) != 1 || w == nil || w.Type() != data.FieldTypeTime || c == nil || c.Type() != data.FieldTypeInt64 {
				t.Fatalf("%s: frame %v is not the portal's grouped table", name, dashFieldNames(f))
			}
		default:
			t.Fatalf("%s: a %s panel on format %q", name, p.Type, format)
		}
	case "logs":
		f := res.frames[0]
		tm, _ := f.FieldByName("timestamp")
		line, _ := f.FieldByName("body")
		if format != "logs" || len(res.frames) != 1 || f.Meta == nil || f.Meta.Type != data.FrameTypeLogLines || f.Meta.PreferredVisualization != data.VisTypeLogs ||
			tm == nil || tm.Type() != data.FieldTypeTime || line == nil || !dashIsString(line) {
			t.Fatalf("%s: frame %v is not a log frame", name, dashFieldNames(f))
		}
	default:
		t.Fatalf("%s: panel type %q is not checked by the tests", name, p.Type)
	}
}

// dashCheckTable asserts a numeric-long table: a text column per groupBy key and
// one number; values mode for bar gauges and pies, one value for stats,
// coordinates for maps.
func dashCheckTable(t *testing.T, name string, p dashPanel, frames data.Frames, groupBy []string) {
	t.Helper()
	f := frames[0]
	if len(frames) != 1 || f.Meta == nil || f.Meta.Type != data.FrameTypeNumericLong || len(f.Fields) != len(groupBy)+1 {
		t.Fatalf("%s: frame %v is not a numeric-long table for %v", name, dashFieldNames(f), groupBy)
	}
	for i, g := range groupBy {
		coordinate := (g == "latitude" || g == "longitude") && dashNumeric(f.Fields[i])
		if f.Fields[i].Name != g || !(dashIsString(f.Fields[i]) || coordinate) {
			t.Fatalf("%s: column %d is %v; want the text column %q", name, i, dashFieldNames(f)[i], g)
		}
	}
	if !dashNumeric(f.Fields[len(groupBy)]) {
		t.Fatalf("%s: the last column is %v; want a number", name, dashFieldNames(f)[len(groupBy)])
	}
	reduce, _ := p.Options["reduceOptions"].(map[string]any)
	switch p.Type {
	case "bargauge", "piechart":
		if len(groupBy) == 0 || reduce["values"] != true {
			t.Fatalf("%s: a %s of groups needs groupBy and reduceOptions.values true", name, p.Type)
		}
	case "stat":
		if len(groupBy) != 0 || f.Rows() != 1 {
			t.Fatalf("%s: a stat needs one number; got %d rows by %v", name, f.Rows(), groupBy)
		}
	case "geomap":
		dashCheckGeomap(t, name, p, f)
	}
	dashCheckTransformations(t, name, p, f)
}

// dashCheckGeomap applies the panel's field conversions and asserts numeric
// coordinates on every row.
func dashCheckGeomap(t *testing.T, name string, p dashPanel, f *data.Frame) {
	t.Helper()
	converted := map[string]bool{}
	for _, tr := range p.Transformations {
		if tr.ID != "convertFieldType" {
			continue
		}
		var o struct {
			Conversions []struct {
				TargetField     string `json:"targetField"`
				DestinationType string `json:"destinationType"`
			} `json:"conversions"`
		}
		if err := json.Unmarshal(tr.Options, &o); err != nil {
			t.Fatalf("%s: convertFieldType: %v", name, err)
		}
		for _, c := range o.Conversions {
			converted[c.TargetField] = c.DestinationType == "number"
		}
	}
	for _, coord := range []struct {
		field string
		limit float64
	}{{"latitude", 90}, {"longitude", 180}} {
		fld, _ := f.FieldByName(coord.field)
		if fld == nil {
			t.Fatalf("%s: no %s field", name, coord.field)
		}
		if !dashNumeric(fld) && !converted[coord.field] {
			t.Fatalf("%s: %s is %s and no transformation makes it a number", name, coord.field, fld.Type())
		}
		for i := 0; i < f.Rows(); i++ {
			s, _ := dashFieldString(f, coord.field, i)
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < -coord.limit || v > coord.limit {
				t.Fatalf("%s: row %d: %s %q is not a coordinate", name, i, coord.field, s)
			}
		}
	}
}

// dashCheckTransformations asserts the panel transforms only fields the query returns.
func dashCheckTransformations(t *testing.T, name string, p dashPanel, f *data.Frame) {
	t.Helper()
	has := func(field string) {
		t.Helper()
		if fld, _ := f.FieldByName(field); fld == nil {
			t.Fatalf("%s: a transformation uses the field %q, which the query does not return (%v)", name, field, dashFieldNames(f))
		}
	}
	for _, tr := range p.Transformations {
		switch tr.ID {
		case "convertFieldType":
			var o struct {
				Conversions []struct {
					TargetField string `json:"targetField"`
				} `json:"conversions"`
			}
			_ = json.Unmarshal(tr.Options, &o)
			for _, c := range o.Conversions {
				has(c.TargetField)
			}
		case "groupBy":
			var o struct {
				Fields map[string]any `json:"fields"`
			}
			_ = json.Unmarshal(tr.Options, &o)
			for field := range o.Fields {
				has(field)
			}
		case "filterByValue", "sortBy":
		default:
			t.Fatalf("%s: transformation %q is not checked by the tests", name, tr.ID)
		}
	}
}

// dashCheckLinks follows the panel's links for the first row of its answer:
// the data links on fields (interpolated with the row, as a click would) and
// the plugin's own links on grouped rows. Each Explore link must open Explore
// with a logs query that lists sign-ins matching the row; each link to an
// entity dashboard must open that page on the row's value and the panel's
// range, where it lists that entity's sign-ins (dashFollowEntity).
func dashCheckLinks(t *testing.T, r dashRunner, all map[string]dashboardJSON, d dashboardJSON, s dashScope, p dashPanel, res dashResult) int {
	t.Helper()
	f := res.frames[0]
	name := fmt.Sprintf("%s / %q", d.UID, p.Title)
	followed := 0
	follow := func(title, raw string, resolve dashResolver) {
		t.Helper()
		link, err := s.interpolate(raw, "", resolve)
		if err != nil {
			t.Fatalf("%s: link %q: %v", name, title, err)
		}
		if left := dashVarRef.FindAllString(link, -1); len(left) > 0 {
			t.Fatalf("%s: link %q: unresolved %v", name, title, left)
		}
		dashFollowExplore(t, r, name+" link "+strconv.Quote(title), link)
		followed++
	}
	for _, fl := range p.fieldLinks(t) {
		if fl.field != "" {
			if fld, _ := f.FieldByName(fl.field); fld == nil {
				t.Fatalf("%s: a link on the field %q, which the query does not return", name, fl.field)
			}
		}
		if strings.HasPrefix(fl.link.URL, "/d/") {
			followed += dashFollowEntity(t, r, all, s, name, fl, f, res)
			continue
		}
		row := 0
		if v, _ := dashFieldString(f, fl.field, 0); v == "other" && f.Rows() > 1 {
			row = 1
		}
		follow(fl.link.Title, fl.link.URL, dashRowResolver(f, row, res.from, res.to))
	}
	for _, l := range p.Links { // panel links: no row
		follow(l.Title, l.URL, func(name, path string) (string, bool) {
			if name == "__data" {
				return "", false
			}
			return dashRowResolver(f, 0, res.from, res.to)(name, path)
		})
	}
	if c, _ := f.FieldByName("# sign-ins"); c != nil {
		dashFollowGroupedLink(t, r, name, f, c)
		followed++
	}
	return followed
}

// dashFollowExplore opens an Explore URL as Grafana would and runs its query.
func dashFollowExplore(t *testing.T, r dashRunner, name, link string) {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Path != "/explore" {
		t.Fatalf("%s: %q is not an Explore URL (%v)", name, link, err)
	}
	params, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var panes map[string]struct {
		Datasource string           `json:"datasource"`
		Queries    []map[string]any `json:"queries"`
		Range      struct {
			From string `json:"from"`
			To   string `json:"to"`
		} `json:"range"`
	}
	if err := json.Unmarshal([]byte(params.Get("panes")), &panes); err != nil || len(panes) != 1 {
		t.Fatalf("%s: panes %q: %v", name, params.Get("panes"), err)
	}
	for _, pane := range panes {
		if pane.Datasource != r.ds.UID || len(pane.Queries) != 1 {
			t.Fatalf("%s: pane on %q with %d queries; want one query on %q", name, pane.Datasource, len(pane.Queries), r.ds.UID)
		}
		q := pane.Queries[0]
		if ref, _ := q["datasource"].(map[string]any); ref["uid"] != r.ds.UID || q["format"] != "logs" {
			t.Fatalf("%s: query %v; want a logs query on %q", name, q, r.ds.UID)
		}
		from, err1 := strconv.ParseInt(pane.Range.From, 10, 64)
		to, err2 := strconv.ParseInt(pane.Range.To, 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: range %+v", name, pane.Range)
		}
		frames := r.query(t, name, q, time.UnixMilli(from).UTC(), time.UnixMilli(to).UTC(), nil)
		dashCheckNotices(t, name, frames)
		dashCheckLogLines(t, name, frames, q)
	}
}

// dashCheckLogLines asserts a logs answer has lines and every line passes the
// query's =, != and in filters, read from each line's labels (a list
// dimension's label is "a, b": "=" wants one of them, "!=" none).
func dashCheckLogLines(t *testing.T, name string, frames data.Frames, q map[string]any) int {
	t.Helper()
	if len(frames) != 1 || frames[0].Rows() == 0 {
		t.Fatalf("%s: the Explore query %v lists no sign-ins", name, q)
	}
	f := frames[0]
	filters, _ := q["filters"].([]any)
	for _, raw := range filters {
		fl := raw.(map[string]any)
		key, op := fl["key"].(string), fl["op"].(string)
		value := fmt.Sprint(fl["value"])
		for i := 0; i < f.Rows(); i++ {
			got := dashLogLabel(t, f, key, i)
			values := []string{got}
			if key == "authMethod" || key == "riskEventType" {
				values = strings.Split(got, ", ")
			}
			switch op {
			case "=":
				if !slices.Contains(values, value) && !(value == "(empty)" && got == "") {
					t.Fatalf("%s: line %d has %s %q; the link asked for %q", name, i, key, got, value)
				}
			case "!=":
				if slices.Contains(values, value) || (value == "(empty)" && got == "") {
					t.Fatalf("%s: line %d has %s %q; the link excluded %q", name, i, key, got, value)
				}
			case "in":
				if !slices.Contains(strings.Split(strings.Trim(value, "{}"), ","), got) {
					t.Fatalf("%s: line %d has %s %q; the link asked for one of %q", name, i, key, got, value)
				}
			}
		}
	}
	return f.Rows()
}

// dashLogLabel reads a label of line i of a dataplane log frame; "" when the
// sign-in has no value for it.
func dashLogLabel(t *testing.T, f *data.Frame, key string, i int) string {
	t.Helper()
	fld, _ := f.FieldByName("labels")
	if fld == nil || fld.Type() != data.FieldTypeJSON {
		t.Fatalf("the log frame has no labels field (%v)", dashFieldNames(f))
	}
	var labels map[string]string
	if err := json.Unmarshal(fld.At(i).(json.RawMessage), &labels); err != nil {
		t.Fatalf("line %d: labels: %v", i, err)
	}
	return labels[key]
}

// dashFollowGroupedLink runs the plugin's "expand" link of the first grouped
// row: it must list exactly the row's "# sign-ins".
func dashFollowGroupedLink(t *testing.T, r dashRunner, name string, f *data.Frame, count *data.Field) {
	t.Helper()
	if count.Config == nil || len(count.Config.Links) != 1 || count.Config.Links[0].Internal == nil {
		t.Fatalf("%s: the # sign-ins column has no Explore link", name)
	}
	link := count.Config.Links[0].Internal
	if link.DatasourceUID != r.ds.UID || link.Range == nil {
		t.Fatalf("%s: grouped link %+v; want the datasource %q and a range", name, link, r.ds.UID)
	}
	raw, _ := json.Marshal(link.Query)
	var q map[string]any
	if err := json.Unmarshal(raw, &q); err != nil {
		t.Fatalf("%s: grouped link query %s: %v", name, raw, err)
	}
	resolve := dashRowResolver(f, 0, link.Range.From, link.Range.To)
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case string:
			out, err := dashScope{}.interpolate(x, "", resolve)
			if err != nil || len(dashVarRef.FindAllString(out, -1)) > 0 {
				t.Fatalf("%s: cannot resolve %q in the grouped link (%v)", name, x, err)
			}
			return out
		case []any:
			for i := range x {
				x[i] = walk(x[i])
			}
		case map[string]any:
			for k := range x {
				x[k] = walk(x[k])
			}
		}
		return v
	}
	walk(q)
	frames := r.query(t, name+" grouped link", q, link.Range.From, link.Range.To, nil)
	lines := dashCheckLogLines(t, name+" grouped link", frames, q)
	if want := count.At(0).(int64); int64(lines) != want {
		t.Fatalf("%s: the first row's link lists %d sign-ins; the row counts %d", name, lines, want)
	}
}

// TestDashboardQuestionsMatchGroundTruth compares the panels of the documented
// questions (README, the questions it answers) and of the password spray and impossible travel with
// ground truth computed here from `graphsim export`.
func TestDashboardQuestionsMatchGroundTruth(t *testing.T) {
	r := dashLaunch(t)
	dashboards := dashLoad(t)
	overview, attacks := dashboards["overview.json"], dashboards["failures-and-attacks.json"]
	s := r.scope(t, overview)
	run := func(d dashboardJSON, s dashScope, title string, wantGroupBy []string, wantMetric string) (dashResult, map[string]float64, int) {
		t.Helper()
		p := d.panel(t, title)
		res := r.runPanel(t, d, s, p)
		if len(res) != 1 {
			t.Fatalf("%q: %d queries; want 1", title, len(res))
		}
		q := res[0].query
		groupBy, _ := q["groupBy"].([]string)
		if !slices.Equal(groupBy, wantGroupBy) || q["metric"] != wantMetric || q["format"] != "table" {
			t.Fatalf("%q: query %v; the test restates %s by %v", title, q, wantMetric, wantGroupBy)
		}
		limit := 10
		if l, ok := q["limit"].(float64); ok {
			limit = int(l)
		}
		return res[0], dashTableRows(t, title, res[0], groupBy), limit
	}

	// How many users have signed in to each application this week?
	for _, title := range []string{"Distinct users per application this week", "Top applications by distinct users this week"} {
		res, got, limit := run(overview, s, title, []string{"app"}, "distinctUsers")
		if want := dashMonday(); !res.from.Equal(want) || !res.to.Equal(dashNow) {
			t.Fatalf("%q: range %s - %s; want this week so far, %s - %s", title, res.from, res.to, want, dashNow)
		}
		g := newDashGroups(true)
		for _, rec := range dashExportTypes(t, res.from, res.to, false, "interactive", "nonInteractive") {
			g.add([]string{rec.AppDisplayName}, rec.user())
		}
		dashCompare(t, title, got, g.top(limit, 1))
	}

	// The Application variable focuses the question: one application (the regex
	// format escapes it and the engine anchors it, so "Microsoft Teams" is not
	// "Microsoft Teams Web Client") and two (an alternation).
	{
		title := "Distinct users per application this week"
		all := s.vars["app"]
		if !all.all || len(all.values) < 2 {
			t.Fatalf("the app variable is %+v; want All over several applications", all)
		}
		one := all.values[:1]
		if slices.Contains(all.values, "Microsoft Teams") {
			one = []string{"Microsoft Teams"}
		}
		for _, sel := range [][]string{one, all.values[:2]} {
			focused := dashScope{vars: maps.Clone(s.vars)}
			focused.vars["app"] = dashVarValue{values: sel}
			res, got, limit := run(overview, focused, title, []string{"app"}, "distinctUsers")
			g := newDashGroups(true)
			for _, rec := range dashExportTypes(t, res.from, res.to, false, "interactive", "nonInteractive") {
				if slices.Contains(sel, rec.AppDisplayName) {
					g.add([]string{rec.AppDisplayName}, rec.user())
				}
			}
			dashCompare(t, fmt.Sprintf("%s, app %q", title, sel), got, g.top(limit, 1))
		}
	}

	// The User variable focuses the interactive dashboard on one user (a name with
	// a dot, which the regex format escapes): the latest sign-ins are that user's.
	{
		d := dashboards["interactive.json"]
		is := r.scope(t, d)
		users := is.vars["user"].values
		var user string
		for _, u := range users {
			if strings.Contains(u, ".") {
				user = u
				break
			}
		}
		if user == "" {
			t.Fatalf("no user with a dot among %v", users)
		}
		is.vars["user"] = dashVarValue{values: []string{user}}
		p := d.panel(t, "Latest interactive sign-ins")
		res := r.runPanel(t, d, is, p)
		want := 0
		for _, rec := range dashExportTypes(t, res[0].from, res[0].to, false, "interactive") {
			if rec.UserPrincipalName == user {
				want++
			}
		}
		got := dashCheckLogLines(t, p.Title, res[0].frames, map[string]any{"filters": []any{map[string]any{"key": "user", "op": "=", "value": user}}})
		if want == 0 || got != min(want, 100) {
			t.Fatalf("%q for %s: %d lines; the export has %d sign-ins", p.Title, user, got, want)
		}
		t.Logf("%q for %s: %d lines, as in the export", p.Title, user, got)
	}

	// How many failed sign-in attempts have occurred in the last 24 hours?
	{
		title := "Failed sign-ins in the last 24 hours"
		res, got, _ := run(overview, s, title, nil, "failures")
		if !res.from.Equal(dashNow.Add(-24*time.Hour)) || !res.to.Equal(dashNow) {
			t.Fatalf("%q: range %s - %s; want the last 24 hours", title, res.from, res.to)
		}
		var failed float64
		for _, rec := range dashExportTypes(t, res.from, res.to, false, logTypes...) {
			if isFailure(rec.Status.ErrorCode) {
				failed++
			}
		}
		dashCompare(t, title, got, map[string]float64{"": failed})
	}

	// Are users signing in from specific browsers or operating systems?
	for _, c := range []struct {
		title   string
		groupBy []string
	}{
		{"Browsers", []string{"browser"}},
		{"Operating systems", []string{"os"}},
		{"Browser and operating system combinations", []string{"browser", "os"}},
	} {
		res, got, limit := run(overview, s, c.title, c.groupBy, "count")
		g := newDashGroups(false)
		for _, rec := range dashExportTypes(t, res.from, res.to, false, "interactive", "nonInteractive") {
			labels := map[string]string{"browser": dashFamily(rec.DeviceDetail.Browser), "os": dashOSFamily(rec.DeviceDetail.OperatingSystem)}
			var l []string
			for _, k := range c.groupBy {
				l = append(l, labels[k])
			}
			g.add(l, "")
		}
		dashCompare(t, c.title, got, g.top(limit, len(c.groupBy)))
		// Asked again, as a dashboard refresh asks: the engine answers the
		// closed windows and days from the partials the first answer kept.
		_, again, _ := run(overview, s, c.title, c.groupBy, "count")
		dashCompare(t, c.title+", asked again", again, g.top(limit, len(c.groupBy)))
	}

	// Which Azure resources are accessed by managed identities and service principals?
	{
		title := "Azure resources accessed by service principals and managed identities"
		res, got, limit := run(overview, s, title, []string{"logType", "servicePrincipal", "resource"}, "count")
		g := newDashGroups(false)
		for _, rec := range dashExportTypes(t, res.from, res.to, false, "servicePrincipal", "managedIdentity") {
			g.add([]string{rec.logType, rec.ServicePrincipalName, rec.ResourceDisplayName}, "")
		}
		dashCompare(t, title, got, g.top(limit, 3))
	}

	// The injected attacks of the week show where the dashboard says they do.
	as := r.scope(t, attacks)
	tenant, err := synth.New(7, "small")
	if err != nil {
		t.Fatal(err)
	}
	incidents := map[synth.IncidentKind]synth.Incident{}
	for _, inc := range tenant.Incidents(dashNow.Add(-7*24*time.Hour), dashNow) {
		incidents[inc.Kind] = inc
	}
	{
		title := "Password spray: addresses failing 50126 for many users"
		res, got, limit := run(attacks, as, title, []string{"ipAddress"}, "distinctUsers")
		g := newDashGroups(true)
		for _, rec := range dashExportTypes(t, res.from, res.to, false, "interactive") {
			if rec.Status.ErrorCode == 50126 {
				g.add([]string{rec.IPAddress}, rec.user())
			}
		}
		want := g.top(limit, 1)
		dashCompare(t, title, got, want)
		spray, ok := incidents[synth.PasswordSpray]
		if !ok || got[spray.IPAddresses[0]] != float64(len(spray.UserPrincipalNames)) {
			t.Fatalf("%q: the spray from %v on %d users is not in %v", title, spray.IPAddresses, len(spray.UserPrincipalNames), got)
		}
		for ip, v := range got {
			if ip != spray.IPAddresses[0] && v >= got[spray.IPAddresses[0]] {
				t.Fatalf("%q: %s (%v users) ranks with the spray address", title, ip, v)
			}
		}
	}
	{
		title := "Impossible travel candidates"
		res, got, _ := run(attacks, as, title, []string{"user", "country"}, "count")
		g := newDashGroups(false)
		for _, rec := range dashExportTypes(t, res.from, res.to, false, "interactive") {
			if rec.Status.ErrorCode == 0 && rec.Location.CountryOrRegion != "" {
				g.add([]string{rec.UserPrincipalName, rec.Location.CountryOrRegion}, "")
			}
		}
		dashCompare(t, title, got, g.top(1<<30, 2))
		countries := map[string]int{}
		for k := range got {
			user, _, _ := strings.Cut(k, "\x00")
			countries[user]++
		}
		trip, ok := incidents[synth.ImpossibleTravel]
		if !ok || countries[trip.UserPrincipalNames[0]] < 2 {
			t.Fatalf("%q: the injected impossible travel %+v is not a candidate (%v)", title, trip, countries)
		}
	}
}

// TestProvisioningReferences checks that plugin.json and the provisioning files
// reference only files, dashboards, panels and datasource uids that exist.
func TestProvisioningReferences(t *testing.T) {
	dashboards := dashLoad(t)

	// plugin.json includes every dashboard, by its path and title.
	raw, err := os.ReadFile(dashRepo("plugin.json"))
	if err != nil {
		t.Fatal(err)
	}
	var plugin struct {
		ID       string `json:"id"`
		Includes []struct {
			Type string `json:"type"`
			Name string `json:"name"`
			Path string `json:"path"`
		} `json:"includes"`
	}
	if err := json.Unmarshal(raw, &plugin); err != nil {
		t.Fatal(err)
	}
	included := map[string]bool{}
	for _, inc := range plugin.Includes {
		if inc.Type != "dashboard" {
			continue
		}
		if dir, file := filepath.Split(inc.Path); dir != "dashboards/" || dashboards[file].UID == "" {
			t.Errorf("plugin.json includes %q, which is not a dashboard in dashboards/", inc.Path)
		} else if dashboards[file].Title != inc.Name {
			t.Errorf("plugin.json names %q %q; the dashboard's title is %q", inc.Path, inc.Name, dashboards[file].Title)
		}
		included[filepath.Base(inc.Path)] = true
	}
	for file := range dashboards {
		if !included[file] {
			t.Errorf("dashboards/%s is not in plugin.json includes", file)
		}
	}

	// The dashboard provider reads the directory docker compose mounts ./dashboards at.
	provider := dashReadFile(t, "provisioning", "dashboards", "signinlens.yaml")
	m := regexp.MustCompile(`(?m)^\s*path:\s*(\S+)\s*$`).FindStringSubmatch(provider)
	compose := dashReadFile(t, "docker-compose.yaml")
	if m == nil || !strings.Contains(compose, "./dashboards:"+m[1]+"\n") {
		t.Errorf("the dashboard provider reads %v, which docker-compose.yaml does not mount from ./dashboards", m)
	}
	for _, dir := range []string{"datasources", "dashboards", "alerting"} {
		if !strings.Contains(compose, "./provisioning/"+dir+":/etc/grafana/provisioning/"+dir+"\n") {
			t.Errorf("docker-compose.yaml does not mount provisioning/%s", dir)
		}
	}

	// Datasource uids: the provisioned ones.
	uids := map[string]bool{}
	files, _ := filepath.Glob(dashRepo("provisioning", "datasources", "*.yaml"))
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		for _, m := range regexp.MustCompile(`(?m)^\s*-?\s*uid:\s*"?([^"\s]+)"?\s*$`).FindAllStringSubmatch(string(raw), -1) {
			uids[m[1]] = true
		}
	}
	if !uids["signinlens-demo"] {
		t.Fatalf("provisioning/datasources does not provision signinlens-demo (found %v)", uids)
	}
	for file, d := range dashboards {
		for _, v := range d.Templating.List {
			if v.Type != "datasource" {
				continue
			}
			cur := dashCurrent(t, v)
			if len(cur) != 1 || !uids[cur[0]] {
				t.Errorf("%s: the datasource variable's current value %v is not a provisioned datasource", file, cur)
			}
		}
	}

	// Alert rules: datasources, and the dashboards and panels they link to.
	rules := alertLoad(t)
	for _, rule := range rules.rules() {
		for _, q := range rule.Data {
			if q.DatasourceUID != "__expr__" && !uids[q.DatasourceUID] {
				t.Errorf("rule %s: query %s reads datasource %q, which is not provisioned", rule.UID, q.RefID, q.DatasourceUID)
			}
			if ref, ok := q.Model["datasource"].(map[string]any); ok && ref["uid"] != q.DatasourceUID {
				t.Errorf("rule %s: query %s: the model's datasource %v differs from datasourceUid %q", rule.UID, q.RefID, ref, q.DatasourceUID)
			}
		}
		uid, panel := rule.Annotations["__dashboardUid__"], rule.Annotations["__panelId__"]
		if uid == "" {
			continue
		}
		found := false
		for _, d := range dashboards {
			if d.UID != uid {
				continue
			}
			for _, p := range d.flatPanels() {
				found = found || strconv.Itoa(p.ID) == panel && p.Type != "row"
			}
		}
		if !found {
			t.Errorf("rule %s links to dashboard %q panel %q, which does not exist", rule.UID, uid, panel)
		}
	}
}

func dashReadFile(t *testing.T, parts ...string) string {
	t.Helper()
	raw, err := os.ReadFile(dashRepo(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
