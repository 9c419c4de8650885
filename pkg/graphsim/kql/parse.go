package kql

// expectedOperator names the tabular operators the subset reads; any other
// name after a '|' is where parsing stops.
const expectedOperator = "where, summarize or project"

// parser is a recursive-descent parser over the lexer's tokens.
type parser struct {
	toks []token
	i    int
}

// Parse reads a query of the subset's grammar:
//
//	query   = name { "|" op } [";"]
//	op      = "where" expr | "summarize" items [ "by" exprs ] | "project" items
//	expr    = and { "or" and }          and = unary { "and" unary }
//	unary   = "not" "(" expr ")" | "(" expr ")" | compare
//	compare = operand [ ("==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~" | "startswith_cs" | …) operand
//	          | "in" "(" operand { "," operand } ")" ]
//	items   = item { "," item }        item = [ name "=" ] operand
//	operand = name | name "(" [ arg { "," arg } ] ")" | string | number | datetime(...)
//
// Anything else is a syntax error at the first token that does not fit.
func Parse(src string) (*Query, error) {
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, lerr
	}
	p := &parser{toks: toks}
	q, err := p.query()
	if err != nil {
		return nil, err
	}
	return q, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) take() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// expect takes the punctuation s or fails naming what was there.
func (p *parser) expect(s string) *Error {
	if t := p.take(); !t.is(s) {
		return syntaxErr(t, "'"+s+"'")
	}
	return nil
}

func (p *parser) name(expected string) (Name, *Error) {
	t := p.take()
	if t.kind != tokIdent {
		return Name{}, syntaxErr(t, expected)
	}
	return Name{Text: t.text, Line: t.line, Pos: t.col}, nil
}

func (p *parser) query() (*Query, *Error) {
	table, err := p.name("a table name")
	if err != nil {
		return nil, err
	}
	q := &Query{Table: table}
	for p.peek().is("|") {
		p.take()
		op, err := p.operator()
		if err != nil {
			return nil, err
		}
		q.Ops = append(q.Ops, op)
	}
	if p.peek().is(";") {
		p.take()
	}
	if t := p.take(); t.kind != tokEOF {
		return nil, syntaxErr(t, "'|' or the end of the query")
	}
	return q, nil
}

func (p *parser) operator() (Operator, *Error) {
	t := p.take()
	switch {
	case t.kind == tokIdent && t.text == "where":
		return p.where()
	case t.kind == tokIdent && t.text == "summarize":
		return p.summarize()
	case t.kind == tokIdent && t.text == "project":
		items, err := p.items()
		return Project{Items: items}, err
	}
	return nil, syntaxErr(t, expectedOperator)
}

// where reads a condition. Conds keeps the top-level "and" chain (what the
// contract's time bounds are); Or says one of its joins is "or"; Tree is the
// whole condition, which the filter stage after arg_max reads.
func (p *parser) where() (Operator, *Error) {
	tree, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	w := Where{Tree: tree}
	w.Conds, w.Or = flattenAnd(tree)
	return w, nil
}

// flattenAnd lists the conditions of a top-level "and" chain; or says an
// "or" sits in that chain.
func flattenAnd(e Expr) (conds []Expr, or bool) {
	l, ok := e.(Logical)
	if !ok {
		return []Expr{e}, false
	}
	left, lor := flattenAnd(l.Left)
	right, ror := flattenAnd(l.Right)
	return append(left, right...), lor || ror || l.Op == "or"
}

// orExpr = andExpr { "or" andExpr }; andExpr = unary { "and" unary }.
func (p *parser) orExpr() (Expr, *Error)  { return p.binary("or", p.andExpr) }
func (p *parser) andExpr() (Expr, *Error) { return p.binary("and", p.unary) }

func (p *parser) binary(op string, next func() (Expr, *Error)) (Expr, *Error) {
	left, err := next()
	if err != nil {
		return nil, err
	}
	for p.peek().is(op) {
		p.take()
		right, err := next()
		if err != nil {
			return nil, err
		}
		left = Logical{Op: op, Left: left, Right: right}
	}
	return left, nil
}

// unary = "not" "(" orExpr ")" | "(" orExpr ")" | compare.
func (p *parser) unary() (Expr, *Error) {
	if p.peek().is("not") && p.toks[p.i+1].is("(") {
		p.take()
		inner, err := p.parenthesised()
		return Not{Cond: inner}, err
	}
	if p.peek().is("(") {
		return p.parenthesised()
	}
	return p.compare()
}

func (p *parser) parenthesised() (Expr, *Error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	e, err := p.orExpr()
	if err != nil {
		return nil, err
	}
	return e, p.expect(")")
}

func (p *parser) summarize() (Operator, *Error) {
	items, err := p.items()
	if err != nil {
		return nil, err
	}
	s := Summarize{Aggs: items}
	if !p.peek().is("by") {
		return s, nil
	}
	p.take()
	by, err := p.items()
	if err != nil {
		return nil, err
	}
	for _, a := range by {
		if a.Name != nil {
			s.By = append(s.By, namedExpr{a})
		} else {
			s.By = append(s.By, a.Value)
		}
	}
	return s, nil
}

// items reads "[name =] operand" items separated by commas.
func (p *parser) items() ([]Assign, *Error) {
	var items []Assign
	for {
		var a Assign
		if p.peek().kind == tokIdent && p.toks[p.i+1].is("=") {
			n, _ := p.name("")
			p.take() // '='
			a.Name = &n
		}
		v, err := p.operand()
		if err != nil {
			return nil, err
		}
		a.Value = v
		items = append(items, a)
		if !p.peek().is(",") {
			return items, nil
		}
		p.take()
	}
}

// wordComparisons are the string operators written as words; Kusto has
// more (contains, has, …), which parse here and fail the check by name.
var wordComparisons = map[string]bool{"startswith": true, "startswith_cs": true, "contains": true, "contains_cs": true, "has": true, "endswith": true}

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true, "=~": true, "!~": true}

func (p *parser) compare() (Expr, *Error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.is("in") {
		p.take()
		return p.inList(left)
	}
	if t.kind == tokIdent && wordComparisons[t.text] {
		t.kind = tokPunct
	}
	if t.kind != tokPunct || !comparisons[t.text] && !wordComparisons[t.text] {
		return left, nil
	}
	p.take()
	right, err := p.operand()
	if err != nil {
		return nil, err
	}
	return Compare{Left: left, Op: t.text, Right: right}, nil
}

// inList reads the "(literal, …)" after in.
func (p *parser) inList(left Expr) (Expr, *Error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	in := In{Left: left}
	for {
		v, err := p.operand()
		if err != nil {
			return nil, err
		}
		in.Values = append(in.Values, v)
		if p.peek().is(")") {
			p.take()
			return in, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}

func (p *parser) operand() (Expr, *Error) {
	t := p.take()
	switch t.kind {
	case tokString:
		return String{Value: t.value}, nil
	case tokNumber:
		return Number{Text: t.text}, nil
	case tokDatetime:
		tm, ok := parseDatetime(t.value)
		if !ok {
			return nil, syntaxErr(t, "a datetime literal such as datetime(2026-03-02T00:00:00Z)")
		}
		return Datetime{Time: tm}, nil
	case tokIdent:
		n := Name{Text: t.text, Line: t.line, Pos: t.col}
		if p.peek().is("(") {
			return p.call(n)
		}
		return Column{n}, nil
	}
	return nil, syntaxErr(t, "a column name, a function call or a literal")
}

func (p *parser) call(fn Name) (Expr, *Error) {
	p.take() // '('
	c := Call{Func: fn}
	if p.peek().is(")") {
		p.take()
		return c, nil
	}
	for {
		if p.peek().is("*") {
			p.take()
			c.Args = append(c.Args, Star{})
		} else {
			a, err := p.operand()
			if err != nil {
				return nil, err
			}
			c.Args = append(c.Args, a)
		}
		if p.peek().is(")") {
			p.take()
			return c, nil
		}
		if err := p.expect(","); err != nil {
			return nil, err
		}
	}
}
