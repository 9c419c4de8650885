package kql

// where checks a where: comparisons of CreatedDateTime or TimeGenerated
// with datetime literals, joined by and, which narrow Plan.Created and
// Plan.Ingested.
func (c *checker) where(w Where) error {
	if w.Or {
		return semanticErr(CodeUnsupported, "where", "graphsim joins conditions with 'and' only")
	}
	for _, e := range w.Conds {
		if err := c.condition(e); err != nil {
			return err
		}
	}
	return nil
}

func (c *checker) condition(e Expr) error {
	cmp, ok := e.(Compare)
	if !ok {
		return semanticErr(CodeUnsupported, "where", "graphsim reads comparisons only, not '%s'", e.exprText())
	}
	col, ok := cmp.Left.(Column)
	if !ok {
		return c.unsupportedOperand("where", cmp.Left)
	}
	if _, exists := c.column(col.Text); !exists {
		return semanticErr(CodeResolve, "where", "Failed to resolve column or scalar expression named '%s'", col.Text)
	}
	bounds := &c.plan.Created
	switch col.Text {
	case colIngested:
		bounds = &c.plan.Ingested
	case colCreated:
	default:
		return semanticErr(CodeUnsupported, "where", "graphsim filters on CreatedDateTime and TimeGenerated only, not '%s'", col.Text)
	}
	lit, ok := cmp.Right.(Datetime)
	if !ok {
		return c.unsupportedOperand("where", cmp.Right)
	}
	switch cmp.Op {
	case ">=", ">", "<", "<=":
		bounds.narrow(cmp.Op, lit.Time)
		return nil
	}
	return semanticErr(CodeUnsupported, "where", "graphsim compares %s with >=, >, < or <= only, not '%s'", col.Text, cmp.Op)
}

// unsupportedOperand names a call's function (unknown, or known but outside
// the subset) or the operand the subset cannot use where it stands.
func (c *checker) unsupportedOperand(op string, e Expr) error {
	if call, ok := e.(Call); ok {
		return unknownFunction(op, call.Func.Text)
	}
	if col, ok := e.(Column); ok {
		if _, exists := c.column(col.Text); !exists {
			return semanticErr(CodeResolve, op, "Failed to resolve column or scalar expression named '%s'", col.Text)
		}
	}
	return semanticErr(CodeUnsupported, op, "graphsim does not read '%s' here", e.exprText())
}

// kustoFunctions are functions the service has that the subset does not
// read; any other name is the service's "Unknown function".
var kustoFunctions = map[string]bool{
	"ago": true, "now": true, "bin": true, "tolower": true, "toupper": true, "tostring": true, "toint": true,
	"tolong": true, "todatetime": true, "todynamic": true, "parse_json": true, "strcat": true, "iff": true,
	"iif": true, "isempty": true, "isnotempty": true, "isnull": true, "isnotnull": true, "dcount": true,
	"countif": true, "sum": true, "avg": true, "arg_min": true, "make_set": true, "make_list": true,
	"take_any": true, "any": true, "count_distinct": true, "startofday": true, "extract": true, "coalesce": true,
	"arg_max": true, "count": true, "max": true, "min": true, "column_ifexists": true, "datetime": true,
}

func unknownFunction(op, fn string) error {
	if kustoFunctions[fn] {
		return semanticErr(CodeUnsupported, op, "graphsim does not read the function '%s' here", fn)
	}
	return semanticErr(CodeFunction, op, "Unknown function: '%s'.", fn)
}
