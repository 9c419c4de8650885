package kql

import "fmt"

// Kind is which of the service's two kinds of bad query an Error is.
type Kind string

const (
	// SyntaxError: the text is not a query (the service's innererror code).
	SyntaxError Kind = "SyntaxError"
	// SemanticError: a query whose names or operators cannot be resolved.
	SemanticError Kind = "SemanticError"
)

// Codes of the service's innermost error, which says what went wrong.
const (
	CodeParse       = "SYN0002" // could not be parsed at a token
	CodeResolve     = "SEM0100" // a table or column that does not exist
	CodeFunction    = "SEM0260" // a function that does not exist
	CodeUnsupported = "SEM0001" // valid Kusto this subset does not cover
)

// Error is a query the subset rejects. Message is the innermost message of
// the service's 400; Line and Pos (1-based) locate a syntax error.
type Error struct {
	Kind      Kind
	Code      string
	Message   string
	Line, Pos int
	Token     string
}

func (e *Error) Error() string { return fmt.Sprintf("kql: %s: %s", e.Kind, e.Message) }

// syntaxErr is the service's parse failure at a token, with what the subset
// expected there.
func syntaxErr(t token, expected string) *Error {
	text := t.text
	if t.kind == tokEOF {
		text = "<end of query>"
	}
	return &Error{
		Kind: SyntaxError, Code: CodeParse, Line: t.line, Pos: t.col, Token: text,
		Message: fmt.Sprintf("Query could not be parsed at '%s' on line [%d,%d]: expected %s", text, t.line, t.col, expected),
	}
}

// semanticErr builds a semantic error; op names the operator it occurred in,
// as the service prefixes its messages ("'where' operator: ...").
func semanticErr(code, op, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	if op != "" {
		msg = "'" + op + "' operator: " + msg
	}
	return &Error{Kind: SemanticError, Code: code, Message: msg}
}
