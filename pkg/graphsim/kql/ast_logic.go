package kql

import "strings"

// Logical joins two conditions with "and" or "or".
type Logical struct {
	Op          string // "and" or "or"
	Left, Right Expr
}

// Not is not(condition).
type Not struct{ Cond Expr }

// In is "value in (literal, …)": case-sensitive set membership.
type In struct {
	Left   Expr
	Values []Expr
}

func (l Logical) exprText() string {
	return "(" + l.Left.exprText() + " " + l.Op + " " + l.Right.exprText() + ")"
}
func (n Not) exprText() string { return "not(" + n.Cond.exprText() + ")" }
func (i In) exprText() string {
	parts := make([]string, len(i.Values))
	for k, v := range i.Values {
		parts[k] = v.exprText()
	}
	return i.Left.exprText() + " in (" + strings.Join(parts, ", ") + ")"
}

// namedExpr is a by item with a name: "B = bin(CreatedDateTime, 3600s)".
type namedExpr struct{ Assign }

func (n namedExpr) exprText() string { return n.Name.Text + " = " + n.Value.exprText() }
