package graph

import "testing"

func TestSetTop(t *testing.T) {
	f := func(in string, top int, want string) {
		t.Helper()
		if got := setTop(in, top); got != want {
			t.Fatalf("unexpected setTop(%q, %d)\ngot  %s\nwant %s", in, top, got, want)
		}
	}
	f("https://g/beta/auditLogs/signIns?$filter=a%20eq%20'1'&$top=1000", 500, "https://g/beta/auditLogs/signIns?$filter=a%20eq%20'1'&$top=500")
	f("https://g/x?$top=10&$skiptoken=ab%3D%3D&%24orderby=x+desc", 5, "https://g/x?$top=5&$skiptoken=ab%3D%3D&%24orderby=x+desc")
	f("https://g/x?%24top=1000&$skiptoken=t", 500, "https://g/x?$top=500&$skiptoken=t")
	f("https://g/x?$skiptoken=t", 250, "https://g/x?$skiptoken=t&$top=250")
	f("https://g/x", 250, "https://g/x?$top=250")
}

func TestTopOf(t *testing.T) {
	f := func(in string, want int) {
		t.Helper()
		if got := topOf(in, 77); got != want {
			t.Fatalf("unexpected topOf(%q); got %d; want %d", in, got, want)
		}
	}
	f("https://g/x?$top=10&$skiptoken=t", 10)
	f("https://g/x?%24top=20", 20)
	f("https://g/x?$skiptoken=t", 77)
	f("https://g/x?$top=abc", 77)
}

func TestShrink(t *testing.T) {
	f := func(top int, want int, changed bool) {
		t.Helper()
		r := pageRequest{url: "https://g/x?$top=1", top: top}
		if got := r.shrink(); got != changed || r.top != want {
			t.Fatalf("unexpected shrink of %d; got %d (%v); want %d (%v)", top, r.top, got, want, changed)
		}
	}
	f(1000, 500, true)
	f(120, 60, true)
	f(90, 50, true)
	f(50, 50, false)
	f(20, 20, false)
}
