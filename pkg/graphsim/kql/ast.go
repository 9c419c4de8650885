package kql

import "time"

// Query is a parsed query: a table and the operators piped after it.
type Query struct {
	Table Name
	Ops   []Operator
}

// Name is an identifier and where it was written.
type Name struct {
	Text      string
	Line, Pos int
}

// Operator is one tabular operator after a '|'.
type Operator interface{ opName() string }

// Where filters rows: Conds are joined by and (Or by or, which the subset
// does not cover but can name).
type Where struct {
	Conds []Expr
	Or    bool
	Tree  Expr
}

// Summarize aggregates rows, grouped by By.
type Summarize struct {
	Aggs []Assign
	By   []Expr
}

// Project keeps and computes columns.
type Project struct{ Items []Assign }

func (Where) opName() string     { return "where" }
func (Summarize) opName() string { return "summarize" }
func (Project) opName() string   { return "project" }

// Assign is an item of summarize or project: "[Name =] Value".
type Assign struct {
	Name  *Name
	Value Expr
}

// Expr is a scalar expression of the subset.
type Expr interface{ exprText() string }

// Column names a column.
type Column struct{ Name }

// String is a string literal.
type String struct{ Value string }

// Number is a numeric or timespan literal, as written.
type Number struct{ Text string }

// Datetime is a datetime(...) literal.
type Datetime struct{ Time time.Time }

// Star is the * of arg_max(TimeGenerated, *).
type Star struct{}

// Call is a function call.
type Call struct {
	Func Name
	Args []Expr
}

// Compare is a comparison; Op is one of == != < <= > >= =~ !~.
type Compare struct {
	Left  Expr
	Op    string
	Right Expr
}

func (c Column) exprText() string   { return c.Text }
func (s String) exprText() string   { return `"` + s.Value + `"` }
func (n Number) exprText() string   { return n.Text }
func (d Datetime) exprText() string { return "datetime(" + d.Time.Format(time.RFC3339Nano) + ")" }
func (Star) exprText() string       { return "*" }
func (c Call) exprText() string     { return c.Func.Text + "(...)" }
func (c Compare) exprText() string  { return c.Left.exprText() + " " + c.Op + " " + c.Right.exprText() }
