package pushdown

import "strings"

// Quote writes s as a KQL string literal: double quotes, with backslash
// escapes for the backslash, the double quote and the line breaks and tab
// (a raw newline would end the literal). Every other byte stands for itself,
// so whatever s holds, the literal is one token whose value is s.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
