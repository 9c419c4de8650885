package e2e

// The parts of Grafana the dashboard and alert tests play: the dashboard model,
// template variables and their formats, relative time ranges and the
// interpolation of data links. Restated here from Grafana's documented behaviour,
// not shared with the frontend.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
)

const dashPluginID = "signinlens-entra-datasource"

// dashNow is the "now" every dashboard and alert rule is evaluated at: a fixed,
// closed past instant, so the answers do not depend on the day the tests run
// (the injected incidents recur weekly and a service principal's secret can
// expire on any day). It is a Tuesday late morning UTC, not on a whole hour, as
// Grafana's "now" never is: "this week" is a day and a half (the export of its
// non-interactive sign-ins stays small), and the week before it holds all four
// injected incidents of seed 7, the password spray on Thursday 2026-11-19
// 21:43-21:52 among them.
var dashNow = time.Date(2026, 11, 24, 11, 52, 30, 0, time.UTC)

// dashSmall7 is the datasource the dashboards are run on: the small demo tenant
// of seed 7 (the provisioned one is medium; the dashboards must work on both).
var dashSmall7 = plugintest.Datasource{UID: "dash-small7", JSONData: map[string]any{"source": "demo", "demoSeed": 7, "demoSize": "small"}}

// dashRequestTimeout bounds one request to the plugin: a stuck query fails its
// test with a message instead of hanging the package until go test's timeout.
const dashRequestTimeout = 2 * time.Minute

// dashRepo returns a path in the repository.
func dashRepo(parts ...string) string {
	return filepath.Join(append([]string{".."}, parts...)...)
}

type dashboardJSON struct {
	UID           string `json:"uid"`
	Title         string `json:"title"`
	Description   string `json:"description"`
	SchemaVersion int    `json:"schemaVersion"`
	Timezone      string `json:"timezone"`
	WeekStart     string `json:"weekStart"`
	Time          struct {
		From string `json:"from"`
		To   string `json:"to"`
	} `json:"time"`
	Templating struct {
		List []dashVariable `json:"list"`
	} `json:"templating"`
	Panels      []dashPanel `json:"panels"`
	Annotations struct {
		List []struct {
			Name       string         `json:"name"`
			Datasource dashDSRef      `json:"datasource"`
			Target     map[string]any `json:"target"`
		} `json:"list"`
	} `json:"annotations"`
}

type dashDSRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type dashVariable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	Datasource *dashDSRef      `json:"datasource"`
	Current    struct {
		Value json.RawMessage `json:"value"`
	} `json:"current"`
	IncludeAll bool   `json:"includeAll"`
	AllValue   string `json:"allValue"`
	Multi      bool   `json:"multi"`
	Refresh    int    `json:"refresh"`
}

type dashPanel struct {
	ID              int                  `json:"id"`
	Type            string               `json:"type"`
	Title           string               `json:"title"`
	Description     string               `json:"description"`
	Datasource      *dashDSRef           `json:"datasource"`
	Targets         []map[string]any     `json:"targets"`
	TimeFrom        string               `json:"timeFrom"`
	TimeShift       string               `json:"timeShift"`
	Transformations []dashTransformation `json:"transformations"`
	FieldConfig     struct {
		Defaults struct {
			Links []dashLink `json:"links"`
		} `json:"defaults"`
		Overrides []struct {
			Matcher struct {
				ID      string `json:"id"`
				Options any    `json:"options"`
			} `json:"matcher"`
			Properties []struct {
				ID    string          `json:"id"`
				Value json.RawMessage `json:"value"`
			} `json:"properties"`
		} `json:"overrides"`
	} `json:"fieldConfig"`
	Links   []dashLink     `json:"links"`
	Panels  []dashPanel    `json:"panels"` // a collapsed row's panels
	Options map[string]any `json:"options"`
	GridPos struct {
		H int `json:"h"`
		W int `json:"w"`
		X int `json:"x"`
		Y int `json:"y"`
	} `json:"gridPos"`
}

type dashTransformation struct {
	ID      string          `json:"id"`
	Options json.RawMessage `json:"options"`
}

type dashLink struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// dashFieldLink is a data link of a panel field: the field it is on and the link.
type dashFieldLink struct {
	field string
	link  dashLink
}

// fieldLinks lists the data links of the panel's fields (overrides by name).
func (p dashPanel) fieldLinks(t *testing.T) []dashFieldLink {
	t.Helper()
	var out []dashFieldLink
	for _, l := range p.FieldConfig.Defaults.Links {
		out = append(out, dashFieldLink{"", l})
	}
	for _, o := range p.FieldConfig.Overrides {
		for _, prop := range o.Properties {
			if prop.ID != "links" {
				continue
			}
			var links []dashLink
			if err := json.Unmarshal(prop.Value, &links); err != nil {
				t.Fatalf("panel %q: links override: %v", p.Title, err)
			}
			name, _ := o.Matcher.Options.(string)
			if o.Matcher.ID != "byName" || name == "" {
				t.Fatalf("panel %q: links on matcher %q; the tests know byName only", p.Title, o.Matcher.ID)
			}
			for _, l := range links {
				out = append(out, dashFieldLink{name, l})
			}
		}
	}
	return out
}

// dashLoad reads every dashboard of dashboards/, by file name.
func dashLoad(t *testing.T) map[string]dashboardJSON {
	t.Helper()
	files, err := filepath.Glob(dashRepo("dashboards", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in dashboards/ (%v)", err)
	}
	out := make(map[string]dashboardJSON)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var d dashboardJSON
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s: not a dashboard: %v", f, err)
		}
		out[filepath.Base(f)] = d
	}
	return out
}

// flatPanels lists a dashboard's panels, those inside collapsed rows included.
func (d dashboardJSON) flatPanels() []dashPanel {
	var out []dashPanel
	var walk func([]dashPanel)
	walk = func(ps []dashPanel) {
		for _, p := range ps {
			out = append(out, p)
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

func (d dashboardJSON) panel(t *testing.T, title string) dashPanel {
	t.Helper()
	for _, p := range d.flatPanels() {
		if p.Title == title {
			return p
		}
	}
	t.Fatalf("dashboard %s has no panel %q", d.UID, title)
	return dashPanel{}
}

// ---------------------------------------------------------------- time

// dashParseTime evaluates Grafana's relative time syntax ("now", "now-24h",
// "now/w", "now-1d/d") in UTC with weeks starting on Monday, as the dashboards
// set timezone "utc" and weekStart "monday". roundUp rounds to the end of the
// unit, as Grafana does for the end of a range.
func dashParseTime(expr string, now time.Time, roundUp bool) (time.Time, error) {
	if !strings.HasPrefix(expr, "now") {
		return time.Time{}, fmt.Errorf("time %q: the tests know relative times only", expr)
	}
	t := now.UTC()
	rest := expr[len("now"):]
	for rest != "" {
		switch rest[0] {
		case '/':
			if len(rest) < 2 {
				return time.Time{}, fmt.Errorf("time %q: rounding without a unit", expr)
			}
			start, next, err := dashUnitBounds(t, rest[1])
			if err != nil {
				return time.Time{}, fmt.Errorf("time %q: %v", expr, err)
			}
			t = start
			if roundUp {
				t = next.Add(-time.Millisecond)
			}
			rest = rest[2:]
		case '+', '-':
			i := 1
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == len(rest) {
				return time.Time{}, fmt.Errorf("time %q: amount without a unit", expr)
			}
			n := 1
			if i > 1 {
				n, _ = strconv.Atoi(rest[1:i])
			}
			if rest[0] == '-' {
				n = -n
			}
			var err error
			if t, err = dashAdd(t, n, rest[i]); err != nil {
				return time.Time{}, fmt.Errorf("time %q: %v", expr, err)
			}
			rest = rest[i+1:]
		default:
			return time.Time{}, fmt.Errorf("time %q: unexpected %q", expr, rest)
		}
	}
	return t, nil
}

func dashAdd(t time.Time, n int, unit byte) (time.Time, error) {
	switch unit {
	case 's':
		return t.Add(time.Duration(n) * time.Second), nil
	case 'm':
		return t.Add(time.Duration(n) * time.Minute), nil
	case 'h':
		return t.Add(time.Duration(n) * time.Hour), nil
	case 'd':
		return t.AddDate(0, 0, n), nil
	case 'w':
		return t.AddDate(0, 0, 7*n), nil
	case 'M':
		return t.AddDate(0, n, 0), nil
	case 'y':
		return t.AddDate(n, 0, 0), nil
	}
	return t, fmt.Errorf("unknown unit %q", unit)
}

// dashUnitBounds returns the start of the unit containing t and the start of the next.
func dashUnitBounds(t time.Time, unit byte) (time.Time, time.Time, error) {
	switch unit {
	case 'm':
		s := t.Truncate(time.Minute)
		return s, s.Add(time.Minute), nil
	case 'h':
		s := t.Truncate(time.Hour)
		return s, s.Add(time.Hour), nil
	case 'd':
		s := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(0, 0, 1), nil
	case 'w':
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		s := d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // Monday
		return s, s.AddDate(0, 0, 7), nil
	case 'M':
		s := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(0, 1, 0), nil
	case 'y':
		s := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return s, s.AddDate(1, 0, 0), nil
	}
	return t, t, fmt.Errorf("unknown unit %q", unit)
}

// dashboardRange is the dashboard's own time range at dashNow.
func (d dashboardJSON) dashboardRange(t *testing.T) (time.Time, time.Time) {
	t.Helper()
	from, err := dashParseTime(d.Time.From, dashNow, false)
	if err != nil {
		t.Fatalf("dashboard %s: %v", d.UID, err)
	}
	to, err := dashParseTime(d.Time.To, dashNow, true)
	if err != nil {
		t.Fatalf("dashboard %s: %v", d.UID, err)
	}
	if d.Time.To == "now" {
		to = dashNow
	}
	return from, to
}

// panelRange is a panel's time range: the dashboard's, or the panel's relative
// time override ("24h" = the last 24 hours, "now/w" = this week so far).
func (d dashboardJSON) panelRange(t *testing.T, p dashPanel) (time.Time, time.Time) {
	t.Helper()
	if p.TimeShift != "" {
		t.Fatalf("panel %q: timeShift is not emulated by the tests", p.Title)
	}
	if p.TimeFrom == "" {
		return d.dashboardRange(t)
	}
	expr := p.TimeFrom
	if !strings.Contains(expr, "now") {
		expr = "now-" + expr
	}
	from, err := dashParseTime(expr, dashNow, false)
	if err != nil {
		t.Fatalf("panel %q: timeFrom: %v", p.Title, err)
	}
	return from, dashNow
}

// ---------------------------------------------------------------- variables

// dashVarValue is a variable's current value.
type dashVarValue struct {
	values   []string // the selected values; every option's value for All
	all      bool
	allValue string // the custom value that stands for All, if any
}

// dashScope is what interpolation sees: the dashboard's variables.
type dashScope struct {
	vars map[string]dashVarValue
}

var dashVarRef = regexp.MustCompile(`\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^\}]+))?(?::([^\}]+))?\}`)

// dashResolver supplies values beyond the dashboard's variables (data link
// variables such as ${__data.fields["user"]} or ${__from}).
type dashResolver func(name, path string) (string, bool)

// interpolate replaces variable references as Grafana's template service does:
// $var, [[var]], [[var:format]], ${var}, ${var:format}; format "" is the
// caller's default. Unknown names stay as they are.
func (s dashScope) interpolate(text, defaultFormat string, extra dashResolver) (string, error) {
	var firstErr error
	out := dashVarRef.ReplaceAllStringFunc(text, func(m string) string {
		g := dashVarRef.FindStringSubmatch(m)
		name, path, format := g[1], "", ""
		switch {
		case g[2] != "":
			name, format = g[2], g[3]
		case g[4] != "":
			name, path, format = g[4], g[5], g[6]
		}
		if format == "" {
			format = defaultFormat
		}
		if extra != nil {
			if v, ok := extra(name, path); ok {
				s, err := dashFormat(dashVarValue{values: []string{v}}, format)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				return s
			}
		}
		v, ok := s.vars[name]
		if !ok || path != "" {
			return m
		}
		out, err := dashFormat(v, format)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("%s: %w", m, err)
		}
		return out
	})
	return out, firstErr
}

// dashFormat renders a value in one of Grafana's variable formats. A custom All
// value is used as it is (percent-encoded for percentencode), as Grafana does.
func dashFormat(v dashVarValue, format string) (string, error) {
	if v.all && v.allValue != "" {
		if format == "percentencode" {
			return dashPercentEncode(v.allValue), nil
		}
		return v.allValue, nil
	}
	vals := v.values
	if len(vals) == 0 {
		return "", fmt.Errorf("no value")
	}
	switch format {
	case "regex":
		esc := make([]string, len(vals))
		for i, x := range vals {
			esc[i] = dashEscapeRegex(x)
		}
		if len(esc) == 1 {
			return esc[0], nil
		}
		return "(" + strings.Join(esc, "|") + ")", nil
	case "csv":
		return strings.Join(vals, ","), nil
	case "pipe":
		return strings.Join(vals, "|"), nil
	case "percentencode":
		if len(vals) == 1 {
			return dashPercentEncode(vals[0]), nil
		}
		return dashPercentEncode("{" + strings.Join(vals, ",") + "}"), nil
	case "", "glob":
		if len(vals) == 1 {
			return vals[0], nil
		}
		return "{" + strings.Join(vals, ",") + "}", nil
	}
	return "", fmt.Errorf("format %q is not emulated by the tests", format)
}

// dashEscapeRegex is Grafana's escapeRegex: \ ^ $ * + ? . ( ) | [ ] { } / get a backslash.
func dashEscapeRegex(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\^$*+?.()|[]{}/`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dashPercentEncode is Grafana's encodeURIComponentStrict: encodeURIComponent
// that also encodes ! ' ( ) *.
func dashPercentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// dashFilterFormat is how the frontend formats a filter value per operator
// (src/datasource.ts): a regex alternation for =~ and !~, a list for in.
func dashFilterFormat(op string) string {
	switch op {
	case "=~", "!~":
		return "regex"
	case "in":
		return "csv"
	}
	return ""
}

// dashApplyTarget turns a panel target into the query JSON the backend gets:
// the datasource resolved, the filters, groupBy and variable key interpolated
// as the frontend's applyTemplateVariables does, and every other string field
// interpolated as a plain value. It returns the names of those other fields
// that held a variable: the frontend must interpolate them too.
func (s dashScope) applyTarget(t *testing.T, ds plugintest.Datasource, target map[string]any) (map[string]any, []string) {
	t.Helper()
	raw, _ := json.Marshal(target)
	var q map[string]any
	if err := json.Unmarshal(raw, &q); err != nil {
		t.Fatal(err)
	}
	must := func(v string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatalf("interpolating %q: %v", v, err)
		}
		return v
	}
	if ref, ok := q["datasource"].(map[string]any); ok {
		uid, _ := ref["uid"].(string)
		if ref["type"] != dashPluginID || (uid != "${datasource}" && uid != "$datasource") {
			t.Fatalf("target %v: datasource %v; want the SignInLens type and uid ${datasource}", q["refId"], ref)
		}
		q["datasource"] = map[string]any{"type": dashPluginID, "uid": ds.UID}
	}
	if gb, ok := q["groupBy"].([]any); ok {
		var keys []string
		seen := map[string]bool{}
		for _, k := range gb {
			out, err := s.interpolate(k.(string), "csv", nil)
			for _, part := range strings.Split(must(out, err), ",") {
				if part = strings.TrimSpace(part); part != "" && !seen[part] {
					seen[part] = true
					keys = append(keys, part)
				}
			}
		}
		q["groupBy"] = keys
	}
	if fs, ok := q["filters"].([]any); ok {
		var kept []any
		for _, f := range fs {
			fm := f.(map[string]any)
			key, _ := fm["key"].(string)
			if key == "" {
				continue
			}
			fm["key"] = must(s.interpolate(key, "", nil))
			if v, ok := fm["value"].(string); ok {
				op, _ := fm["op"].(string)
				fm["value"] = must(s.interpolate(v, dashFilterFormat(op), nil))
			}
			kept = append(kept, fm)
		}
		q["filters"] = kept
	}
	var others []string
	for k, v := range q {
		str, ok := v.(string)
		if !ok || k == "refId" {
			continue
		}
		out := must(s.interpolate(str, "", nil))
		if out != str && k != "key" {
			others = append(others, k)
		}
		q[k] = out
	}
	sort.Strings(others)
	return q, others
}

// dashUnresolved reports variable references left in a query.
func dashUnresolved(q map[string]any) []string {
	raw, _ := json.Marshal(q)
	return dashVarRef.FindAllString(string(raw), -1)
}

// ---------------------------------------------------------------- frames

// dashFieldString reads row i of a frame's field as text.
func dashFieldString(f *data.Frame, name string, i int) (string, bool) {
	fld, _ := f.FieldByName(name)
	if fld == nil || i >= fld.Len() {
		return "", false
	}
	v, ok := fld.ConcreteAt(i)
	if !ok {
		return "", true
	}
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.RFC3339), true
	case string:
		return x, true
	}
	return fmt.Sprint(v), true
}

// dashRowResolver resolves data link variables for row i of a frame: the row's
// fields, the panel's range and the organisation.
func dashRowResolver(f *data.Frame, i int, from, to time.Time) dashResolver {
	fieldPath := regexp.MustCompile(`^fields(?:\["([^"]+)"\]|\.(.+))$`)
	return func(name, path string) (string, bool) {
		switch name {
		case "__from":
			return strconv.FormatInt(from.UnixMilli(), 10), true
		case "__to":
			return strconv.FormatInt(to.UnixMilli(), 10), true
		case "__org":
			return "1", true
		case "__data":
			m := fieldPath.FindStringSubmatch(path)
			if m == nil {
				return "", false
			}
			field := m[1] + m[2]
			return dashFieldString(f, field, i)
		}
		return "", false
	}
}

// dashNumeric reports whether a field holds numbers.
func dashNumeric(f *data.Field) bool {
	switch f.Type() {
	case data.FieldTypeFloat64, data.FieldTypeNullableFloat64, data.FieldTypeInt64, data.FieldTypeNullableInt64:
		return true
	}
	return false
}

func dashIsString(f *data.Field) bool {
	return f.Type() == data.FieldTypeString || f.Type() == data.FieldTypeNullableString
}
