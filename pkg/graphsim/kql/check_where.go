package kql

import (
	"strconv"
	"strings"
)

// where checks a where: comparisons of CreatedDateTime or TimeGenerated
// with datetime literals, and of datetime_diff('second', TimeGenerated,
// CreatedDateTime) with a number, joined by and, which narrow Plan.Created,
// Plan.Ingested and Plan.Lag.
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
	if call, ok := cmp.Left.(Call); ok && call.Func.Text == "datetime_diff" {
		return c.lag(cmp, call)
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

// lagForm is the one datetime_diff condition the subset reads.
const lagForm = "datetime_diff('second', TimeGenerated, CreatedDateTime) > N (or >= N)"

// lag checks "datetime_diff('second', TimeGenerated, CreatedDateTime) > N"
// (or >= N), N a whole number of seconds: the rows ingested more than N
// seconds after their sign-in, which is how a client finds the sign-ins
// re-emitted after it read their window.
func (c *checker) lag(cmp Compare, call Call) error {
	for _, a := range call.Args {
		if col, ok := a.(Column); ok {
			if _, exists := c.column(col.Text); !exists {
				return semanticErr(CodeResolve, "where", "Failed to resolve column or scalar expression named '%s'", col.Text)
			}
		}
	}
	if len(call.Args) != 3 {
		return c.argError("where", call, lagForm)
	}
	period, ok := call.Args[0].(String)
	if !ok || !strings.EqualFold(period.Value, "second") || !isColumn(call.Args[1], colIngested) || !isColumn(call.Args[2], colCreated) {
		return semanticErr(CodeUnsupported, "where", "graphsim reads %s only, not datetime_diff(%s)", lagForm, argsText(call.Args))
	}
	if cmp.Op != ">" && cmp.Op != ">=" {
		return semanticErr(CodeUnsupported, "where", "graphsim compares datetime_diff with > or >= only, not '%s'", cmp.Op)
	}
	n, ok := cmp.Right.(Number)
	secs, err := strconv.ParseInt(n.Text, 10, 64)
	if !ok || err != nil {
		return semanticErr(CodeUnsupported, "where", "graphsim compares datetime_diff with a whole number of seconds only, not '%s'", cmp.Right.exprText())
	}
	c.plan.Lag.narrow(cmp.Op, secs)
	return nil
}

// argsText writes a call's arguments for a message.
func argsText(args []Expr) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.exprText()
	}
	return strings.Join(parts, ", ")
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
	"datetime_diff": true, "datetime_add": true, "datetime_part": true,
}

func unknownFunction(op, fn string) error {
	if kustoFunctions[fn] {
		return semanticErr(CodeUnsupported, op, "graphsim does not read the function '%s' here", fn)
	}
	return semanticErr(CodeFunction, op, "Unknown function: '%s'.", fn)
}
