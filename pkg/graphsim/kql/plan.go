package kql

import "time"

// Column types, as the service names them in an answer's columns.
const (
	TypeString   = "string"
	TypeDatetime = "datetime"
	TypeDynamic  = "dynamic"
	TypeBool     = "bool"
	TypeLong     = "long"
	TypeReal     = "real"
)

// ColumnDef is a column of a table.
type ColumnDef struct{ Name, Type string }

// Catalog returns the columns of a table of the workspace, in the table's
// order, or false when the workspace has no such table.
type Catalog func(table string) ([]ColumnDef, bool)

// The columns the subset gives a meaning to. Kusto names are case-sensitive.
const (
	colID       = "Id"
	colCreated  = "CreatedDateTime"
	colIngested = "TimeGenerated"
)

// Plan is a checked query: what to read and what to answer.
type Plan struct {
	Table string
	// Created bounds CreatedDateTime and Ingested TimeGenerated, from the
	// where (the contract's, and the form for a table without
	// CreatedDateTime).
	Created, Ingested Range
	// Lag bounds how long after the sign-in a row was ingested, from the
	// where's datetime_diff('second', TimeGenerated, CreatedDateTime): the
	// rows that came late, re-emitted updates among them.
	Lag Lag
	// Latest is summarize arg_max(TimeGenerated, *) by Id: one row per Id,
	// its latest version.
	Latest bool
	// Aggregates, when not nil, is a summarize without by: the answer is
	// one row, a column per aggregate.
	Aggregates []Aggregate
	// Filter, when not nil, keeps the latest versions it holds for (a where
	// after arg_max); Grouping, when not nil, counts them by its keys.
	Filter   Expr
	Grouping *Grouping
	// Output are the answer's columns in order; for Aggregates, one each.
	Output []Output
}

// Output is a column of the answer.
type Output struct {
	Name, Type string
	// Source is the table column it reads; "" for column_ifexists of a
	// column the table lacks, whose value is the default, an empty string.
	Source string
}

// Aggregate is one aggregate of a summarize without by.
type Aggregate struct {
	Func   string // "count", "max" or "min"
	Column string // the datetime column of max and min
}

// Range is an interval of datetimes; an unset end is unbounded.
type Range struct {
	From, To             time.Time
	HasFrom, HasTo       bool
	FromOpen, ToIncluded bool // From excluded (>), To included (<=)
}

// Contains reports whether t is in the range.
func (r Range) Contains(t time.Time) bool {
	switch {
	case r.HasFrom && (t.Before(r.From) || r.FromOpen && t.Equal(r.From)):
		return false
	case r.HasTo && (t.After(r.To) || !r.ToIncluded && t.Equal(r.To)):
		return false
	}
	return true
}

// narrow intersects the range with "value op bound".
func (r *Range) narrow(op string, bound time.Time) {
	switch op {
	case ">=", ">":
		open := op == ">"
		if !r.HasFrom || bound.After(r.From) || bound.Equal(r.From) && open {
			r.From, r.HasFrom, r.FromOpen = bound, true, open
		}
	case "<", "<=":
		incl := op == "<="
		if !r.HasTo || bound.Before(r.To) || bound.Equal(r.To) && !incl {
			r.To, r.HasTo, r.ToIncluded = bound, true, incl
		}
	}
}

// Lag is a lower bound on a row's datetime_diff('second', TimeGenerated,
// CreatedDateTime); unset keeps every row.
type Lag struct {
	Min    int64 // seconds
	HasMin bool
	Open   bool // Min excluded (>)
}

// Contains reports whether a row ingested at ingested, of a sign-in created
// at created, is in the bound.
func (l Lag) Contains(ingested, created time.Time) bool {
	if !l.HasMin {
		return true
	}
	d := DiffSeconds(ingested, created)
	return d > l.Min || d == l.Min && !l.Open
}

// narrow intersects the bound with "lag op n", op > or >=.
func (l *Lag) narrow(op string, n int64) {
	open := op == ">"
	if !l.HasMin || n > l.Min || n == l.Min && open {
		l.Min, l.HasMin, l.Open = n, true, open
	}
}

// DiffSeconds is Kusto's datetime_diff('second', a, b): how many second
// boundaries lie from b to a (negative when a is before b). It is a's whole
// seconds less b's, not a - b rounded: from 00:00:00.900 to 00:00:10.100 is
// 10 seconds, as Kusto's own example has it.
func DiffSeconds(a, b time.Time) int64 {
	return a.Unix() - b.Unix() // Unix floors: the second a and b are in
}
