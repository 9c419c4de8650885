package kql

import (
	"strconv"
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
		if n := len(toks); t.kind == tokString && n > 0 && toks[n-1].kind == tokString {
			// Adjacent literals are one: "a" "b" is "ab", as Kusto reads it.
			toks[n-1].text += " " + t.text
			toks[n-1].value += t.value
			continue
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
	case isStringStart(l.src[l.i:]):
		return l.str(start)
	case isIdentStart(c):
		return l.ident(start)
	case isDigit(c):
		return l.number(start), nil
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

// isStringStart reports whether src starts a string literal: "…" or '…',
// verbatim @"…", obfuscated h"…" (either, after h or H), or a multi-line
// ```…``` or ~~~…~~~.
func isStringStart(src string) bool {
	if strings.HasPrefix(src, "```") || strings.HasPrefix(src, "~~~") {
		return true
	}
	if len(src) > 0 && (src[0] == 'h' || src[0] == 'H') {
		src = src[1:]
	}
	if len(src) > 0 && src[0] == '@' {
		src = src[1:]
	}
	return len(src) > 0 && (src[0] == '"' || src[0] == '\'')
}

// str reads a string literal by Kusto's rules, as Microsoft's parser
// (Kusto.Language) reads them: in "…" and '…' a line break ends nothing but
// the query's sense (an error), and a backslash starts one of the escapes
// below (any other is an error); @"…" is verbatim, with the quote doubled to
// stand for itself; h marks a literal obfuscated in logs, nothing else; a
// multi-line ```…``` or ~~~…~~~ holds its text as is.
func (l *lexer) str(t token) (token, *Error) {
	j := l.i
	if c := l.src[j]; c == 'h' || c == 'H' {
		j++
	}
	var value string
	var end int
	var ok bool
	switch rest := l.src[j:]; {
	case strings.HasPrefix(rest, "```") || strings.HasPrefix(rest, "~~~"):
		value, end, ok = multiLine(l.src, j)
	case rest[0] == '@':
		value, end, ok = verbatim(l.src, j+1)
	default:
		value, end, ok = escaped(l.src, j)
	}
	if !ok {
		return t, syntaxErr(token{kind: tokString, text: l.src[l.i:end], line: t.line, col: t.col}, "the end of the string literal")
	}
	t.kind, t.text, t.value = tokString, l.src[l.i:end], value
	l.advance(end - l.i)
	return t, nil
}

// multiLine reads ```…``` or ~~~…~~~ starting at i: the text between, as is.
func multiLine(src string, i int) (string, int, bool) {
	fence := src[i : i+3]
	k := strings.Index(src[i+3:], fence)
	if k < 0 {
		return "", len(src), false
	}
	return src[i+3 : i+3+k], i + 3 + k + 3, true
}

// verbatim reads @"…" or @'…' whose quote is at i: no escapes, the quote
// doubled for itself, no line break.
func verbatim(src string, i int) (string, int, bool) {
	quote := src[i]
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		switch c := src[j]; {
		case c == quote && j+1 < len(src) && src[j+1] == quote:
			b.WriteByte(quote)
			j++
		case c == quote:
			return b.String(), j + 1, true
		case c == '\n' || c == '\r':
			return "", j, false
		default:
			b.WriteByte(c)
		}
	}
	return "", len(src), false
}

// escaped reads "…" or '…' whose quote is at i, decoding its escapes.
func escaped(src string, i int) (string, int, bool) {
	quote := src[i]
	var b strings.Builder
	for j := i + 1; j < len(src); j++ {
		switch c := src[j]; c {
		case quote:
			return b.String(), j + 1, true
		case '\n', '\r':
			return "", j, false
		case '\\':
			n, ok := unescape(&b, src[j+1:])
			if !ok {
				return "", j, false
			}
			j += n
		default:
			b.WriteByte(c)
		}
	}
	return "", len(src), false
}

// simpleEscapes are the one-letter escapes and what they stand for.
var simpleEscapes = map[byte]byte{'\\': '\\', '"': '"', '\'': '\'', 'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f', 'v': '\v', 'a': '\a'}

// unescape decodes the escape after a backslash at the start of rest into
// b, returning how many bytes of rest it took: a one-letter escape, \xHH,
// \uHHHH, or up to three octal digits (\0 is NUL).
func unescape(b *strings.Builder, rest string) (int, bool) {
	if rest == "" {
		return 0, false
	}
	if v, ok := simpleEscapes[rest[0]]; ok {
		b.WriteByte(v)
		return 1, true
	}
	digits := func(n int, base int) (int, bool) {
		if len(rest) < 1+n {
			return 0, false
		}
		v, err := strconv.ParseUint(rest[1:1+n], base, 32)
		b.WriteRune(rune(v)) // #nosec G115 -- at most 4 hex digits (\u) or 2 (\x): v <= 0xffff
		return 1 + n, err == nil
	}
	switch c := rest[0]; {
	case c == 'x':
		return digits(2, 16)
	case c == 'u':
		return digits(4, 16)
	case c >= '0' && c <= '7':
		n := 1
		for n < 3 && n < len(rest) && rest[n] >= '0' && rest[n] <= '7' {
			n++
		}
		v, _ := strconv.ParseUint(rest[:n], 8, 32)
		b.WriteRune(rune(v)) // #nosec G115 -- at most 3 octal digits: v <= 0777
		return n, true
	}
	return 0, false
}

func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
func isDigit(c byte) bool      { return c >= '0' && c <= '9' }

// StringLiterals lexes src and returns the values of its string literals in
// order (adjacent ones joined), or the first lexical error: what the
// simulator reads of a query's literals, held against Microsoft's parser by
// `make test-kql` on every query the push-down writes.
func StringLiterals(src string) ([]string, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range toks {
		if t.kind == tokString {
			out = append(out, t.value)
		}
	}
	return out, nil
}
