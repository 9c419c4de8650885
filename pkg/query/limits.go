package query

import (
	"fmt"
	"regexp/syntax"
)

// Limits bound what one query may cost, whatever its JSON says: any Viewer can
// send any query, so every dimension of work and memory has a bound, and each
// bound is a datasource setting named in the error that enforces it.
type Limits struct {
	// MaxFilters bounds the filters of one query (setting maxFilters).
	MaxFilters int
	// MaxRegexSize bounds the compiled size of all the regular expressions of
	// one query, in RE2 program instructions (setting maxRegexSize). Matching
	// costs memory and time in proportion to it: ".{999}" is a thousand
	// instructions, "Chrome|Edge|Firefox" about twenty.
	MaxRegexSize int
	// MaxGroups bounds the groups one aggregation keeps; those found beyond it
	// are summed up as "other" with a notice (setting maxGroups).
	MaxGroups int
	// MaxCells bounds groups × buckets of one aggregation, and the points of a
	// time series answer (setting maxCells). A cell is about 40 bytes while
	// aggregating.
	MaxCells int
}

// Defaults of the limits, sized for dashboards of the large demo tenant with
// room to spare, while keeping a worst-case query within a few hundred MB.
const (
	DefaultMaxFilters   = 30
	DefaultMaxRegexSize = 20_000
	DefaultMaxCells     = 2_000_000
)

// DefaultLimits are the limits of a datasource that sets none.
func DefaultLimits() Limits {
	return Limits{MaxFilters: DefaultMaxFilters, MaxRegexSize: DefaultMaxRegexSize, MaxGroups: MaxGroups, MaxCells: DefaultMaxCells}
}

// withDefaults fills the limits left at zero.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFilters <= 0 {
		l.MaxFilters = d.MaxFilters
	}
	if l.MaxRegexSize <= 0 {
		l.MaxRegexSize = d.MaxRegexSize
	}
	if l.MaxGroups <= 0 {
		l.MaxGroups = d.MaxGroups
	}
	if l.MaxCells <= 0 {
		l.MaxCells = d.MaxCells
	}
	return l
}

// regexSize estimates the RE2 program size of re without compiling it:
// compiling ".{999}" repeated a few hundred times would itself allocate tens
// of megabytes, which is what the bound is there to prevent. The estimate
// follows syntax.Compile (a counted repeat is expanded into copies) and
// saturates at ceiling, so a hostile nesting cannot overflow it.
func regexSize(re *syntax.Regexp, ceiling int) int {
	add := func(a, b int) int { return min(a+b, ceiling) }
	switch re.Op {
	case syntax.OpLiteral:
		return min(max(len(re.Rune), 1), ceiling)
	case syntax.OpCapture:
		return add(regexSize(re.Sub[0], ceiling), 2)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		return add(regexSize(re.Sub[0], ceiling), 1)
	case syntax.OpRepeat:
		n := re.Max
		if n < 0 {
			n = re.Min + 1
		}
		sub := regexSize(re.Sub[0], ceiling)
		if n > 0 && sub > ceiling/n {
			return ceiling
		}
		return min(n*sub+1, ceiling)
	case syntax.OpConcat, syntax.OpAlternate:
		total := 0
		for _, s := range re.Sub {
			total = add(total, regexSize(s, ceiling))
		}
		return add(total, len(re.Sub)-1)
	}
	return 1 // a character class, any character, an anchor or an empty match
}

// checkFilterBudget enforces MaxFilters and MaxRegexSize over a query's raw
// filters before any regular expression is compiled.
func (l Limits) checkFilterBudget(filters []rawFilter) error {
	if len(filters) > l.MaxFilters {
		return fmt.Errorf("%w: %d filters; at most %d (the datasource setting maxFilters raises it)", ErrInvalidQuery, len(filters), l.MaxFilters)
	}
	return nil
}

// regexBudget is what is left of MaxRegexSize while a query's filters are parsed.
type regexBudget struct {
	left, max int
}

// parseRegex parses an anchored RE2 expression and charges its size to the
// budget; a query past the budget is refused before compiling.
func (b *regexBudget) parseRegex(i int, value string) (*syntax.Regexp, error) {
	re, err := syntax.Parse("^(?:"+value+")$", syntax.Perl)
	if err != nil {
		return nil, fmt.Errorf("%w: filters[%d].value is not a valid RE2 regular expression: %v", ErrInvalidQuery, i, err)
	}
	size := regexSize(re, b.max+1)
	if size > b.left {
		return nil, fmt.Errorf("%w: filters[%d].value: the regular expressions of the query compile to more than %d instructions (the datasource setting maxRegexSize raises it); use in or startsWith, or a shorter expression", ErrInvalidQuery, i, b.max)
	}
	b.left -= size
	return re, nil
}
