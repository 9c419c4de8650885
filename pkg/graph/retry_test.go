package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

const oneRecord = `{"value":[{"id":"a","createdDateTime":"2026-01-13T14:59:00Z"}]}`

func TestRetryAfterHonoured(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, 429, `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`)
			return
		}
		writeJSON(w, 200, oneRecord)
	})
	c, _, rec := testClient(t, g)
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if err != nil || len(pages) != 1 {
		t.Fatalf("unexpected result %v, %v", pages, err)
	}
	if !reflect.DeepEqual(rec.sleeps, []time.Duration{7 * time.Second}) || !reflect.DeepEqual(rec.retries, []string{"throttled"}) {
		t.Fatalf("unexpected waits %v, retries %v; want [7s], [throttled]", rec.sleeps, rec.retries)
	}
	if got := g.requests(); len(got) != 2 || got[0] != got[1] {
		t.Fatalf("expected the same page twice; got %q", got)
	}
}

func TestRetryAfterBeyondDeadlineFailsAtOnce(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, 429, `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`)
	})
	c, _, rec := testClient(t, g)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour/2)
	defer cancel()
	_, err := collect(ctx, c, winFrom, winTo)
	if !errors.Is(err, ErrThrottled) || len(rec.sleeps) != 0 {
		t.Fatalf("expected ErrThrottled without waiting; got %v after waits %v", err, rec.sleeps)
	}
}

func TestServerErrorsRetried(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeJSON(w, 503, `{"error":{"code":"ServiceUnavailable","message":"try later"}}`)
		case 1:
			w.Header().Set("Retry-After", "3")
			writeJSON(w, 503, `{"error":{"code":"ServiceUnavailable","message":"try later"}}`)
		case 2:
			writeJSON(w, 502, "<html>bad gateway</html>")
		default:
			writeJSON(w, 200, oneRecord)
		}
	})
	c, _, rec := testClient(t, g)
	if _, err := collect(context.Background(), c, winFrom, winTo); err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if !reflect.DeepEqual(rec.retries, []string{"server", "server", "server"}) || !reflect.DeepEqual(rec.statuses, []int{503, 503, 502, 200}) {
		t.Fatalf("unexpected retries %v, statuses %v", rec.retries, rec.statuses)
	}
	// backoff: first wait in [1s, 2s), second is Retry-After (the backoff still
	// advances), third in [4s, 8s)
	if len(rec.sleeps) != 3 || rec.sleeps[0] < time.Second || rec.sleeps[0] >= 2*time.Second ||
		rec.sleeps[1] != 3*time.Second || rec.sleeps[2] < 4*time.Second || rec.sleeps[2] >= 8*time.Second {
		t.Fatalf("unexpected waits %v", rec.sleeps)
	}
}

func TestRetriesBounded(t *testing.T) {
	f := func(status int, body string, class error, want string) {
		t.Helper()
		g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
			w.Header().Set("request-id", "rid-1")
			writeJSON(w, status, body)
		})
		c, _, rec := testClient(t, g, func(c *Config) { c.MaxRetries = 3 })
		_, err := collect(context.Background(), c, winFrom, winTo)
		if !errors.Is(err, class) || err.Error() != want {
			t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
		}
		if n := len(g.requests()); n != 4 || len(rec.sleeps) != 3 {
			t.Fatalf("unexpected attempts %d, waits %d; want 4 and 3", n, len(rec.sleeps))
		}
	}
	f(500, `{"error":{"code":"InternalServerError","message":"boom"}}`, ErrUnavailable,
		"giving up after 3 retries: microsoft graph: status 500: InternalServerError: boom (Microsoft Graph is failing; try again later) [request-id rid-1]")
	f(429, `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`, ErrThrottled,
		"giving up after 3 retries: microsoft graph: status 429: TooManyRequests: Too many requests (Microsoft Graph is throttling this app; query a shorter range or less often) [request-id rid-1]")
}

func TestNoRetries(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 503, `{}`) })
	c, _, _ := testClient(t, g, func(c *Config) { c.MaxRetries = -1 })
	_, err := collect(context.Background(), c, winFrom, winTo)
	if !errors.Is(err, ErrUnavailable) || len(g.requests()) != 1 {
		t.Fatalf("unexpected %v after %d requests", err, len(g.requests()))
	}
}

func TestUnauthorizedRefreshesTokenOnce(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 401, `{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired or is not yet valid."}}`)
	})
	c, cred, _ := testClient(t, g)
	_, err := collect(context.Background(), c, winFrom, winTo)
	want := "microsoft graph: status 401: InvalidAuthenticationToken: Access token has expired or is not yet valid. (check tenantId, clientId and the client secret or certificate)"
	if !errors.Is(err, ErrUnauthorized) || err.Error() != want {
		t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
	}
	if cred.calls != 2 || !reflect.DeepEqual(g.bearers, []string{"Bearer token-1", "Bearer token-2"}) {
		t.Fatalf("unexpected tokens: %d calls, %q", cred.calls, g.bearers)
	}
}

func TestUnauthorizedMidPagingRecovers(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch {
		case n == 0:
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$skiptoken=p2", record{"a", "2026-01-13T14:59:00Z"}))
		case r.Header.Get("Authorization") == "Bearer token-1":
			writeJSON(w, 401, `{"error":{"code":"InvalidAuthenticationToken","message":"expired"}}`)
		default:
			writeJSON(w, 200, pageBody("", record{"b", "2026-01-13T14:58:00Z"}))
		}
	})
	c, _, rec := testClient(t, g)
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if err != nil || !reflect.DeepEqual(pages, [][]string{{"a"}, {"b"}}) {
		t.Fatalf("unexpected result %v, %v", pages, err)
	}
	if !reflect.DeepEqual(rec.retries, []string{"unauthorized"}) || len(rec.sleeps) != 0 {
		t.Fatalf("unexpected retries %v, waits %v", rec.retries, rec.sleeps)
	}
}

func TestForbiddenClassified(t *testing.T) {
	f := func(body string, class, other error, want string) {
		t.Helper()
		g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 403, body) })
		c, _, _ := testClient(t, g)
		for _, err := range []error{c.Probe(context.Background()), func() error { _, err := collect(context.Background(), c, winFrom, winTo); return err }()} {
			if !errors.Is(err, class) || errors.Is(err, other) || err.Error() != want {
				t.Fatalf("unexpected error\ngot  %v\nwant %s", err, want)
			}
		}
		if n := len(g.requests()); n != 2 {
			t.Fatalf("a 403 must not be retried; got %d requests for 2 calls", n)
		}
	}
	f(`{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{"request-id":"r-9"}}}`,
		ErrNoPremiumLicense, ErrForbidden,
		"microsoft graph: status 403: Authentication_RequestFromNonPremiumTenantOrB2CTenant: Neither tenant is B2C or tenant doesn't have premium license (reading sign-in logs needs a Microsoft Entra ID P1 or P2 license in the tenant) [request-id r-9]")
	f(`{"error":{"code":"Forbidden","message":"Tenant doesn't have premium license"}}`, ErrNoPremiumLicense, ErrForbidden,
		"microsoft graph: status 403: Forbidden: Tenant doesn't have premium license (reading sign-in logs needs a Microsoft Entra ID P1 or P2 license in the tenant)")
	f(`{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}`, ErrForbidden, ErrNoPremiumLicense,
		"microsoft graph: status 403: Authorization_RequestDenied: Insufficient privileges to complete the operation. (the app registration needs the Microsoft Graph application permissions AuditLog.Read.All and Directory.Read.All, with admin consent)")
}

func TestBadRequestNotRetried(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 400, `{"error":{"code":"BadRequest","message":"Invalid filter clause"}}`)
	})
	c, _, _ := testClient(t, g)
	_, err := collect(context.Background(), c, winFrom, winTo)
	if !errors.Is(err, ErrBadRequest) || err.Error() != "microsoft graph: status 400: BadRequest: Invalid filter clause" || len(g.requests()) != 1 {
		t.Fatalf("unexpected %v after %d requests", err, len(g.requests()))
	}
}

func TestNetworkFailure(t *testing.T) {
	addr := closedURL(t)
	rec := &recorder{}
	c, err := New(Config{GraphEndpoint: addr, Credential: &fakeCredential{}, MaxRetries: 2, Sleep: rec.sleep, Observer: rec})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Probe(context.Background())
	host := strings.TrimPrefix(addr, "https://")
	if !errors.Is(err, ErrNetwork) || !strings.HasPrefix(err.Error(), "giving up after 2 retries: network error: cannot reach "+host+": dial tcp "+host+": connect: connection refused") {
		t.Fatalf("unexpected error %v", err)
	}
	if !reflect.DeepEqual(rec.retries, []string{"network", "network"}) || !reflect.DeepEqual(rec.statuses, []int{0, 0, 0}) {
		t.Fatalf("unexpected retries %v, statuses %v", rec.retries, rec.statuses)
	}
}

func TestUntrustedCertificateNotRetried(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
	rec := &recorder{}
	c, err := New(Config{GraphEndpoint: g.srv.URL, Credential: &fakeCredential{}, Sleep: rec.sleep})
	if err != nil {
		t.Fatal(err)
	}
	err = c.Probe(context.Background())
	if !errors.Is(err, ErrNetwork) || !strings.Contains(err.Error(), "certificate signed by unknown authority (if a proxy intercepts TLS, add its CA as tlsCACert)") || len(rec.sleeps) != 0 {
		t.Fatalf("unexpected %v after waits %v", err, rec.sleeps)
	}
}

func TestTruncatedBodyRetried(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			w.Header().Set("Content-Length", fmt.Sprint(len(oneRecord)))
			w.WriteHeader(200)
			_, _ = w.Write([]byte(oneRecord[:20])) // the server closes the connection short
			return
		}
		writeJSON(w, 200, oneRecord)
	})
	c, _, rec := testClient(t, g)
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if err != nil || !reflect.DeepEqual(pages, [][]string{{"a"}}) || !reflect.DeepEqual(rec.retries, []string{"truncated"}) {
		t.Fatalf("unexpected %v, %v, retries %v", pages, err, rec.retries)
	}
}

func TestMalformedPageRetried(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 0 {
			writeJSON(w, 200, oneRecord[:30])
			return
		}
		writeJSON(w, 200, oneRecord)
	})
	c, _, rec := testClient(t, g)
	if _, err := collect(context.Background(), c, winFrom, winTo); err != nil || !reflect.DeepEqual(rec.retries, []string{"truncated"}) {
		t.Fatalf("unexpected %v, retries %v", err, rec.retries)
	}
}

func TestTimeoutHalvesTop(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		top := r.URL.Query().Get("$top")
		switch {
		case top == "1000" || (top == "500" && r.URL.Query().Get("$skiptoken") != ""):
			<-r.Context().Done() // too slow: the client gives up first
		case top == "500":
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?%24filter=x&$top=500&$skiptoken=s2", record{"a", "2026-01-13T14:59:00Z"}))
		default:
			writeJSON(w, 200, pageBody("", record{"b", "2026-01-13T14:58:00Z"}))
		}
	})
	// generous, so the quick answers never time out on a loaded machine
	c, _, rec := testClient(t, g, func(c *Config) { c.RequestTimeout = 500 * time.Millisecond })
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if err != nil || !reflect.DeepEqual(pages, [][]string{{"a"}, {"b"}}) {
		t.Fatalf("unexpected %v, %v", pages, err)
	}
	want := []string{firstURL(1000), firstURL(500),
		"/beta/auditLogs/signIns?%24filter=x&$top=500&$skiptoken=s2",
		"/beta/auditLogs/signIns?%24filter=x&$top=250&$skiptoken=s2"}
	// net/http may resend a request whose connection broke as the previous one
	// was cancelled; the client's own attempts are the statuses it observed.
	if got := withoutRepeats(g.requests()); !reflect.DeepEqual(got, want) {
		t.Fatalf("unexpected requests\ngot  %q\nwant %q", got, want)
	}
	if !reflect.DeepEqual(rec.retries, []string{"timeout", "timeout"}) || !reflect.DeepEqual(rec.statuses, []int{0, 200, 0, 200}) {
		t.Fatalf("unexpected retries %v, statuses %v", rec.retries, rec.statuses)
	}
}

func TestTimeoutExhausted(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { <-r.Context().Done() })
	c, _, rec := testClient(t, g, func(c *Config) { c.RequestTimeout = 20 * time.Millisecond; c.PageSize = 100; c.MaxRetries = 2 })
	_, err := collect(context.Background(), c, winFrom, winTo)
	if !errors.Is(err, ErrTimeout) || err.Error() != "giving up after 2 retries: timeout: no page within 20ms at $top=50" {
		t.Fatalf("unexpected error %v", err)
	}
	if got := withoutRepeats(g.requests()); !reflect.DeepEqual(got, []string{firstURL(100), firstURL(50)}) || len(rec.statuses) != 3 {
		t.Fatalf("unexpected requests %q, attempts %d", got, len(rec.statuses))
	}
}

func TestSkipTokenExpiryResumes(t *testing.T) {
	boundary := "2026-01-13T14:30:00.1234567Z"
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$top=3&$skiptoken=old",
				record{"e5", "2026-01-13T14:50:00Z"}, record{"e4", "2026-01-13T14:40:00Z"}, record{"e3a", boundary}))
		case 1:
			writeJSON(w, 400, `{"error":{"code":"BadRequest","message":"Invalid Skip Token: the token has expired."}}`)
		case 2: // the resumed query sees the boundary sign-in again
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$top=3&$skiptoken=new",
				record{"e3a", boundary}, record{"e3b", boundary}, record{"e2", "2026-01-13T14:20:00Z"}))
		default:
			writeJSON(w, 200, pageBody("", record{"e1", "2026-01-13T14:10:00Z"}))
		}
	})
	c, _, rec := testClient(t, g, func(c *Config) { c.PageSize = 3 })
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if want := [][]string{{"e5", "e4", "e3a"}, {"e3b", "e2"}, {"e1"}}; !reflect.DeepEqual(pages, want) {
		t.Fatalf("unexpected pages; got %v; want %v", pages, want)
	}
	resumed := "/beta/auditLogs/signIns?$filter=" + escapeQuery(
		"createdDateTime ge 2026-01-13T14:00:00Z and createdDateTime le "+boundary+" and signInEventTypes/any(t: t eq 'nonInteractiveUser')") + "&$top=3"
	if got := g.requests(); len(got) != 4 || got[2] != resumed {
		t.Fatalf("unexpected requests\ngot  %q\nwant the third to be %q", got, resumed)
	}
	if !reflect.DeepEqual(rec.retries, []string{"skiptoken"}) {
		t.Fatalf("unexpected retries %v", rec.retries)
	}
}

func TestSkipTokenExpiryBounded(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.URL.Query().Get("$skiptoken") != "" {
			writeJSON(w, 400, `{"error":{"code":"BadRequest","message":"Invalid skip token"}}`)
			return
		}
		writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$skiptoken=t", record{"a", "2026-01-13T14:59:00Z"}))
	})
	c, _, _ := testClient(t, g, func(c *Config) { c.MaxRetries = 2 })
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if !errors.Is(err, ErrBadRequest) || !reflect.DeepEqual(pages, [][]string{{"a"}}) || len(g.requests()) != 6 {
		t.Fatalf("unexpected %v, pages %v after %d requests; want ErrBadRequest, [[a]], 6", err, pages, len(g.requests()))
	}
}

func TestCancellationStops(t *testing.T) {
	t.Run("in fn", func(t *testing.T) {
		var g *fakeGraph
		g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$skiptoken=x", record{"a", "2026-01-13T14:59:00Z"}))
		})
		c, _, _ := testClient(t, g)
		ctx, cancel := context.WithCancel(context.Background())
		err := c.ListSignIns(ctx, signin.Interactive, winFrom, winTo, func([]signin.Event) error { cancel(); return nil })
		if !errors.Is(err, context.Canceled) || err != context.Canceled || len(g.requests()) != 1 {
			t.Fatalf("unexpected %v after %d requests", err, len(g.requests()))
		}
	})
	t.Run("while waiting", func(t *testing.T) {
		g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 503, `{}`) })
		ctx, cancel := context.WithCancel(context.Background())
		c, _, _ := testClient(t, g, func(c *Config) {
			c.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }
		})
		_, err := collect(ctx, c, winFrom, winTo)
		if err != context.Canceled || len(g.requests()) != 1 {
			t.Fatalf("unexpected %v after %d requests", err, len(g.requests()))
		}
	})
	t.Run("during request", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { cancel(); <-r.Context().Done() })
		c, _, rec := testClient(t, g)
		_, err := collect(ctx, c, winFrom, winTo)
		if err != context.Canceled || len(g.requests()) != 1 || len(rec.retries) != 0 {
			t.Fatalf("unexpected %v after %d requests, retries %v", err, len(g.requests()), rec.retries)
		}
	})
	t.Run("before start", func(t *testing.T) {
		g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
		c, _, _ := testClient(t, g)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := collect(ctx, c, winFrom, winTo); err != context.Canceled || len(g.requests()) != 0 {
			t.Fatalf("unexpected %v after %d requests", err, len(g.requests()))
		}
	})
}

func TestBadRecordNotRetried(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		writeJSON(w, 200, `{"value":[{"id":"x","createdDateTime":"yesterday"}]}`)
	})
	c, _, _ := testClient(t, g)
	_, err := collect(context.Background(), c, winFrom, winTo)
	want := "decoding sign-ins page from " + strings.TrimPrefix(g.srv.URL, "https://") + `: bad sign-in record: sign-in "x": createdDateTime "yesterday": not an RFC 3339 date-time`
	if err == nil || err.Error() != want || len(g.requests()) != 1 {
		t.Fatalf("unexpected %v after %d requests; want %s after 1", err, len(g.requests()), want)
	}
}

// withoutRepeats drops consecutive duplicates.
func withoutRepeats(urls []string) []string {
	var out []string
	for i, u := range urls {
		if i == 0 || u != urls[i-1] {
			out = append(out, u)
		}
	}
	return out
}
