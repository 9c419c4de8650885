package kql

import (
	"strings"
	"unicode/utf8"
)

// lexer splits a query into tokens. It knows Kusto's lexical forms well
// enough that text outside the subset still splits into the tokens a reader
// would see, so the parser can name the one it stopped at.
type lexer struct {
	src       string
	i         int
	line, col int
}

// twoCharPuncts are the operators of two characters, tried before one.
var twoCharPuncts = []string{"==", "!=", ">=", "<=", "=~", "!~"}

// lex returns the tokens of src, ending with tokEOF.
func lex(src string) ([]token, *Error) {
	l := &lexer{src: src, line: 1, col: 1}
	var toks []token
	for {
		l.skipSpaceAndComments()
		t, err := l.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tokEOF {
			return toks, nil
		}
	}
}

func (l *lexer) peekByte(off int) byte {
	if l.i+off < len(l.src) {
		return l.src[l.i+off]
	}
	return 0
}

// advance moves past n bytes, keeping line and column.
func (l *lexer) advance(n int) {
	for ; n > 0 && l.i < len(l.src); n-- {
		if l.src[l.i] == '\n' {
			l.line, l.col = l.line+1, 1
		} else {
			l.col++
		}
		l.i++
	}
}

func (l *lexer) skipSpaceAndComments() {
	for l.i < len(l.src) {
		switch c := l.src[l.i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.advance(1)
		case c == '/' && l.peekByte(1) == '/':
			for l.i < len(l.src) && l.src[l.i] != '\n' {
				l.advance(1)
			}
		default:
			return
		}
	}
}

// next reads the token at the current position.
func (l *lexer) next() (token, *Error) {
	start := token{line: l.line, col: l.col}
	if l.i >= len(l.src) {
		start.kind = tokEOF
		return start, nil
	}
	c := l.src[l.i]
	switch {
	case isIdentStart(c):
		return l.ident(start)
	case isDigit(c):
		return l.number(start), nil
	case c == '"' || c == '\'' || (c == '@' && (l.peekByte(1) == '"' || l.peekByte(1) == '\'')):
		return l.str(start)
	}
	for _, p := range twoCharPuncts {
		if strings.HasPrefix(l.src[l.i:], p) {
			l.advance(2)
			start.kind, start.text = tokPunct, p
			return start, nil
		}
	}
	if strings.IndexByte("|,()=<>*;.[]-+/%!:{}", c) >= 0 {
		l.advance(1)
		start.kind, start.text = tokPunct, string(c)
		return start, nil
	}
	_, n := utf8.DecodeRuneInString(l.src[l.i:]) // name a character, not a byte of it
	start.kind, start.text = tokPunct, l.src[l.i:l.i+n]
	return start, syntaxErr(start, "a name, a literal or an operator")
}

// ident reads a name. A hyphen between letters belongs to it, so that
// operators such as project-away and mv-expand are named whole in errors.
// datetime( starts a datetime literal, whose content is not a string.
func (l *lexer) ident(t token) (token, *Error) {
	j := l.i
	for j < len(l.src) && (isIdentPart(l.src[j]) || l.src[j] == '-' && j+1 < len(l.src) && isIdentStart(l.src[j+1]) && j > l.i) {
		j++
	}
	t.kind, t.text = tokIdent, l.src[l.i:j]
	l.advance(j - l.i)
	if t.text == "datetime" {
		return l.datetime(t)
	}
	return t, nil
}

// datetime reads the parenthesised content after "datetime", if there is one.
func (l *lexer) datetime(t token) (token, *Error) {
	k := l.i
	for k < len(l.src) && (l.src[k] == ' ' || l.src[k] == '\t') {
		k++
	}
	if k >= len(l.src) || l.src[k] != '(' {
		return t, nil // a column named datetime
	}
	end := strings.IndexByte(l.src[k:], ')')
	if end < 0 {
		l.advance(len(l.src) - l.i)
		return t, syntaxErr(token{kind: tokEOF, line: l.line, col: l.col}, "')' closing datetime(")
	}
	inner := strings.TrimSpace(l.src[k+1 : k+end])
	if len(inner) >= 2 && (inner[0] == '"' || inner[0] == '\'') && inner[len(inner)-1] == inner[0] {
		inner = inner[1 : len(inner)-1]
	}
	t.kind, t.value = tokDatetime, inner
	t.text = "datetime" + l.src[l.i:k+end+1]
	l.advance(k + end + 1 - l.i)
	return t, nil
}

// number reads digits with an optional fraction and unit letters (1.5, 10d).
func (l *lexer) number(t token) token {
	j := l.i
	for j < len(l.src) && (isDigit(l.src[j]) || l.src[j] == '.' || isIdentPart(l.src[j])) {
		j++
	}
	t.kind, t.text = tokNumber, l.src[l.i:j]
	l.advance(j - l.i)
	return t
}

// str reads a string literal: "..." or '...' with backslash escapes, or a
// verbatim @"..." without them.
func (l *lexer) str(t token) (token, *Error) {
	verbatim := l.src[l.i] == '@'
	j := l.i
	if verbatim {
		j++
	}
	quote := l.src[j]
	j++
	var b strings.Builder
	for ; j < len(l.src) && l.src[j] != quote; j++ {
		c := l.src[j]
		if c == '\n' {
			break
		}
		if c == '\\' && !verbatim && j+1 < len(l.src) {
			j++
			c = unescape(l.src[j])
		}
		b.WriteByte(c)
	}
	if j >= len(l.src) || l.src[j] != quote {
		return t, syntaxErr(token{kind: tokString, text: l.src[l.i:j], line: t.line, col: t.col}, "the end of the string literal")
	}
	t.kind, t.text, t.value = tokString, l.src[l.i:j+1], b.String()
	l.advance(j + 1 - l.i)
	return t, nil
}

func unescape(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'r':
		return '\r'
	}
	return c // \\, \" and \' stand for themselves
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
