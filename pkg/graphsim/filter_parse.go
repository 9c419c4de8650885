package graphsim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// stringField is a string property a $filter may test.
type stringField struct {
	name     string // as Graph spells it, for messages
	get      func(*Record) string
	prefixOK bool // startsWith is allowed
}

// stringFields are keyed by lower-case name: Graph matches property names
// without regard to case.
var stringFields = map[string]stringField{
	"id":                {"id", func(r *Record) string { return r.ID }, false},
	"appid":             {"appId", func(r *Record) string { return r.AppID }, false},
	"userid":            {"userId", func(r *Record) string { return r.UserID }, false},
	"userprincipalname": {"userPrincipalName", func(r *Record) string { return r.UserPrincipalName }, true},
	"appdisplayname":    {"appDisplayName", func(r *Record) string { return r.AppDisplayName }, true},
}

// filterParser is a recursive-descent parser over the grammar
//
//	expr   = term { "and" term }
//	term   = "(" expr ")" | clause
//	clause = path op literal | "startsWith" "(" path "," string ")"
//	       | "signInEventTypes/any" "(" var ":" var ("eq"|"ne") string ")"
//
// Keywords and property names are matched without regard to case.
type filterParser struct {
	toks []token
	pos  int
	beta bool
	f    filter
}

// parseFilter parses a $filter. beta enables signInEventTypes, which v1.0 lacks.
func parseFilter(s string, beta bool) (filter, error) {
	toks, err := lexFilter(s)
	if err != nil {
		return filter{}, err
	}
	p := &filterParser{toks: toks, beta: beta}
	if err := p.expr(); err != nil {
		return filter{}, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return filter{}, p.unexpected(t, "'and' or the end of the filter")
	}
	return p.f, nil
}

func (p *filterParser) peek() token { return p.toks[p.pos] }

func (p *filterParser) next() token {
	t := p.toks[p.pos]
	if t.kind != tokEOF {
		p.pos++
	}
	return t
}

func (p *filterParser) expect(kind tokenKind, want string) (token, error) {
	t := p.next()
	if t.kind != kind {
		return t, p.unexpected(t, want)
	}
	return t, nil
}

// unexpected explains a token out of place; 'or' and 'not' get their own
// message because they are the likely mistake.
func (p *filterParser) unexpected(t token, want string) error {
	switch {
	case t.kind == tokEOF:
		return fmt.Errorf("%w: unexpected end of filter; want %s", ErrBadFilter, want)
	case t.kind == tokIdent && isKeyword(t.text, "or", "not"):
		return fmt.Errorf("%w: operator '%s' is not supported at position %d", ErrBadFilter, t.text, t.pos)
	}
	return fmt.Errorf("%w: unexpected %q at position %d; want %s", ErrBadFilter, t.text, t.pos, want)
}

func (p *filterParser) expr() error {
	for {
		if err := p.term(); err != nil {
			return err
		}
		if t := p.peek(); t.kind != tokIdent || !isKeyword(t.text, "and") {
			return nil
		}
		p.next()
	}
}

func (p *filterParser) term() error {
	if p.peek().kind != tokLParen {
		return p.clause()
	}
	p.next()
	if err := p.expr(); err != nil {
		return err
	}
	_, err := p.expect(tokRParen, "')'")
	return err
}

func (p *filterParser) clause() error {
	t, err := p.expect(tokIdent, "a property or function")
	if err != nil {
		return err
	}
	switch {
	case isKeyword(t.text, "startswith"):
		return p.startsWith()
	case isKeyword(t.text, "signInEventTypes/any"):
		return p.anyEventType()
	case isKeyword(t.text, "or", "not", "and"):
		return p.unexpected(t, "a property or function")
	}
	return p.comparison(t)
}

// comparison parses "path op literal".
func (p *filterParser) comparison(prop token) error {
	op, err := p.expect(tokIdent, "a comparison operator after "+prop.text)
	if err != nil {
		return err
	}
	if !isKeyword(op.text, "eq", "ne", "gt", "ge", "lt", "le") {
		return p.unexpected(op, "a comparison operator after "+prop.text)
	}
	val := p.next()
	name := strings.ToLower(prop.text)
	switch {
	case name == "createddatetime":
		return p.createdClause(op, val)
	case name == "status/errorcode":
		return p.errorCodeClause(op, val)
	case name == "riskstate":
		return p.riskStateClause(op, val)
	}
	field, ok := stringFields[name]
	if !ok {
		return p.unknownProperty(prop.text)
	}
	if err := p.wantOp(field.name, op, "eq"); err != nil {
		return err
	}
	if val.kind != tokString {
		return p.unexpected(val, "a quoted string after "+field.name+" eq")
	}
	want := val.text
	p.f.preds = append(p.f.preds, func(r *Record) bool { return eqFold(field.get(r), want) })
	return nil
}

func (p *filterParser) createdClause(op, val token) error {
	if err := p.wantOp("createdDateTime", op, "eq", "ge", "gt", "le", "lt"); err != nil {
		return err
	}
	if val.kind != tokLiteral {
		return p.unexpected(val, "an unquoted date-time such as 2026-01-13T14:00:00Z")
	}
	t, err := time.Parse(time.RFC3339Nano, val.text)
	if err != nil {
		return fmt.Errorf("%w: %q is not a date-time such as 2026-01-13T14:00:00Z", ErrBadFilter, val.text)
	}
	t = t.UTC()
	switch strings.ToLower(op.text) {
	case "ge":
		p.f.narrowFrom(t)
	case "gt":
		p.f.narrowFrom(t.Add(time.Nanosecond))
	case "lt":
		p.f.narrowTo(t)
	case "le":
		p.f.narrowTo(t.Add(time.Nanosecond))
	case "eq":
		p.f.narrowFrom(t)
		p.f.narrowTo(t.Add(time.Nanosecond))
	}
	return nil
}

func (p *filterParser) errorCodeClause(op, val token) error {
	if err := p.wantOp("status/errorCode", op, "eq"); err != nil {
		return err
	}
	if val.kind != tokLiteral {
		return p.unexpected(val, "an integer after status/errorCode eq")
	}
	n, err := strconv.ParseInt(val.text, 10, 32)
	if err != nil {
		return fmt.Errorf("%w: %q is not a 32-bit integer", ErrBadFilter, val.text)
	}
	code := int32(n)
	p.f.preds = append(p.f.preds, func(r *Record) bool { return r.ErrorCode == code })
	return nil
}

// riskStates are the members of Graph's riskState enumeration.
var riskStates = []string{"none", "confirmedSafe", "remediated", "dismissed", "atRisk", "confirmedCompromised", "unknownFutureValue"}

// riskStateClause parses "riskState eq 'atRisk'". The predicate reads the
// version the pager hands it, so a sign-in remediated since matches
// 'remediated', no longer 'atRisk' (Record.AsOf).
func (p *filterParser) riskStateClause(op, val token) error {
	if err := p.wantOp("riskState", op, "eq"); err != nil {
		return err
	}
	if val.kind != tokString {
		return p.unexpected(val, "a quoted string after riskState eq")
	}
	if !isKeyword(val.text, riskStates...) {
		return fmt.Errorf("%w: '%s' is not a riskState", ErrBadFilter, val.text)
	}
	want := val.text
	p.f.preds = append(p.f.preds, func(r *Record) bool { return eqFold(r.RiskState, want) })
	return nil
}

// startsWith parses "(path, 'prefix')" after the function name.
func (p *filterParser) startsWith() error {
	if _, err := p.expect(tokLParen, "'(' after startsWith"); err != nil {
		return err
	}
	prop, err := p.expect(tokIdent, "a property name")
	if err != nil {
		return err
	}
	field, ok := stringFields[strings.ToLower(prop.text)]
	if !ok || !field.prefixOK {
		return fmt.Errorf("%w: startsWith is not supported on '%s'", ErrBadFilter, prop.text)
	}
	if _, err := p.expect(tokComma, "','"); err != nil {
		return err
	}
	val, err := p.expect(tokString, "a quoted string")
	if err != nil {
		return err
	}
	if _, err := p.expect(tokRParen, "')'"); err != nil {
		return err
	}
	prefix := val.text
	p.f.preds = append(p.f.preds, func(r *Record) bool { return hasPrefixFold(field.get(r), prefix) })
	return nil
}

// anyEventType parses "(t: t eq 'nonInteractiveUser')" after signInEventTypes/any.
func (p *filterParser) anyEventType() error {
	if !p.beta {
		return p.unknownProperty("signInEventTypes")
	}
	if err := p.lambdaHead(); err != nil {
		return err
	}
	op, err := p.expect(tokIdent, "eq or ne")
	if err != nil {
		return err
	}
	if err := p.wantOp("signInEventTypes", op, "eq", "ne"); err != nil {
		return err
	}
	val, err := p.expect(tokString, "a quoted sign-in event type")
	if err != nil {
		return err
	}
	lt, ok := signin.LogTypeFromGraph(val.text)
	if !ok {
		return fmt.Errorf("%w: '%s' is not a signInEventType", ErrBadFilter, val.text)
	}
	if _, err := p.expect(tokRParen, "')'"); err != nil {
		return err
	}
	set := typeSetOf(lt)
	if isKeyword(op.text, "ne") {
		set = allTypes &^ set
	}
	p.f.narrowTypes(set)
	return nil
}

// lambdaHead parses "(t: t" — the lambda variable may have any name, but the
// body must use the one declared.
func (p *filterParser) lambdaHead() error {
	if _, err := p.expect(tokLParen, "'(' after any"); err != nil {
		return err
	}
	v, err := p.expect(tokIdent, "a lambda variable")
	if err != nil {
		return err
	}
	if _, err := p.expect(tokColon, "':'"); err != nil {
		return err
	}
	if ref := p.next(); ref.kind != tokIdent || ref.text != v.text {
		return p.unexpected(ref, "the lambda variable "+v.text)
	}
	return nil
}

func (p *filterParser) wantOp(prop string, op token, allowed ...string) error {
	if isKeyword(op.text, allowed...) {
		return nil
	}
	return fmt.Errorf("%w: operator '%s' is not supported on '%s'", ErrBadFilter, op.text, prop)
}

// unknownProperty words the error as Graph does.
func (p *filterParser) unknownProperty(name string) error {
	return fmt.Errorf("%w: Could not find a property named '%s' on type 'microsoft.graph.signIn'", ErrBadFilter, name)
}

func isKeyword(s string, words ...string) bool {
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}
