package e2e

// The parts of Grafana alerting the alert tests play: the provisioning file and
// the evaluation of a rule's queries and server-side expressions (reduce,
// threshold, math) into alert instances.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"go.yaml.in/yaml/v3"

	"github.com/signinlens/signinlens-entra-datasource/internal/plugintest"
)

type alertFile struct {
	APIVersion int          `json:"apiVersion"`
	Groups     []alertGroup `json:"groups"`
}

type alertGroup struct {
	OrgID    int         `json:"orgId"`
	Name     string      `json:"name"`
	Folder   string      `json:"folder"`
	Interval string      `json:"interval"`
	Rules    []alertRule `json:"rules"`
}

type alertRule struct {
	UID                  string            `json:"uid"`
	Title                string            `json:"title"`
	Condition            string            `json:"condition"`
	Data                 []alertQuery      `json:"data"`
	NoDataState          string            `json:"noDataState"`
	ExecErrState         string            `json:"execErrState"`
	For                  string            `json:"for"`
	IsPaused             bool              `json:"isPaused"`
	Labels               map[string]string `json:"labels"`
	Annotations          map[string]string `json:"annotations"`
	NotificationSettings json.RawMessage   `json:"notification_settings"`
}

type alertQuery struct {
	RefID             string `json:"refId"`
	RelativeTimeRange struct {
		From int64 `json:"from"`
		To   int64 `json:"to"`
	} `json:"relativeTimeRange"`
	DatasourceUID string         `json:"datasourceUid"`
	Model         map[string]any `json:"model"`
}

func (f alertFile) rules() []alertRule {
	var out []alertRule
	for _, g := range f.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// alertLoad reads provisioning/alerting/signinlens-rules.yaml with a YAML
// library, as Grafana's provisioning does. Unknown keys are errors, so a
// misspelt key cannot pass silently: the YAML is decoded, turned into JSON and
// decoded again into the rule types with unknown fields disallowed.
func alertLoad(t *testing.T) alertFile {
	t.Helper()
	raw := dashReadFile(t, "provisioning", "alerting", "signinlens-rules.yaml")
	var doc any
	if err := yaml.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatalf("signinlens-rules.yaml: %v", err)
	}
	js, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("signinlens-rules.yaml: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var f alertFile
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("signinlens-rules.yaml: %v", err)
	}
	return f
}

// alertNumber is one value of an expression: labels and a number (NaN: no value).
type alertNumber struct {
	labels data.Labels
	value  float64
}

// alertKey names a label set, e.g. `{app=Teams}`; "{}" without labels.
func alertKey(l data.Labels) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + l[k]
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// alertValues are an expression's results: numbers, or series before a reduce.
type alertValues struct {
	numbers []alertNumber
	series  []alertSeries
}

type alertSeries struct {
	labels data.Labels
	values []float64
}

// alertEvaluation is a rule evaluated at one instant: every node's values.
type alertEvaluation struct {
	at    time.Time
	nodes map[string]alertValues
}

// firing returns the label sets of the instances whose condition holds.
func (e alertEvaluation) firing(rule alertRule) map[string]bool {
	out := map[string]bool{}
	for _, n := range e.nodes[rule.Condition].numbers {
		if !math.IsNaN(n.value) && n.value != 0 {
			out[alertKey(n.labels)] = true
		}
	}
	return out
}

// thresholdInput returns the values the rule's condition compares: the input of
// its threshold expression, by label set.
func (e alertEvaluation) thresholdInput(t *testing.T, rule alertRule) map[string]float64 {
	t.Helper()
	cond := rule.node(t, rule.Condition)
	in, _ := cond.Model["expression"].(string)
	out := map[string]float64{}
	for _, n := range e.nodes[in].numbers {
		out[alertKey(n.labels)] = n.value
	}
	return out
}

func (r alertRule) node(t *testing.T, refID string) alertQuery {
	t.Helper()
	for _, q := range r.Data {
		if q.RefID == refID {
			return q
		}
	}
	t.Fatalf("rule %s: no node %s", r.UID, refID)
	return alertQuery{}
}

// alertEvaluator evaluates rules against a datasource through the plugin, many
// instants per request, as Grafana's scheduler would one instant at a time:
// queries carry FromAlert, their relative range ends at the instant.
type alertEvaluator struct {
	h  *plugintest.Host
	ds plugintest.Datasource
}

func (ev alertEvaluator) evaluate(t *testing.T, rule alertRule, instants []time.Time) []alertEvaluation {
	t.Helper()
	type ref struct{ node, at int }
	var qs []plugintest.Query
	var refs []ref
	for i, at := range instants {
		for n, q := range rule.Data {
			if q.DatasourceUID == "__expr__" {
				continue
			}
			iv := time.Second
			if ms, ok := q.Model["intervalMs"].(float64); ok {
				iv = time.Duration(ms) * time.Millisecond
			}
			qs = append(qs, plugintest.Query{
				RefID: fmt.Sprintf("%s@%d", q.RefID, i), JSON: q.Model, Interval: iv,
				From: at.Add(-time.Duration(q.RelativeTimeRange.From) * time.Second),
				To:   at.Add(-time.Duration(q.RelativeTimeRange.To) * time.Second),
			})
			refs = append(refs, ref{n, i})
		}
	}
	evals := make([]alertEvaluation, len(instants))
	for i, at := range instants {
		evals[i] = alertEvaluation{at: at, nodes: map[string]alertValues{}}
	}
	const batch = 200
	for lo := 0; lo < len(qs); lo += batch {
		hi := min(lo+batch, len(qs))
		ctx, cancel := context.WithTimeout(context.Background(), dashRequestTimeout)
		resp, err := ev.h.QueryData(ctx, ev.ds.Request(map[string]string{"FromAlert": "true"}, qs[lo:hi]...))
		cancel()
		if err != nil {
			t.Fatalf("rule %s: %v", rule.UID, err)
		}
		for k := lo; k < hi; k++ {
			dr, ok := resp.Responses[qs[k].RefID]
			if !ok || dr.Error != nil {
				t.Fatalf("rule %s: query %s: error %v (execErrState would fire)", rule.UID, qs[k].RefID, dr.Error)
			}
			dashCheckNotices(t, "rule "+rule.UID, dr.Frames)
			evals[refs[k].at].nodes[rule.Data[refs[k].node].RefID] = alertFromFrames(t, rule.UID, dr.Frames)
		}
	}
	for i := range evals {
		for _, q := range rule.Data {
			if q.DatasourceUID == "__expr__" {
				evals[i].nodes[q.RefID] = alertExpression(t, rule.UID, q, evals[i].nodes)
			}
		}
	}
	return evals
}

// alertFromFrames converts a datasource answer as Grafana's server-side
// expressions do: timeseries-multi frames are series; a numeric-long table is
// one number per row, labelled by its text columns.
func alertFromFrames(t *testing.T, uid string, frames data.Frames) alertValues {
	t.Helper()
	var out alertValues
	for _, f := range frames {
		switch {
		case f.Meta != nil && f.Meta.Type == data.FrameTypeTimeSeriesMulti:
			s := alertSeries{labels: f.Fields[1].Labels}
			for i := 0; i < f.Rows(); i++ {
				v, _ := f.Fields[1].FloatAt(i)
				s.values = append(s.values, v)
			}
			out.series = append(out.series, s)
		case f.Meta != nil && f.Meta.Type == data.FrameTypeNumericLong:
			var num *data.Field
			for _, fld := range f.Fields {
				if dashNumeric(fld) {
					if num != nil {
						t.Fatalf("rule %s: a table with two number columns is ambiguous for alerting", uid)
					}
					num = fld
				}
			}
			if num == nil {
				t.Fatalf("rule %s: a table without a number column", uid)
			}
			for i := 0; i < f.Rows(); i++ {
				labels := data.Labels{}
				for _, fld := range f.Fields {
					if dashIsString(fld) {
						s, _ := dashFieldString(f, fld.Name, i)
						labels[fld.Name] = s
					}
				}
				v, _ := num.FloatAt(i)
				out.numbers = append(out.numbers, alertNumber{labels, v})
			}
		default:
			t.Fatalf("rule %s: frame %v is neither a time series nor a numeric table", uid, dashFieldNames(f))
		}
	}
	return out
}

// alertExpression evaluates one server-side expression.
func alertExpression(t *testing.T, uid string, q alertQuery, nodes map[string]alertValues) alertValues {
	t.Helper()
	typ, _ := q.Model["type"].(string)
	expr, _ := q.Model["expression"].(string)
	switch typ {
	case "reduce":
		in, ok := nodes[expr]
		if !ok {
			t.Fatalf("rule %s: %s reduces unknown %q", uid, q.RefID, expr)
		}
		reducer, _ := q.Model["reducer"].(string)
		out := alertValues{numbers: append([]alertNumber(nil), in.numbers...)} // reducing a number keeps it
		for _, s := range in.series {
			out.numbers = append(out.numbers, alertNumber{s.labels, alertReduce(t, uid, reducer, s.values)})
		}
		return out
	case "threshold":
		in, ok := nodes[expr]
		if !ok || len(in.series) > 0 {
			t.Fatalf("rule %s: %s thresholds %q, which is not a set of numbers", uid, q.RefID, expr)
		}
		var conds []struct {
			Evaluator struct {
				Type   string    `json:"type"`
				Params []float64 `json:"params"`
			} `json:"evaluator"`
		}
		raw, _ := json.Marshal(q.Model["conditions"])
		if err := json.Unmarshal(raw, &conds); err != nil || len(conds) != 1 {
			t.Fatalf("rule %s: %s: conditions %s; want one evaluator", uid, q.RefID, raw)
		}
		ev := conds[0].Evaluator
		var out alertValues
		for _, n := range in.numbers {
			var hit bool
			switch {
			case ev.Type == "gt" && len(ev.Params) == 1:
				hit = n.value > ev.Params[0]
			case ev.Type == "lt" && len(ev.Params) == 1:
				hit = n.value < ev.Params[0]
			case ev.Type == "within_range" && len(ev.Params) == 2:
				hit = n.value > ev.Params[0] && n.value < ev.Params[1]
			case ev.Type == "outside_range" && len(ev.Params) == 2:
				hit = n.value < ev.Params[0] || n.value > ev.Params[1]
			default:
				t.Fatalf("rule %s: %s: evaluator %+v is not emulated", uid, q.RefID, ev)
			}
			out.numbers = append(out.numbers, alertNumber{n.labels, alertBool(hit && !math.IsNaN(n.value))})
		}
		return out
	case "math":
		p := &alertMathParser{src: expr, nodes: nodes, t: t, uid: uid}
		out := p.parse()
		return alertValues{numbers: out}
	}
	t.Fatalf("rule %s: expression type %q is not emulated", uid, typ)
	return alertValues{}
}

func alertReduce(t *testing.T, uid, reducer string, v []float64) float64 {
	t.Helper()
	if len(v) == 0 {
		return math.NaN()
	}
	switch reducer {
	case "last":
		return v[len(v)-1]
	case "sum", "mean":
		var s float64
		for _, x := range v {
			s += x
		}
		if reducer == "mean" {
			s /= float64(len(v))
		}
		return s
	case "max", "min":
		m := v[0]
		for _, x := range v[1:] {
			if reducer == "max" && x > m || reducer == "min" && x < m {
				m = x
			}
		}
		return m
	case "count":
		return float64(len(v))
	}
	t.Fatalf("rule %s: reducer %q is not emulated", uid, reducer)
	return 0
}

func alertBool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// alertMathParser evaluates Grafana math expressions over numbers: $refs,
// literals, parentheses, * / + -, comparisons and && ||. A binary operation
// pairs values whose label sets are equal or one contains the other, as
// Grafana's union does.
type alertMathParser struct {
	src   string
	pos   int
	nodes map[string]alertValues
	t     *testing.T
	uid   string
}

var alertLevels = [][]string{{"||"}, {"&&"}, {"==", "!=", ">=", "<=", ">", "<"}, {"+", "-"}, {"*", "/"}}

func (p *alertMathParser) parse() []alertNumber {
	out := p.binary(0)
	p.space()
	if p.pos != len(p.src) {
		p.t.Fatalf("rule %s: math %q: unexpected %q", p.uid, p.src, p.src[p.pos:])
	}
	return out
}

func (p *alertMathParser) space() {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
}

func (p *alertMathParser) binary(level int) []alertNumber {
	if level == len(alertLevels) {
		return p.primary()
	}
	left := p.binary(level + 1)
	for {
		p.space()
		op := ""
		for _, o := range alertLevels[level] {
			if strings.HasPrefix(p.src[p.pos:], o) {
				op = o
				break
			}
		}
		if op == "" {
			return left
		}
		p.pos += len(op)
		right := p.binary(level + 1)
		left = alertCombine(left, right, op)
	}
}

func (p *alertMathParser) primary() []alertNumber {
	p.space()
	if p.pos >= len(p.src) {
		p.t.Fatalf("rule %s: math %q ends early", p.uid, p.src)
	}
	switch c := p.src[p.pos]; {
	case c == '(':
		p.pos++
		v := p.binary(0)
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			p.t.Fatalf("rule %s: math %q: missing )", p.uid, p.src)
		}
		p.pos++
		return v
	case c == '$':
		start := p.pos + 1
		p.pos++
		for p.pos < len(p.src) && (p.src[p.pos] >= 'A' && p.src[p.pos] <= 'Z' || p.src[p.pos] >= 'a' && p.src[p.pos] <= 'z' || p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '_') {
			p.pos++
		}
		v, ok := p.nodes[p.src[start:p.pos]]
		if !ok || len(v.series) > 0 {
			p.t.Fatalf("rule %s: math %q: $%s is not a reduced value", p.uid, p.src, p.src[start:p.pos])
		}
		return v.numbers
	default:
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		var f float64
		if _, err := fmt.Sscan(p.src[start:p.pos], &f); err != nil {
			p.t.Fatalf("rule %s: math %q: unexpected %q", p.uid, p.src, p.src[start:])
		}
		return []alertNumber{{labels: nil, value: f}}
	}
}

func alertCombine(a, b []alertNumber, op string) []alertNumber {
	var out []alertNumber
	for _, x := range a {
		for _, y := range b {
			labels, ok := alertUnion(x.labels, y.labels)
			if !ok {
				continue
			}
			out = append(out, alertNumber{labels, alertApply(x.value, y.value, op)})
		}
	}
	return out
}

// alertUnion joins two label sets when one contains the other.
func alertUnion(a, b data.Labels) (data.Labels, bool) {
	sub := func(x, y data.Labels) bool {
		for k, v := range x {
			if y[k] != v {
				return false
			}
		}
		return true
	}
	switch {
	case sub(a, b):
		return b, true
	case sub(b, a):
		return a, true
	}
	return nil, false
}

func alertApply(x, y float64, op string) float64 {
	switch op {
	case "*":
		return x * y
	case "/":
		return x / y
	case "+":
		return x + y
	case "-":
		return x - y
	case ">":
		return alertBool(x > y)
	case "<":
		return alertBool(x < y)
	case ">=":
		return alertBool(x >= y)
	case "<=":
		return alertBool(x <= y)
	case "==":
		return alertBool(x == y)
	case "!=":
		return alertBool(x != y)
	case "&&":
		return alertBool(x != 0 && y != 0)
	}
	return alertBool(x != 0 || y != 0)
}
