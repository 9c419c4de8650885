package graphsim

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind classifies a $filter token.
type tokenKind uint8

const (
	tokEOF     tokenKind = iota
	tokIdent             // property path, operator, function or keyword: createdDateTime, status/errorCode, eq, and
	tokString            // OData string literal, quotes removed and '' unescaped
	tokLiteral           // unquoted number or date-time: 50126, 2026-01-13T14:00:00Z
	tokLParen
	tokRParen
	tokComma
	tokColon
)

// token is one lexeme of a $filter and its byte offset, for error messages.
type token struct {
	kind tokenKind
	text string
	pos  int
}

// lexFilter splits a $filter into tokens. A real tokenizer (rather than
// pattern matching on the whole string) is what keeps a quoted value such as
// 'x” or appId eq ”y' one literal whatever it contains.
func lexFilter(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case strings.ContainsRune("(),:", r):
			toks = append(toks, token{kind: punctKind(r), text: string(r), pos: i})
			i += size
		case r == '\'':
			text, n, err := lexString(s[i:])
			if err != nil {
				return nil, fmt.Errorf("%w: %v at position %d", ErrBadFilter, err, i)
			}
			toks = append(toks, token{kind: tokString, text: text, pos: i})
			i += n
		case isIdentStart(r):
			n := spanOf(s[i:], isIdentPart)
			toks = append(toks, token{kind: tokIdent, text: s[i : i+n], pos: i})
			i += n
		case isLiteralStart(r):
			n := spanOf(s[i:], isLiteralPart)
			toks = append(toks, token{kind: tokLiteral, text: s[i : i+n], pos: i})
			i += n
		default:
			return nil, fmt.Errorf("%w: unexpected character %q at position %d", ErrBadFilter, r, i)
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(s)}), nil
}

// lexString reads an OData string literal starting at s[0] == '\” and returns
// its value and the bytes consumed. Inside, ” stands for one quote.
func lexString(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), i + 1, nil
	}
	return "", 0, fmt.Errorf("unterminated string literal")
}

func punctKind(r rune) tokenKind {
	switch r {
	case '(':
		return tokLParen
	case ')':
		return tokRParen
	case ',':
		return tokComma
	}
	return tokColon
}

func spanOf(s string, ok func(rune) bool) int {
	for i, r := range s {
		if !ok(r) {
			return i
		}
	}
	return len(s)
}

func isIdentStart(r rune) bool { return r == '_' || isASCIILetter(r) }

func isIdentPart(r rune) bool {
	return isIdentStart(r) || isASCIIDigit(r) || r == '/' || r == '.'
}

func isLiteralStart(r rune) bool { return isASCIIDigit(r) || r == '-' || r == '+' }

// isLiteralPart accepts what a number or an ISO 8601 date-time is made of.
func isLiteralPart(r rune) bool {
	return isASCIIDigit(r) || isASCIILetter(r) || strings.ContainsRune(":.+-", r)
}

func isASCIILetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }
