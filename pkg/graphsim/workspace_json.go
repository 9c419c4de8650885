package graphsim

import (
	"bytes"
	"encoding/json"
	"time"
	"unicode/utf8"
)

// answerBuf accumulates an answer's JSON. Its writers append without the
// per-value allocations of encoding/json: an answer may hold hundreds of
// thousands of rows of dozens of cells.
type answerBuf struct {
	out     []byte
	scratch bytes.Buffer // compacting and indenting JSON text
}

const hexDigits = "0123456789abcdef"

// str appends s as a JSON string. Only what JSON requires is escaped (no
// HTML escaping, as the service writes); invalid UTF-8 becomes U+FFFD.
func (b *answerBuf) str(s string) {
	b.out = append(b.out, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b.out = append(b.out, c)
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b.out = append(b.out, `\ufffd`...)
			} else {
				b.out = append(b.out, s[i:i+n]...)
			}
			i += n
			continue
		}
		b.escape(c)
		i++
	}
	b.out = append(b.out, '"')
}

func (b *answerBuf) escape(c byte) {
	switch c {
	case '"', '\\':
		b.out = append(b.out, '\\', c)
	case '\n':
		b.out = append(b.out, `\n`...)
	case '\r':
		b.out = append(b.out, `\r`...)
	case '\t':
		b.out = append(b.out, `\t`...)
	default:
		b.out = append(b.out, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
	}
}

// datetime appends t as the service writes a datetime: RFC 3339 in UTC, to
// its 100 ns ticks, trailing zeros of the fraction dropped.
func (b *answerBuf) datetime(t time.Time) {
	b.out = append(b.out, '"')
	b.out = t.UTC().Truncate(100*time.Nanosecond).AppendFormat(b.out, time.RFC3339Nano)
	b.out = append(b.out, '"')
}

func (b *answerBuf) null() { b.out = append(b.out, "null"...) }

// object appends a JSON value compacted, or null when there is none.
func (b *answerBuf) object(raw []byte) {
	if len(raw) == 0 {
		b.null()
		return
	}
	b.scratch.Reset()
	if json.Compact(&b.scratch, raw) != nil {
		b.null() // not JSON: cannot happen for values the decoder split out
		return
	}
	b.out = append(b.out, b.scratch.Bytes()...)
}

// text appends a JSON value as a string holding its JSON text (how a string
// column carries an object), indented when indent is set; "" when there is
// none.
func (b *answerBuf) text(raw []byte, indent bool) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		b.str("")
		return
	}
	b.scratch.Reset()
	var err error
	if indent {
		err = json.Indent(&b.scratch, raw, "", "  ")
	} else {
		err = json.Compact(&b.scratch, raw)
	}
	if err != nil {
		b.str("")
		return
	}
	b.str(b.scratch.String())
}
