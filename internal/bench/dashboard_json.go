package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// The part of a Grafana dashboard figure d replays: panels with their targets
// and the template variables the targets use.
type dashboardJSON struct {
	Title      string      `json:"title"`
	Panels     []panelJSON `json:"panels"`
	Templating struct {
		List []variableJSON `json:"list"`
	} `json:"templating"`
}

type panelJSON struct {
	ID       int              `json:"id"`
	Type     string           `json:"type"`
	Title    string           `json:"title"`
	TimeFrom string           `json:"timeFrom"` // the panel's own relative time ("24h", "now/w"), if any
	Panels   []panelJSON      `json:"panels"`   // a collapsed row's
	Targets  []map[string]any `json:"targets"`
}

type variableJSON struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	IncludeAll bool            `json:"includeAll"`
	AllValue   string          `json:"allValue"`
	Current    struct {
		Value json.RawMessage `json:"value"`
	} `json:"current"`
}

// panelQueries is a panel's visible targets, variables not yet applied.
type panelQueries struct {
	title    string
	targets  []map[string]any
	timeFrom string
}

// readDashboards reads the dashboards matching pattern under dir.
func readDashboards(dir, pattern string) ([]dashboardJSON, error) {
	paths, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		return nil, err
	}
	slices.Sort(paths)
	var out []dashboardJSON
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var d dashboardJSON
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("bench: %s: %w", p, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// queries lists the panels that query, rows' panels included, in layout order.
func (d dashboardJSON) queries() []panelQueries {
	var out []panelQueries
	var walk func(ps []panelJSON)
	walk = func(ps []panelJSON) {
		for _, p := range ps {
			var ts []map[string]any
			for _, t := range p.Targets {
				if hide, _ := t["hide"].(bool); !hide {
					ts = append(ts, t)
				}
			}
			if len(ts) > 0 {
				out = append(out, panelQueries{title: p.Title, timeFrom: p.TimeFrom, targets: ts})
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// splitOptions reads a custom variable's options: "a,b" or "text : value,…".
func splitOptions(q string) []string {
	var options []string
	for _, opt := range strings.Split(q, ",") {
		if _, val, ok := strings.Cut(opt, " : "); ok {
			opt = val
		}
		options = append(options, strings.TrimSpace(opt))
	}
	return options
}

// varValue is a resolved template variable.
type varValue struct {
	values   []string
	all      bool
	allValue string // used for All when set, as Grafana does
}

// current reads a variable's current value: a string or a list.
func (v variableJSON) current() []string {
	var one string
	if json.Unmarshal(v.Current.Value, &one) == nil {
		return []string{one}
	}
	var many []string
	_ = json.Unmarshal(v.Current.Value, &many)
	return many
}

// resolve picks the variable's value among its options as Grafana does on load.
func (v variableJSON) resolve(options []string) varValue {
	cur := v.current()
	if slices.Contains(cur, "$__all") && v.IncludeAll {
		return varValue{values: options, all: true, allValue: v.AllValue}
	}
	var kept []string
	for _, c := range cur {
		if slices.Contains(options, c) || len(options) == 0 {
			kept = append(kept, c)
		}
	}
	if len(kept) == 0 && len(options) > 0 {
		kept = options[:1]
	}
	return varValue{values: kept}
}

// format renders the value as Grafana's template service does for a format:
// "regex", "csv", or "" (Grafana's default, {a,b} for several values).
func (v varValue) format(f string) string {
	if v.all && v.allValue != "" {
		return v.allValue
	}
	switch f {
	case "regex":
		q := make([]string, len(v.values))
		for i, s := range v.values {
			q[i] = regexp.QuoteMeta(s)
		}
		if len(q) == 1 {
			return q[0]
		}
		return "(" + strings.Join(q, "|") + ")"
	case "csv":
		return strings.Join(v.values, ",")
	}
	if len(v.values) == 1 {
		return v.values[0]
	}
	return "{" + strings.Join(v.values, ",") + "}"
}

var varRef = regexp.MustCompile(`\$\{(\w+)\}|\$(\w+)`)

// interpolate replaces $name and ${name} of known variables in s.
func interpolate(s, format string, vars map[string]varValue) string {
	return varRef.ReplaceAllStringFunc(s, func(ref string) string {
		m := varRef.FindStringSubmatch(ref)
		name := m[1] + m[2]
		if v, ok := vars[name]; ok {
			return v.format(format)
		}
		return ref
	})
}

// applyVariables is the frontend's applyTemplateVariables: group-by keys as a
// list, filter values in the format their operator needs, the variable key.
func applyVariables(target map[string]any, vars map[string]varValue) map[string]any {
	q := make(map[string]any, len(target))
	for k, v := range target {
		switch k {
		case "datasource", "refId", "hide":
			continue
		}
		q[k] = v
	}
	if gb, ok := target["groupBy"].([]any); ok {
		var keys []any
		for _, k := range gb {
			s, _ := k.(string)
			for _, part := range strings.Split(interpolate(s, "csv", vars), ",") {
				if part = strings.TrimSpace(part); part != "" && !slices.Contains(keys, any(part)) {
					keys = append(keys, part)
				}
			}
		}
		q["groupBy"] = keys
	}
	if fs, ok := target["filters"].([]any); ok {
		var out []any
		for _, f := range fs {
			m, ok := f.(map[string]any)
			if !ok {
				continue
			}
			key, _ := m["key"].(string)
			op, _ := m["op"].(string)
			value, _ := m["value"].(string)
			format := ""
			switch op {
			case "=~", "!~":
				format = "regex"
			case "in":
				format = "csv"
			}
			out = append(out, map[string]any{"key": interpolate(key, "", vars), "op": op, "value": interpolate(value, format, vars)})
		}
		q["filters"] = out
	}
	if key, ok := target["key"].(string); ok {
		q["key"] = interpolate(key, "", vars)
	}
	// The frontend expands these too (a dashboard may pick them with variables).
	for _, k := range []string{"logType", "metric", "format", "timeAggregate"} {
		if v, ok := target[k].(string); ok {
			q[k] = interpolate(v, "", vars)
		}
	}
	return q
}
