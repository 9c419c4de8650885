package kql

// summarize checks a summarize: arg_max(TimeGenerated, *) by Id (the latest
// version of each sign-in), or, without by, count() and max or min of a
// datetime column (the health check).
func (c *checker) summarize(s Summarize) error {
	if len(s.By) > 0 {
		return c.latest(s)
	}
	for _, a := range s.Aggs {
		if err := c.aggregate(a); err != nil {
			return err
		}
	}
	return nil
}

// latest checks "arg_max(TimeGenerated, *) by Id", exactly.
func (c *checker) latest(s Summarize) error {
	for _, b := range s.By {
		col, ok := b.(Column)
		if !ok {
			return c.unsupportedOperand("summarize", b)
		}
		if _, exists := c.column(col.Text); !exists {
			return semanticErr(CodeResolve, "summarize", "Failed to resolve scalar expression named '%s'", col.Text)
		}
	}
	if len(s.By) != 1 || s.By[0].(Column).Text != colID || len(s.Aggs) != 1 || s.Aggs[0].Name != nil {
		return semanticErr(CodeUnsupported, "summarize", "graphsim reads 'summarize arg_max(TimeGenerated, *) by Id' only, when grouping")
	}
	call, ok := s.Aggs[0].Value.(Call)
	if !ok || call.Func.Text != "arg_max" {
		return c.unsupportedOperand("summarize", s.Aggs[0].Value)
	}
	if len(call.Args) != 2 || !isColumn(call.Args[0], colIngested) || call.Args[1] != (Star{}) {
		return c.argError("summarize", call, "arg_max(TimeGenerated, *)")
	}
	c.plan.Latest = true
	return nil
}

// aggregate checks one aggregate of a summarize without by.
func (c *checker) aggregate(a Assign) error {
	call, ok := a.Value.(Call)
	if !ok {
		return semanticErr(CodeUnsupported, "summarize", "'%s' is not an aggregation", a.Value.exprText())
	}
	var agg Aggregate
	var out Output
	switch call.Func.Text {
	case "count":
		if len(call.Args) != 0 {
			return c.argError("summarize", call, "count()")
		}
		agg, out = Aggregate{Func: "count"}, Output{Name: "count_", Type: TypeLong}
	case "max", "min":
		col, err := c.datetimeArg(call)
		if err != nil {
			return err
		}
		agg = Aggregate{Func: call.Func.Text, Column: col}
		out = Output{Name: call.Func.Text + "_" + col, Type: TypeDatetime, Source: col}
	default:
		return unknownFunction("summarize", call.Func.Text)
	}
	if a.Name != nil {
		out.Name = a.Name.Text
	}
	if err := c.unique(out.Name, "summarize"); err != nil {
		return err
	}
	c.plan.Aggregates = append(c.plan.Aggregates, agg)
	c.plan.Output = append(c.plan.Output, out)
	return nil
}

// datetimeArg checks max(col) or min(col) of a datetime column.
func (c *checker) datetimeArg(call Call) (string, error) {
	if len(call.Args) != 1 {
		return "", c.argError("summarize", call, call.Func.Text+"(TimeGenerated)")
	}
	col, ok := call.Args[0].(Column)
	if !ok {
		return "", c.unsupportedOperand("summarize", call.Args[0])
	}
	def, exists := c.column(col.Text)
	if !exists {
		return "", semanticErr(CodeResolve, "summarize", "Failed to resolve scalar expression named '%s'", col.Text)
	}
	if def.Type != TypeDatetime {
		return "", semanticErr(CodeUnsupported, "summarize", "graphsim aggregates datetime columns only, not '%s' (%s)", col.Text, def.Type)
	}
	return col.Text, nil
}

func (c *checker) argError(op string, call Call, want string) error {
	return semanticErr(CodeUnsupported, op, "graphsim reads %s only, not %s with these arguments", want, call.Func.Text)
}

// unique fails when the answer already has a column named name.
func (c *checker) unique(name, op string) error {
	for _, o := range c.plan.Output {
		if o.Name == name {
			return semanticErr(CodeUnsupported, op, "the column '%s' is produced twice", name)
		}
	}
	return nil
}

func isColumn(e Expr, name string) bool {
	col, ok := e.(Column)
	return ok && col.Text == name
}
