package graphsim

import (
	"fmt"
	"strings"
	"time"
)

// csvTimeLayouts are the forms a time cell takes. The portal exports what it
// displays, in en-US "4/28/2021, 2:08:45.221 PM" (Go parses the fraction after
// the seconds without a layout element for it); query tools and KQL's own
// rendering write ISO 8601, with or without a zone. The header's " [UTC]"
// makes a zoneless time UTC.
var csvTimeLayouts = []string{
	"1/2/2006, 3:04:05 PM",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
}

// csvTime converts a time cell to createdDateTime: RFC 3339 in UTC, with as
// many fractional digits as the cell had, so a replay shows the time exactly
// as exported (the portal keeps milliseconds only).
func csvTime(cell string) (string, error) {
	s := normaliseSpaces(strings.TrimSpace(cell))
	for _, layout := range csvTimeLayouts {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t.UTC().Format(rfc3339Digits(fractionDigits(s))), nil
		}
	}
	return "", fmt.Errorf("%q is not a time like 4/28/2021, 2:08:45.221 PM or 2021-04-28T14:08:45.221Z", cell)
}

// normaliseSpaces turns the no-break spaces browsers put before AM/PM (ICU's
// U+202F since 2022, U+00A0 in some locales) into plain spaces.
func normaliseSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\u202f' || r == '\u00a0' {
			return ' '
		}
		return r
	}, s)
}

// fractionDigits counts the digits after the decimal point of a time, which in
// every accepted layout is the first '.'.
func fractionDigits(s string) int {
	_, frac, found := strings.Cut(s, ".")
	if !found {
		return 0
	}
	n := 0
	for n < len(frac) && frac[n] >= '0' && frac[n] <= '9' {
		n++
	}
	return min(n, 9)
}

// rfc3339Digits is the RFC 3339 layout with exactly n fractional digits.
func rfc3339Digits(n int) string {
	if n == 0 {
		return "2006-01-02T15:04:05Z07:00"
	}
	return "2006-01-02T15:04:05." + strings.Repeat("0", n) + "Z07:00"
}
