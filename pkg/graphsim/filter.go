package graphsim

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// filter is a parsed $filter. The createdDateTime clauses are folded into one
// interval so the pager can walk hours and binary-search instead of testing
// every record; the log-type lambda picks which logs to read; everything else
// is a predicate tested per record.
type filter struct {
	from, to   time.Time // createdDateTime in [from, to); zero means unbounded
	types      typeSet   // log types asked for, valid when typesGiven
	typesGiven bool
	preds      []predicate
}

// predicate tests one record against one non-time clause.
type predicate func(*Record) bool

// match reports whether r passes every non-time clause.
func (f *filter) match(r *Record) bool {
	for _, p := range f.preds {
		if !p(r) {
			return false
		}
	}
	return true
}

// narrowFrom raises the inclusive lower bound to t.
func (f *filter) narrowFrom(t time.Time) {
	if f.from.IsZero() || t.After(f.from) {
		f.from = t
	}
}

// narrowTo lowers the exclusive upper bound to t.
func (f *filter) narrowTo(t time.Time) {
	if f.to.IsZero() || t.Before(f.to) {
		f.to = t
	}
}

// narrowTypes intersects the log types asked for with s; clauses are and-ed.
func (f *filter) narrowTypes(s typeSet) {
	if f.typesGiven {
		s &= f.types
	}
	f.types, f.typesGiven = s, true
}

// typeSet is a set of log types, one bit each.
type typeSet uint8

// allTypes holds the four log types.
var allTypes = typeSetOf(signin.LogTypes...)

func typeSetOf(lts ...signin.LogType) typeSet {
	var s typeSet
	for _, lt := range lts {
		s |= 1 << lt
	}
	return s
}

// list returns the members in signin.LogTypes order.
func (s typeSet) list() []signin.LogType {
	var out []signin.LogType
	for _, lt := range signin.LogTypes {
		if s&(1<<lt) != 0 {
			out = append(out, lt)
		}
	}
	return out
}

// hasPrefixFold is strings.HasPrefix ignoring case (Unicode simple folding),
// without allocating: Graph's startsWith ignores case.
func hasPrefixFold(s, prefix string) bool {
	for _, pr := range prefix {
		sr, n := utf8.DecodeRuneInString(s)
		if n == 0 || (sr != pr && !equalFoldRune(sr, pr)) {
			return false
		}
		s = s[n:]
	}
	return true
}

func equalFoldRune(a, b rune) bool {
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}

// eqFold reports whether s equals t ignoring case, as Graph compares ids and names.
func eqFold(s, t string) bool { return strings.EqualFold(s, t) }
