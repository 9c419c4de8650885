package query

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Op is a filter operator.
type Op string

// Filter operators of the contract. Regular expressions are RE2 and anchored at
// both ends, as in Prometheus: "Chrome|Edge" matches those two families only.
const (
	OpEq         Op = "="
	OpNotEq      Op = "!="
	OpMatch      Op = "=~"
	OpNotMatch   Op = "!~"
	OpIn         Op = "in"
	OpStartsWith Op = "startsWith"
)

var ops = []Op{OpEq, OpNotEq, OpMatch, OpNotMatch, OpIn, OpStartsWith}

// maxFilterValue bounds a filter value: room for a multi-value template
// variable of a few hundred names. What a regular expression may cost is
// bounded separately, by its compiled size (Limits.MaxRegexSize).
const maxFilterValue = 64 << 10

// Filter keeps the sign-ins whose dimension value passes the operator.
type Filter struct {
	Dim   signin.Dimension
	Op    Op
	Value string
	set   map[string]struct{} // OpIn
	re    *regexp.Regexp      // OpMatch, OpNotMatch
}

type rawFilter struct {
	Key   string `json:"key"`
	Op    string `json:"op"`
	Value any    `json:"value"`
}

func parseFilter(i int, raw rawFilter, regexes *regexBudget) (Filter, error) {
	d, err := signin.ParseDimension(raw.Key)
	if err != nil {
		return Filter{}, fmt.Errorf("%w: filters[%d].key: %v", ErrInvalidQuery, i, err)
	}
	f := Filter{Dim: d, Op: Op(raw.Op)}
	values, err := filterValues(raw.Value)
	if err != nil {
		return Filter{}, fmt.Errorf("%w: filters[%d].value: %v", ErrInvalidQuery, i, err)
	}
	f.Value = strings.Join(values, ",")
	if len(f.Value) > maxFilterValue {
		return Filter{}, fmt.Errorf("%w: filters[%d].value is longer than %d bytes", ErrInvalidQuery, i, maxFilterValue)
	}
	switch f.Op {
	case OpEq, OpNotEq:
		if f.Value == EmptyLabel { // the group of sign-ins without a value
			f.Value = ""
		}
	case OpStartsWith:
	case OpIn:
		f.set = make(map[string]struct{}, len(values))
		for _, v := range splitList(values) {
			if v == EmptyLabel {
				v = ""
			}
			f.set[v] = struct{}{}
		}
	case OpMatch, OpNotMatch:
		if _, err := regexes.parseRegex(i, f.Value); err != nil {
			return Filter{}, err
		}
		re, err := regexp.Compile("^(?:" + f.Value + ")$")
		if err != nil {
			return Filter{}, fmt.Errorf("%w: filters[%d].value is not a valid RE2 regular expression: %v", ErrInvalidQuery, i, err)
		}
		f.re = re
	default:
		return Filter{}, fmt.Errorf("%w: filters[%d].op %s; want one of %s", ErrInvalidQuery, i, clip.Quote(raw.Op), opNames())
	}
	return f, nil
}

// filterValues accepts a string or, for "in", a list of strings.
func filterValues(v any) ([]string, error) {
	switch x := v.(type) {
	case nil:
		return []string{""}, nil
	case string:
		return []string{x}, nil
	case float64, bool:
		return []string{fmt.Sprint(x)}, nil
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return nil, fmt.Errorf("list items must be strings, got %T", item)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("want a string or a list of strings, got %T", v)
}

// splitList reads "in" values: a list, or one string "a,b,c", optionally in the
// braces Grafana puts around a multi-value template variable ("{a,b}").
func splitList(values []string) []string {
	if len(values) != 1 {
		return values
	}
	s := strings.TrimSpace(values[0])
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

func opNames() string {
	names := make([]string, len(ops))
	for i, o := range ops {
		names[i] = string(o)
	}
	return strings.Join(names, ", ")
}

// Items are the values an "in" filter keeps, sorted, as the engine reads the
// list (split, trimmed, "(empty)" read as the empty value); nil for the other
// operators. A push-down writes them as a KQL list: the parsed Value, joined
// with commas, no longer tells an item holding a comma from two items.
func (f *Filter) Items() []string {
	if f.Op != OpIn {
		return nil
	}
	return slices.Sorted(maps.Keys(f.set))
}

// Match reports whether a sign-in's value of the filter's dimension passes,
// exactly as the engine decides: a push-down applies the filters it cannot
// write in KQL to the rows of its answer with it.
func (f *Filter) Match(v string) bool { return f.matches(v) }

// matches reports whether a sign-in's value of the filter's dimension passes.
// A list-valued dimension (authMethod, riskEventType) passes "=", "in", "=~"
// and "startsWith" when one of its values does, and "!=" and "!~" when none
// of its values is the one excluded: `authMethod != Password` keeps the
// sign-ins that did not use a password at all.
func (f *Filter) matches(v string) bool {
	if !f.Dim.IsList() || v == "" {
		return f.matchValue(v)
	}
	negative := f.Op == OpNotEq || f.Op == OpNotMatch
	for _, x := range signin.SplitList(v) {
		if f.matchValue(x) != negative {
			return !negative
		}
	}
	return negative
}

func (f *Filter) matchValue(v string) bool {
	switch f.Op {
	case OpEq:
		return v == f.Value
	case OpNotEq:
		return v != f.Value
	case OpIn:
		_, ok := f.set[v]
		return ok
	case OpStartsWith:
		return strings.HasPrefix(v, f.Value)
	case OpMatch:
		return f.matchRegex(v)
	case OpNotMatch:
		return !f.matchRegex(v)
	}
	return false
}

// matchRegex matches a value, and an empty one by its label too: a
// multi-value template variable that lists "(empty)" becomes a regular
// expression with "\(empty\)" in it, which must select those sign-ins.
func (f *Filter) matchRegex(v string) bool {
	return f.re.MatchString(v) || (v == "" && f.re.MatchString(EmptyLabel))
}

// matchesEverything reports whether the filter passes every value, as the
// regular expression ".*" does: Grafana's All value of a regex variable.
func (f *Filter) matchesEverything() bool {
	return f.Op == OpMatch && (f.Value == ".*" || f.Value == "^.*$")
}
