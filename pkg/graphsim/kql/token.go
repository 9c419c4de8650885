package kql

// tokenKind classifies the lexer's output.
type tokenKind uint8

const (
	tokEOF      tokenKind = iota
	tokIdent              // names and keywords; Kusto's are case-sensitive
	tokString             // value holds the unquoted text
	tokNumber             // digits, with any unit letters (10, 1.5, 1d)
	tokDatetime           // datetime(...): value holds the text inside
	tokPunct              // operators and punctuation: | , ( ) = == >= * ...
)

// token is one lexeme with where it starts (1-based line and column).
type token struct {
	kind      tokenKind
	text      string // as written
	value     string // tokString, tokDatetime: the content
	line, col int
}

// is reports whether t is the punctuation or identifier s.
func (t token) is(s string) bool {
	return (t.kind == tokPunct || t.kind == tokIdent) && t.text == s
}
