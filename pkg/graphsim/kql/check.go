package kql

// Check resolves a parsed query against the workspace's tables into a Plan.
// It answers the service's semantic errors for a table or column that does
// not exist and for an unknown function, and a semantic error naming the
// construct for valid Kusto outside the subset: the operators out of order or
// summarize and project repeated, a where on anything but CreatedDateTime or
// TimeGenerated against datetime literals and the lag of a row
// (datetime_diff, check_where.go), or a summarize or project the contract
// does not send.
func Check(q *Query, tables Catalog) (*Plan, error) {
	cols, ok := tables(q.Table.Text)
	if !ok {
		return nil, semanticErr(CodeResolve, firstOp(q), "Failed to resolve table or column expression named '%s'", q.Table.Text)
	}
	c := &checker{plan: &Plan{Table: q.Table.Text}, cols: cols}
	if err := c.operators(q.Ops); err != nil {
		return nil, err
	}
	if c.plan.Filter != nil && c.plan.Grouping == nil {
		// Only the grouping reads the filter: rows listed without one would
		// ignore it, an answer the service never gives.
		return nil, semanticErr(CodeUnsupported, "where", "graphsim reads a where after arg_max only before a summarize count()")
	}
	if c.plan.Output == nil {
		c.plan.Output = c.allColumns()
	}
	return c.plan, nil
}

func firstOp(q *Query) string {
	if len(q.Ops) == 0 {
		return ""
	}
	return q.Ops[0].opName()
}

// checker holds what is known while walking the operators.
type checker struct {
	plan *Plan
	cols []ColumnDef
}

// operators checks each operator in turn. The subset reads them in the
// contract's order only: where, then summarize, then project, each once but
// where, which may repeat (the late-row query adds one), its conditions
// and-ed as Kusto's are.
func (c *checker) operators(ops []Operator) error {
	stage := 0 // the next operator must be at or after this stage
	for _, op := range ops {
		if c.plan.Latest {
			if handled, err := c.afterLatest(op); handled || err != nil {
				if err != nil {
					return err
				}
				continue
			}
		}
		at := stageOf[op.opName()]
		if at < stage {
			return semanticErr(CodeUnsupported, op.opName(), "graphsim reads where, summarize and project only in that order, summarize and project at most once")
		}
		if err := c.operator(op); err != nil {
			return err
		}
		stage = at + 1
		if _, isWhere := op.(Where); isWhere {
			stage = at
		}
	}
	return nil
}

// stageOf orders the operators as the contract sends them.
var stageOf = map[string]int{"where": 0, "summarize": 1, "project": 2}

func (c *checker) operator(op Operator) error {
	switch o := op.(type) {
	case Where:
		return c.where(o)
	case Summarize:
		return c.summarize(o)
	case Project:
		return c.project(o)
	}
	return nil
}

// column returns the table's column named name.
func (c *checker) column(name string) (ColumnDef, bool) {
	for _, col := range c.cols {
		if col.Name == name {
			return col, true
		}
	}
	return ColumnDef{}, false
}

// allColumns is the answer without a project: the table's columns, or after
// arg_max(TimeGenerated, *) by Id, Id and TimeGenerated first, as Kusto
// orders a summarize's output (groups, then aggregates).
func (c *checker) allColumns() []Output {
	out := make([]Output, 0, len(c.cols))
	if c.plan.Latest {
		for _, name := range []string{colID, colIngested} {
			col, _ := c.column(name)
			out = append(out, Output{Name: col.Name, Type: col.Type, Source: col.Name})
		}
	}
	for _, col := range c.cols {
		if c.plan.Latest && (col.Name == colID || col.Name == colIngested) {
			continue
		}
		out = append(out, Output{Name: col.Name, Type: col.Type, Source: col.Name})
	}
	return out
}
