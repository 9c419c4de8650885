// Package clip shortens what a user sent before it is echoed in an error: a
// query may carry megabytes in any string field, and an error message is
// shown in panels, returned over the API and logged by Grafana at error level.
package clip

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// quoted is how many bytes of a value an error quotes.
const quoted = 64

// Quote returns s quoted as %q would, cut to its first quoted bytes (on a rune
// boundary) with the full length said when it was cut.
func Quote(s string) string {
	if len(s) <= quoted {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s… (%d bytes)", strconv.Quote(prefix(s)), len(s))
}

// String returns s cut to its first 4×quoted bytes, for messages made by
// libraries (a JSON decoder's, say) that may quote the input.
func String(s string) string {
	if len(s) <= 4*quoted {
		return s
	}
	cut := s[:4*quoted]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return fmt.Sprintf("%s… (%d bytes)", cut, len(s))
}

func prefix(s string) string {
	cut := s[:quoted]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut
}
