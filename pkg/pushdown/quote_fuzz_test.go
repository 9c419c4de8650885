package pushdown

import (
	"strings"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
)

// FuzzQuote: whatever a filter value holds, its literal in a filter is
// exactly one string literal with the same value: the query parses, and its
// filter is the one comparison written, of that value.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", `a"b`, `\`, `\"`, "x\ny", "\r\t", `" or 1==1 //`, `@"x"`, "'", `") | take 1`, "é\x00\xff", "where summarize by not in"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := "SigninLogs | where UserId == " + Quote(s) + " and AppId startswith_cs " + Quote(s)
		q, err := kql.Parse(src)
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if len(q.Ops) != 1 {
			t.Fatalf("%q: %d operators", s, len(q.Ops))
		}
		w := q.Ops[0].(kql.Where)
		if len(w.Conds) != 2 || w.Or {
			t.Fatalf("%q: %d conditions", s, len(w.Conds))
		}
		for _, c := range w.Conds {
			cmp, ok := c.(kql.Compare)
			lit, isString := cmp.Right.(kql.String)
			if !ok || !isString || lit.Value != s {
				t.Fatalf("%q: condition %#v", s, c)
			}
		}
		if strings.ContainsAny(Quote(s), "\n\r") {
			t.Fatalf("%q: a line break in the literal", s)
		}
	})
}
