package kql

import (
	"slices"
	"testing"
)

// TestStringLiteralsAsKusto: the literal forms and escapes, each as
// Microsoft's parser (Kusto.Language 12.4) reads it in `T | where A == …`:
// the value, or an error. `make test-kql` checks the same against the parser
// itself on every query the push-down writes.
func TestStringLiteralsAsKusto(t *testing.T) {
	f := func(lit string, want ...string) {
		t.Helper()
		got, err := StringLiterals("T | where A == " + lit)
		if want == nil {
			if err == nil {
				t.Fatalf("%q: read as %q; want an error", lit, got)
			}
			return
		}
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("%q: %q, %v; want %q", lit, got, err, want)
		}
	}
	f(`"a\nb"`, "a\nb")
	f(`"a\\b"`, `a\b`)
	f(`"a\'b"`, "a'b")
	f(`'a"b'`, `a"b`)
	f(`"a\u0041b"`, "aAb")
	f(`"a\x41b"`, "aAb")
	f(`"\x041"`, "\x041")
	f(`"a\0b"`, "a\x00b")
	f(`"a\101b"`, "aAb")
	f(`"\1234"`, "S4")
	f(`"\400"`, "Ā")
	f(`"\u00e9"`, "é")
	f(`"a\bb\fc\vd\ae"`, "a\bb\fc\vd\ae")
	f("\"a\x00b\"", "a\x00b")
	f("\"a\u2028b\"", "a\u2028b")
	f(`@"a\b"`, `a\b`)
	f(`@"a""b"`, `a"b`)
	f(`@'a''b'`, `a'b`)
	f(`h"x"`, "x")
	f(`H@"x"`, "x")
	f(`h'x'`, "x")
	f("```a\nb```", "a\nb")
	f("~~~a\"b~~~", `a"b`)
	f(`"a" "b"`, "ab")
	f(`"a" @"b"`, "ab")
	f("\"a\" // c\n \"b\"", "ab")
	f(`"a\qb"`)
	f(`"a\/b"`)
	f(`"\x4"`)
	f(`"\u004"`)
	f(`"\8"`)
	f(`"\U0041"`)
	f("\"a\rb\"")
	f("\"a\nb\"")
	f("@\"a\nb\"")
	f("```a``")
	f(`"abc`)
}
