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
//	expr    = compare { ("and" | "or") compare }
//	compare = operand [ ("==" | "!=" | "<" | "<=" | ">" | ">=" | "=~" | "!~") operand ]
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

func (p *parser) where() (Operator, *Error) {
	var w Where
	for {
		c, err := p.compare()
		if err != nil {
			return nil, err
		}
		w.Conds = append(w.Conds, c)
		t := p.peek()
		if !t.is("and") && !t.is("or") {
			return w, nil
		}
		w.Or = w.Or || t.text == "or"
		p.take()
	}
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
	for {
		e, err := p.operand()
		if err != nil {
			return nil, err
		}
		s.By = append(s.By, e)
		if !p.peek().is(",") {
			return s, nil
		}
		p.take()
	}
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

var comparisons = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true, "=~": true, "!~": true}

func (p *parser) compare() (Expr, *Error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind != tokPunct || !comparisons[t.text] {
		return left, nil
	}
	p.take()
	right, err := p.operand()
	if err != nil {
		return nil, err
	}
	return Compare{Left: left, Op: t.text, Right: right}, nil
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
