package clip

import (
	"strings"
	"testing"
)

func TestQuoteShortIsPlainQuote(t *testing.T) {
	if got := Quote(`a"b`); got != `"a\"b"` {
		t.Fatalf("Quote = %s", got)
	}
}

// TestQuoteCutsLongInput: a megabyte value is echoed as a prefix and its
// length, never whole, and never cut inside a UTF-8 sequence.
func TestQuoteCutsLongInput(t *testing.T) {
	long := strings.Repeat("é", 1<<19) // 1 MiB
	got := Quote(long)
	if len(got) > 3*quoted || !strings.Contains(got, "(1048576 bytes)") || strings.ContainsRune(got, '\uFFFD') {
		t.Fatalf("Quote of 1 MiB = %q", got)
	}
	if s := String(long); len(s) > 5*quoted || !strings.HasSuffix(s, "(1048576 bytes)") {
		t.Fatalf("String of 1 MiB = %q", s)
	}
}
