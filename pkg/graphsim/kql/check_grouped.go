package kql

import (
	"strconv"
	"strings"
	"time"
)

// The push-down stages: after "summarize arg_max(TimeGenerated, *) by Id", a
// where on string columns and one "summarize N = count() by columns,
// B = bin(CreatedDateTime, Ns)" (docs/log-analytics.md, "Push-down").

// Grouping is the summarize count() by … after arg_max.
type Grouping struct {
	Keys      []GroupKey
	CountName string
}

// GroupKey is a column of the grouping: a string column as it is, or the
// bin of CreatedDateTime when Bin > 0.
type GroupKey struct {
	Name, Column string
	Bin          time.Duration
}

// afterLatest checks an operator that follows arg_max; handled is false
// for one the contract's list query sends there (project).
func (c *checker) afterLatest(op Operator) (handled bool, err error) {
	if c.plan.Grouping != nil {
		return true, semanticErr(CodeUnsupported, op.opName(), "graphsim reads nothing after the grouping summarize")
	}
	switch o := op.(type) {
	case Where:
		if err := c.condition2(o.Tree); err != nil {
			return true, err
		}
		if c.plan.Filter != nil {
			o.Tree = Logical{Op: "and", Left: c.plan.Filter, Right: o.Tree}
		}
		c.plan.Filter = o.Tree
		return true, nil
	case Summarize:
		return true, c.grouping(o)
	}
	return false, nil
}

// condition2 checks a filter condition: and, or, not and comparisons of a
// string column with string literals by ==, !=, startswith_cs and in.
func (c *checker) condition2(e Expr) error {
	switch x := e.(type) {
	case Logical:
		if err := c.condition2(x.Left); err != nil {
			return err
		}
		return c.condition2(x.Right)
	case Not:
		return c.condition2(x.Cond)
	case In:
		if err := c.stringColumn(x.Left); err != nil {
			return err
		}
		for _, v := range x.Values {
			if _, ok := v.(String); !ok {
				return c.unsupportedOperand("where", v)
			}
		}
		return nil
	case Compare:
		if err := c.stringColumn(x.Left); err != nil {
			return err
		}
		switch x.Op {
		case "==", "!=", "startswith_cs":
		default:
			return semanticErr(CodeUnsupported, "where", "graphsim compares string columns with ==, !=, startswith_cs and in only, not '%s'", x.Op)
		}
		if _, ok := x.Right.(String); !ok {
			return c.unsupportedOperand("where", x.Right)
		}
		return nil
	}
	return semanticErr(CodeUnsupported, "where", "graphsim reads comparisons only, not '%s'", e.exprText())
}

// stringColumn checks that e names a string column of the table.
func (c *checker) stringColumn(e Expr) error {
	col, ok := e.(Column)
	if !ok {
		return c.unsupportedOperand("where", e)
	}
	def, exists := c.column(col.Text)
	if !exists {
		return semanticErr(CodeResolve, "where", "Failed to resolve column or scalar expression named '%s'", col.Text)
	}
	if def.Type != TypeString {
		return semanticErr(CodeUnsupported, "where", "graphsim compares string columns only, not '%s' (%s)", col.Text, def.Type)
	}
	return nil
}

// grouping checks "N = count() [by Column, …, B = bin(CreatedDateTime, Ns)]".
func (c *checker) grouping(s Summarize) error {
	if len(s.Aggs) != 1 {
		return semanticErr(CodeUnsupported, "summarize", "graphsim reads one count() [by columns] after arg_max")
	}
	call, ok := s.Aggs[0].Value.(Call)
	if !ok || call.Func.Text != "count" || len(call.Args) != 0 {
		return c.unsupportedOperand("summarize", s.Aggs[0].Value)
	}
	g := &Grouping{CountName: "count_"}
	if s.Aggs[0].Name != nil {
		g.CountName = s.Aggs[0].Name.Text
	}
	c.plan.Output = []Output{}
	for _, b := range s.By {
		key, out, err := c.groupKey(b)
		if err != nil {
			return err
		}
		if err := c.unique(out.Name, "summarize"); err != nil {
			return err
		}
		g.Keys = append(g.Keys, key)
		c.plan.Output = append(c.plan.Output, out)
	}
	if err := c.unique(g.CountName, "summarize"); err != nil {
		return err
	}
	c.plan.Output = append(c.plan.Output, Output{Name: g.CountName, Type: TypeLong})
	c.plan.Grouping = g
	return nil
}

// groupKey checks one by item: a string column, or Name = bin(CreatedDateTime, Ns).
func (c *checker) groupKey(e Expr) (GroupKey, Output, error) {
	if col, ok := e.(Column); ok {
		if err := c.stringColumn(col); err != nil {
			return GroupKey{}, Output{}, err
		}
		return GroupKey{Name: col.Text, Column: col.Text}, Output{Name: col.Text, Type: TypeString, Source: col.Text}, nil
	}
	if a, ok := e.(namedExpr); ok {
		call, isCall := a.Value.(Call)
		if !isCall || call.Func.Text != "bin" {
			return GroupKey{}, Output{}, c.unsupportedOperand("summarize", a.Value)
		}
		size, ok := binArgs(call)
		if !ok {
			return GroupKey{}, Output{}, c.argError("summarize", call, "bin(CreatedDateTime, <seconds>s)")
		}
		return GroupKey{Name: a.Name.Text, Column: colCreated, Bin: size}, Output{Name: a.Name.Text, Type: TypeDatetime}, nil
	}
	return GroupKey{}, Output{}, c.unsupportedOperand("summarize", e)
}

// binArgs reads bin(CreatedDateTime, Ns): a whole number of seconds.
func binArgs(call Call) (time.Duration, bool) {
	if len(call.Args) != 2 || !isColumn(call.Args[0], colCreated) {
		return 0, false
	}
	n, ok := call.Args[1].(Number)
	if !ok || !strings.HasSuffix(n.Text, "s") {
		return 0, false
	}
	secs, err := strconv.ParseInt(strings.TrimSuffix(n.Text, "s"), 10, 64)
	if err != nil || secs <= 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}
