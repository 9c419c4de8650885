package graph

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestListSignInsPaging(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$top=1000&%24skiptoken=abc%3D%3D",
				record{"a", "2026-01-13T14:59:00Z"}, record{"b", "2026-01-13T14:58:00.5Z"}))
		case 1:
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$top=1000&$skiptoken=def",
				record{"c", "2026-01-13T14:40:00Z"}, record{"d", "2026-01-13T14:30:00Z"}, record{"e", "2026-01-13T14:20:00Z"}))
		default:
			writeJSON(w, 200, pageBody("", record{"f", "2026-01-13T14:00:00Z"}))
		}
	})
	c, cred, rec := testClient(t, g)
	var types []signin.LogType
	var pages [][]string
	err := c.ListSignIns(context.Background(), signin.NonInteractive, winFrom, winTo, func(events []signin.Event) error {
		var ids []string
		for _, e := range events {
			ids = append(ids, e.ID)
			types = append(types, e.LogType)
		}
		pages = append(pages, ids)
		return nil
	})
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if want := [][]string{{"a", "b"}, {"c", "d", "e"}, {"f"}}; !reflect.DeepEqual(pages, want) {
		t.Fatalf("unexpected pages; got %v; want %v", pages, want)
	}
	wantURLs := []string{firstURL(1000),
		"/beta/auditLogs/signIns?$top=1000&%24skiptoken=abc%3D%3D", // exactly as given
		"/beta/auditLogs/signIns?$top=1000&$skiptoken=def"}
	if got := g.requests(); !reflect.DeepEqual(got, wantURLs) {
		t.Fatalf("unexpected requests\ngot  %q\nwant %q", got, wantURLs)
	}
	for i, typ := range types {
		if typ != signin.NonInteractive {
			t.Fatalf("event %d: unexpected LogType %s; want nonInteractive", i, typ)
		}
	}
	if cred.calls != 1 || !reflect.DeepEqual(g.bearers, []string{"Bearer token-1", "Bearer token-1", "Bearer token-1"}) {
		t.Fatalf("unexpected tokens; got %d GetToken calls, %q", cred.calls, g.bearers)
	}
	if !reflect.DeepEqual(rec.statuses, []int{200, 200, 200}) || !reflect.DeepEqual(rec.decoded, []int{2, 3, 1}) || len(rec.retries) != 0 {
		t.Fatalf("unexpected observations; got statuses %v, decoded %v, retries %v", rec.statuses, rec.decoded, rec.retries)
	}
}

func TestListSignInsFirstURLIsExact(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, pageBody("")) })
	c, _, _ := testClient(t, g, func(c *Config) { c.PageSize = 250 })
	if _, err := collect(context.Background(), c, winFrom, winTo); err != nil {
		t.Fatal(err)
	}
	want := "/beta/auditLogs/signIns?$filter=createdDateTime%20ge%202026-01-13T14%3A00%3A00Z%20and%20createdDateTime%20lt%202026-01-13T15%3A00%3A00Z%20and%20signInEventTypes%2Fany%28t%3A%20t%20eq%20%27nonInteractiveUser%27%29&$top=250"
	if got := g.requests(); len(got) != 1 || got[0] != want {
		t.Fatalf("unexpected request\ngot  %q\nwant %q", got, want)
	}
}

func TestListSignInsNextLinkGuard(t *testing.T) {
	f := func(next string) {
		t.Helper()
		g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 200, pageBody(strings.ReplaceAll(next, "SELF", r.Host), record{"a", "2026-01-13T14:59:00Z"}))
		})
		c, _, _ := testClient(t, g)
		pages, err := collect(context.Background(), c, winFrom, winTo)
		if err == nil || !strings.HasPrefix(err.Error(), "refusing to follow @odata.nextLink to ") {
			t.Fatalf("expected the nextLink to be refused; got %v", err)
		}
		if n := len(g.requests()); n != 1 || len(pages) != 1 {
			t.Fatalf("unexpected requests %d, pages %d; want 1 and 1", n, len(pages))
		}
	}
	f("https://evil.example/beta/auditLogs/signIns?$skiptoken=x")
	f("http://SELF/beta/auditLogs/signIns?$skiptoken=x") // same host, other scheme
	f("/beta/auditLogs/signIns?$skiptoken=x")            // relative
	f("https://SELF.evil.example/beta/auditLogs/signIns")
}

func TestListSignInsNextLinkGuardMessage(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageBody("https://evil.example/beta/x", record{"a", "2026-01-13T14:59:00Z"}))
	})
	c, _, _ := testClient(t, g)
	_, err := collect(context.Background(), c, winFrom, winTo)
	want := "refusing to follow @odata.nextLink to evil.example: not the configured Graph endpoint " + strings.TrimPrefix(g.srv.URL, "https://")
	if err == nil || err.Error() != want {
		t.Fatalf("unexpected error; got %v; want %q", err, want)
	}
}

func TestListSignInsFnErrorStops(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$skiptoken=x", record{"a", "2026-01-13T14:59:00Z"}))
	})
	c, _, _ := testClient(t, g)
	stop := errors.New("stop")
	err := c.ListSignIns(context.Background(), signin.Interactive, winFrom, winTo, func([]signin.Event) error { return stop })
	if err != stop || len(g.requests()) != 1 {
		t.Fatalf("unexpected result; got %v after %d requests; want stop after 1", err, len(g.requests()))
	}
}

func TestListSignInsArguments(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, pageBody("")) })
	c, _, _ := testClient(t, g)
	nop := func([]signin.Event) error { return nil }
	err := c.ListSignIns(context.Background(), signin.LogType(9), winFrom, winTo, nop)
	if err == nil || err.Error() != "listing sign-ins: unknown log type 9" {
		t.Fatalf("unexpected error %v", err)
	}
	err = c.ListSignIns(context.Background(), signin.Interactive, winTo, winTo, nop)
	if err == nil || err.Error() != "listing sign-ins: empty window [2026-01-13T15:00:00Z, 2026-01-13T15:00:00Z)" {
		t.Fatalf("unexpected error %v", err)
	}
	if n := len(g.requests()); n != 0 {
		t.Fatalf("unexpected requests: %d", n)
	}
}

func TestProbe(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageBody("", record{"a", "2026-01-13T14:59:00Z"}))
	})
	c, _, _ := testClient(t, g)
	if err := c.Probe(context.Background()); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if got := g.requests(); !reflect.DeepEqual(got, []string{"/beta/auditLogs/signIns?$top=1"}) {
		t.Fatalf("unexpected requests %q", got)
	}
}

// closedURL is an https URL nothing listens on.
func closedURL(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "https://" + addr
}

func TestConcurrentListings(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, pageBody("", record{"a", "2026-01-13T14:59:00Z"}, record{"b", "2026-01-13T14:58:00Z"}))
	})
	c, cred, _ := testClient(t, g)
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			pages, err := collect(context.Background(), c, winFrom, winTo)
			if err == nil && !reflect.DeepEqual(pages, [][]string{{"a", "b"}}) {
				err = errors.New("unexpected pages")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if cred.calls != 1 {
		t.Fatalf("expected the token to be fetched once; got %d", cred.calls)
	}
}

func TestListChangedAsksEachRiskState(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, pageBody("")) })
	c, _, _ := testClient(t, g, func(c *Config) { c.PageSize = 250 })
	if err := c.ListChanged(context.Background(), signin.NonInteractive, winFrom, winTo, func([]signin.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	window := "createdDateTime%20ge%202026-01-13T14%3A00%3A00Z%20and%20createdDateTime%20lt%202026-01-13T15%3A00%3A00Z%20and%20signInEventTypes%2Fany%28t%3A%20t%20eq%20%27nonInteractiveUser%27%29"
	var want []string
	for _, state := range []string{"remediated", "dismissed", "confirmedSafe", "confirmedCompromised", "atRisk"} {
		want = append(want, "/beta/auditLogs/signIns?$filter="+window+"%20and%20riskState%20eq%20%27"+state+"%27&$top=250")
	}
	if got := g.requests(); !reflect.DeepEqual(got, want) {
		t.Fatalf("unexpected requests\ngot  %q\nwant %q", got, want)
	}
	// Managed identities carry no risk: nothing is asked.
	if err := c.ListChanged(context.Background(), signin.ManagedIdentity, winFrom, winTo, func([]signin.Event) error { return nil }); err != nil || len(g.requests()) != len(want) {
		t.Fatalf("managed identity: %v, %d requests", err, len(g.requests())-len(want))
	}
}
