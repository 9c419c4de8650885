package graphsim

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fired runs decide over requests (true: the request carries a $skiptoken)
// and returns the 1-based ordinals on which a rule fired.
func fired(rules []FaultRule, requests []bool) []int {
	st := newFaultState(Faults{Rules: rules})
	var out []int
	for i, tok := range requests {
		if st.decide(tok) != nil {
			out = append(out, i+1)
		}
	}
	return out
}

// plainRequests are n requests without a skip token but the ones at the given
// 1-based ordinals.
func plainRequests(n int, withToken ...int) []bool {
	out := make([]bool, n)
	for _, i := range withToken {
		out[i-1] = true
	}
	return out
}

func TestFaultRuleSelection(t *testing.T) {
	f := func(r FaultRule, requests []bool, want ...int) {
		t.Helper()
		if got := fired([]FaultRule{r}, requests); !slices.Equal(got, want) {
			t.Fatalf("rule %+v: fired on %v; want %v", r, got, want)
		}
	}
	ten := plainRequests(10, 3, 4, 8)
	f(FaultRule{Kind: FaultReset}, plainRequests(3), 1, 2, 3)
	f(FaultRule{Kind: FaultReset, Nth: 4}, ten, 4)
	f(FaultRule{Kind: FaultReset, Every: 3}, ten, 3, 6, 9)
	f(FaultRule{Kind: FaultReset, Every: 3, Times: 2}, ten, 3, 6)
	f(FaultRule{Kind: FaultReset, Times: 1}, ten, 1)
	f(FaultRule{Kind: FaultReset, SkipToken: true}, ten, 3, 4, 8)
	f(FaultRule{Kind: FaultReset, SkipToken: true, Nth: 2}, ten, 4)
	f(FaultRule{Kind: FaultBadSkipToken}, ten, 3, 4, 8) // counts nextLink requests whatever SkipToken says
	f(FaultRule{Kind: FaultBadSkipToken, Every: 2}, ten, 4)
	f(FaultRule{Kind: FaultReset, Nth: 11}, ten)

	// Two rules: each counts every request; the first that fires wins.
	st := newFaultState(Faults{Rules: []FaultRule{{Kind: FaultStatus, Status: 503, Nth: 2}, {Kind: FaultReset, Every: 2}}})
	var kinds []FaultKind
	for range 6 {
		if r := st.decide(false); r != nil {
			kinds = append(kinds, r.Kind)
		} else {
			kinds = append(kinds, "")
		}
	}
	if want := []FaultKind{"", FaultStatus, "", FaultReset, "", FaultReset}; !slices.Equal(kinds, want) {
		t.Fatalf("two rules: got %q; want %q", kinds, want)
	}
	wantLog := []Injection{{Rule: 0, Kind: FaultStatus, Status: 503, Request: 2}, {Rule: 1, Kind: FaultReset, Request: 4}, {Rule: 1, Kind: FaultReset, Request: 6}}
	if !slices.Equal(st.log, wantLog) {
		t.Fatalf("log %+v; want %+v", st.log, wantLog)
	}
}

// TestFaultRuleProbability checks that draws are seeded: the same seed fires
// on the same requests, another seed on others, at about the rate asked for.
func TestFaultRuleProbability(t *testing.T) {
	reqs := plainRequests(1000)
	a := fired([]FaultRule{{Kind: FaultReset, Prob: 0.2, Seed: 7}}, reqs)
	b := fired([]FaultRule{{Kind: FaultReset, Prob: 0.2, Seed: 7}}, reqs)
	c := fired([]FaultRule{{Kind: FaultReset, Prob: 0.2, Seed: 8}}, reqs)
	if !slices.Equal(a, b) || slices.Equal(a, c) {
		t.Fatalf("seeded draws: seed 7 fired %d then %d times (equal: %v); seed 8 equal to seed 7: %v", len(a), len(b), slices.Equal(a, b), slices.Equal(a, c))
	}
	if len(a) < 150 || len(a) > 250 {
		t.Fatalf("p=0.2 fired %d of 1000 times", len(a))
	}
	// Nth and Prob together: the Nth request fires only if its draw does, and
	// the draws are the same as without Nth.
	for _, n := range []int{a[0], a[0] + 1} {
		got := fired([]FaultRule{{Kind: FaultReset, Prob: 0.2, Seed: 7, Nth: n}}, reqs)
		if want := slices.Contains(a, n); want != (len(got) == 1) || (want && got[0] != n) {
			t.Fatalf("Nth %d with p: fired %v; the draw alone fires on %d first", n, got, a[0])
		}
	}
}

func TestFaultStatus(t *testing.T) {
	f := func(status, retryAfter int, wantCode, wantRetryAfter string) {
		t.Helper()
		e := newTestEnv(t, Options{Faults: Faults{Rules: []FaultRule{{Kind: FaultStatus, Status: status, RetryAfter: retryAfter, Nth: 1}}}})
		tok := e.token("contoso")
		resp, body := e.get(signInsURL("beta", "$top", "5"), tok)
		if resp.StatusCode != status || resp.Header.Get("Retry-After") != wantRetryAfter || resp.Header.Get("request-id") == "" {
			t.Fatalf("status %d: got %d, Retry-After %q, request-id %q", status, resp.StatusCode, resp.Header.Get("Retry-After"), resp.Header.Get("request-id"))
		}
		if status == http.StatusBadGateway {
			if string(body) != badGatewayPage || resp.Header.Get("Content-Type") != "text/html" {
				t.Fatalf("502: body %q, Content-Type %q", body, resp.Header.Get("Content-Type"))
			}
		} else if ge := graphErrorOf(t, body); ge.Code != wantCode || ge.Message != faultStatusBodies[status].message {
			t.Fatalf("status %d: error %+v; want code %s", status, ge, wantCode)
		}
		if resp, _ := e.get(signInsURL("beta", "$top", "5"), tok); resp.StatusCode != 200 {
			t.Fatalf("status %d: the next request got %d; want 200", status, resp.StatusCode)
		}
		want := []Injection{{Rule: 0, Kind: FaultStatus, Status: status, Request: 1}}
		if got := e.srv.Injections(); !slices.Equal(got, want) {
			t.Fatalf("injections %+v; want %+v", got, want)
		}
	}
	f(403, 0, "Authorization_RequestDenied", "")
	f(429, 0, "TooManyRequests", "")
	f(429, 7, "TooManyRequests", "7")
	f(500, 0, "UnknownError", "")
	f(502, 0, "", "")
	f(503, 2, "ServiceUnavailable", "2")
	f(504, 0, "GatewayTimeout", "")
}

// readAll fetches url and returns the status, the body bytes read and the
// error that ended reading (nil for a complete body).
func readAll(t *testing.T, client *http.Client, url, token string) (int, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// TestFaultCuts checks every cut over HTTP/1.1 (hijacked connection) and
// HTTP/2 (reset stream): the status arrives, then at most half the page.
func TestFaultCuts(t *testing.T) {
	const window = "createdDateTime ge 2026-01-13T00:00:00Z"
	for _, proto := range []string{"HTTP/1.1", "HTTP/2.0"} {
		for _, kind := range []FaultKind{FaultReset, FaultTruncate, FaultTruncateChunked, FaultTruncateJSON} {
			faults := Faults{Rules: []FaultRule{{Kind: kind, Nth: 2}}}
			var base, tok string
			var client *http.Client
			if proto == "HTTP/2.0" {
				_, base, client = startTLS(t, Options{Faults: faults, Credentials: map[string]string{"app-1": "s3cret"}})
				tok = tokenOver(t, client, base)
			} else {
				e := newTestEnv(t, Options{Faults: faults})
				base, client, tok = e.base, http.DefaultClient, e.token("contoso")
			}
			url := base + signInsURL("beta", "$top", "50", "$filter", window)
			status, full, err := readAll(t, client, url, tok) // request 1: whole
			if status != 200 || err != nil || len(full) < 1000 {
				t.Fatalf("%s %s: first page: %d, %d bytes, %v", proto, kind, status, len(full), err)
			}
			status, got, err := readAll(t, client, url, tok) // request 2: cut
			switch {
			case status != 200:
				t.Fatalf("%s %s: status %d; want 200", proto, kind, status)
			case kind == FaultTruncateJSON && (err != nil || !bytes.Equal(got, full[:len(full)/2])):
				t.Fatalf("%s %s: %d bytes, %v; want exactly the first %d bytes and no error", proto, kind, len(got), err, len(full)/2)
			case kind == FaultTruncateJSON && json.Valid(got):
				t.Fatalf("%s %s: the half page is valid JSON", proto, kind)
			case kind != FaultTruncateJSON && (err == nil || !bytes.HasPrefix(full, got) || len(got) > len(full)/2):
				t.Fatalf("%s %s: read %d of %d bytes, error %v; want a prefix of at most half and an error", proto, kind, len(got), len(full), err)
			}
			t.Logf("%s %s: read %d of %d bytes, then %v", proto, kind, len(got), len(full), err)
			if status, again, err := readAll(t, client, url, tok); status != 200 || err != nil || !bytes.Equal(again, full) {
				t.Fatalf("%s %s: request 3: %d, %v; want the whole page again", proto, kind, status, err)
			}
		}
	}
}

// tokenOver gets a token from a TLS server started by startTLS.
func tokenOver(t *testing.T, client *http.Client, base string) string {
	t.Helper()
	resp, err := client.PostForm(base+"/contoso/oauth2/v2.0/token", secretForm("app-1", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body tokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token: %d, %v", resp.StatusCode, err)
	}
	return body.AccessToken
}

func TestFaultSlow(t *testing.T) {
	e := newTestEnv(t, Options{Faults: Faults{Rules: []FaultRule{{Kind: FaultSlow, Nth: 1, Delay: time.Hour}, {Kind: FaultSlow, Nth: 2, Delay: time.Millisecond}}}})
	tok := e.token("contoso")
	url := e.base + signInsURL("beta", "$top", "5")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		if err == nil {
			resp.Body.Close()
		}
		t.Fatalf("request 1: %v; want the client's deadline to pass first", err)
	}
	// request 2 is slow too, but only by a millisecond: it is served whole
	if page := e.getPage(url, tok); len(page.Value) != 5 {
		t.Fatalf("request 2: %d sign-ins; want 5", len(page.Value))
	}
}

func TestFaultBadSkipToken(t *testing.T) {
	e := newTestEnv(t, Options{Faults: Faults{Rules: []FaultRule{{Kind: FaultBadSkipToken, Nth: 1}}}})
	tok := e.token("contoso")
	first := e.getPage(signInsURL("beta", "$top", "5"), tok) // no skip token: not counted
	resp, body := e.get(first.NextLink, tok)
	ge := graphErrorOf(t, body)
	if resp.StatusCode != 400 || ge.Code != "BadRequest" || ge.Message != "Invalid skip token: the token has expired or is not valid." {
		t.Fatalf("nextLink: %d %+v; want 400 BadRequest Invalid skip token", resp.StatusCode, ge)
	}
	if p := e.getPage(first.NextLink, tok); len(p.Value) != 5 {
		t.Fatalf("nextLink again: %d sign-ins; want 5", len(p.Value))
	}
	if got, want := e.srv.Injections(), []Injection{{Kind: FaultBadSkipToken, Request: 2}}; !slices.Equal(got, want) {
		t.Fatalf("injections %+v; want %+v", got, want)
	}
}

func TestFaultExpireToken(t *testing.T) {
	e := newTestEnv(t, Options{Faults: Faults{Rules: []FaultRule{{Kind: FaultExpireToken, Nth: 2}}}})
	tok := e.token("contoso")
	url := signInsURL("beta", "$top", "5")
	e.getPage(url, tok)
	for i := 2; i <= 3; i++ { // the fault, then the same token again
		resp, body := e.get(url, tok)
		if ge := graphErrorOf(t, body); resp.StatusCode != 401 || ge.Message != "Lifetime validation failed, the token is expired." {
			t.Fatalf("request %d: %d %+v; want 401 expired", i, resp.StatusCode, ge)
		}
	}
	e.getPage(url, e.token("contoso")) // a new token works
}

func TestFaultRevokeToken(t *testing.T) {
	e := newTestEnv(t, Options{Faults: Faults{Rules: []FaultRule{{Kind: FaultRevokeToken, Nth: 1}}}})
	tok := e.token("contoso")
	url := signInsURL("beta", "$top", "5")
	resp, body := e.get(url, tok)
	ge := graphErrorOf(t, body)
	if resp.StatusCode != 401 || ge.Code != "InvalidAuthenticationToken" || !strings.HasPrefix(ge.Message, "Continuous access evaluation resulted in challenge") {
		t.Fatalf("revoked: %d %+v", resp.StatusCode, ge)
	}
	challenge := resp.Header.Get("WWW-Authenticate")
	_, enc, _ := strings.Cut(challenge, `claims="`)
	enc, _, _ = strings.Cut(enc, `"`)
	claims, err := base64.StdEncoding.DecodeString(enc)
	want := `{"access_token":{"nbf":{"essential":true,"value":"1768348800"}}}` // testNow
	if err != nil || string(claims) != want || !strings.Contains(challenge, `error="insufficient_claims"`) {
		t.Fatalf("challenge %q: claims %q (%v); want %s", challenge, claims, err, want)
	}
	if resp, _ := e.get(url, tok); resp.StatusCode != 401 {
		t.Fatalf("the revoked token got %d; want 401", resp.StatusCode)
	}
	e.getPage(url, e.token("contoso"))
}

// TestFaultDuplicate checks that the last sign-in of a page is served again
// first on the next page, there only, and on a retry of that page too.
func TestFaultDuplicate(t *testing.T) {
	plain := newTestEnv(t, Options{})
	want := plain.allPages(signInsURL("beta", "$top", "7"), plain.token("contoso"))

	e := newTestEnv(t, Options{Faults: Faults{Rules: []FaultRule{{Kind: FaultDuplicate, Nth: 2}}}})
	tok := e.token("contoso")
	got := e.allPages(signInsURL("beta", "$top", "7"), tok)
	if len(got) != len(want) {
		t.Fatalf("%d pages; want %d", len(got), len(want))
	}
	for i := range got {
		w := want[i].Value
		if i == 2 {
			w = append([]json.RawMessage{want[1].Value[6]}, w...)
		}
		if g := rawIDs(t, got[i].Value); !slices.Equal(g, rawIDs(t, w)) {
			t.Fatalf("page %d: ids %q; want %q", i, g, rawIDs(t, w))
		}
	}
	if again := e.getPage(got[1].NextLink, tok); !slices.Equal(rawIDs(t, again.Value), rawIDs(t, got[2].Value)) {
		t.Fatalf("retried page 3: %q; want %q", rawIDs(t, again.Value), rawIDs(t, got[2].Value))
	}
}

func rawIDs(t *testing.T, vs []json.RawMessage) []string {
	t.Helper()
	raws := make([][]byte, len(vs))
	for i, v := range vs {
		raws[i] = v
	}
	return idsOfRaw(t, raws)
}

// TestFaultClockSkew: a server an hour behind its client lists nothing of the
// last hour; one ahead lists what the client's present holds, no more.
func TestFaultClockSkew(t *testing.T) {
	f := func(skew time.Duration, wantUpTo time.Time) {
		t.Helper()
		e := newTestEnv(t, Options{Faults: Faults{ClockSkew: skew}})
		filter := "createdDateTime ge 2026-01-13T20:00:00Z and createdDateTime lt 2026-01-14T00:00:00Z"
		ids := idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta", "$filter", filter), e.token("contoso"))))
		want := truth(t, e.src, time.Date(2026, 1, 13, 20, 0, 0, 0, time.UTC), wantUpTo, signin.Interactive)
		if !slices.Equal(ids, recordIDs(want)) || len(ids) == 0 {
			t.Fatalf("skew %s: %d sign-ins %q; want %d", skew, len(ids), ids, len(want))
		}
	}
	f(-time.Hour, testNow.Add(-time.Hour).Add(time.Nanosecond))
	f(time.Hour, testNow)
}

// TestFaultLate: the late share is hidden until LateBy has passed, the rest
// is listed as the ingestion delay says.
func TestFaultLate(t *testing.T) {
	faults := Faults{LateShare: 0.5, LateBy: 2 * time.Hour}
	e := newTestEnv(t, Options{Delay: 10 * time.Minute, Faults: faults})
	from := testNow.Add(-4 * time.Hour)
	list := func() []string {
		filter := "createdDateTime ge " + from.Format(time.RFC3339)
		return idsOfRaw(t, rawRecords(e.allPages(signInsURL("beta", "$filter", filter), e.token("contoso"))))
	}
	var want []string
	late := 0
	for _, r := range truth(t, e.src, from, testNow, signin.Interactive) {
		switch {
		case r.Created.After(testNow.Add(-10 * time.Minute)):
		case faults.IsLate(r.ID) && r.Created.After(testNow.Add(-130*time.Minute)):
			late++
		default:
			want = append(want, r.ID)
		}
	}
	if got := list(); !slices.Equal(got, want) || late == 0 {
		t.Fatalf("at now: %q; want %q (%d late held back)", got, want, late)
	}
	e.clock.Advance(130 * time.Minute)
	if got, all := list(), recordIDs(truth(t, e.src, from, testNow, signin.Interactive)); !slices.Equal(got, all) {
		t.Fatalf("after LateBy: %d sign-ins; want all %d", len(got), len(all))
	}
}

func TestFaultsValidate(t *testing.T) {
	f := func(faults Faults, want string) {
		t.Helper()
		_, err := New(Options{Source: newFileSource(nil), Faults: faults})
		if !errors.Is(err, ErrBadOption) || err.Error() != want {
			t.Fatalf("%+v: %v; want %q", faults, err, want)
		}
	}
	rule := func(r FaultRule) Faults { return Faults{Rules: []FaultRule{{Kind: FaultReset}, r}} }
	f(rule(FaultRule{Kind: "boom"}), `graphsim: invalid option: Faults.Rules[1]: unknown kind "boom"`)
	f(rule(FaultRule{Kind: FaultStatus, Status: 404}), "graphsim: invalid option: Faults.Rules[1]: status 404 is not one of 403, 429, 500, 502, 503, 504")
	f(rule(FaultRule{Kind: FaultReset, Status: 500}), "graphsim: invalid option: Faults.Rules[1]: Status applies to kind status only")
	f(rule(FaultRule{Kind: FaultStatus, Status: 500, RetryAfter: 3}), "graphsim: invalid option: Faults.Rules[1]: RetryAfter applies to statuses 429 and 503 only")
	f(rule(FaultRule{Kind: FaultReset, Delay: time.Second}), "graphsim: invalid option: Faults.Rules[1]: Delay applies to kind slow only")
	f(rule(FaultRule{Kind: FaultReset, Prob: 1.5}), "graphsim: invalid option: Faults.Rules[1]: Prob 1.5 is not a probability")
	f(rule(FaultRule{Kind: FaultReset, Nth: -1}), "graphsim: invalid option: Faults.Rules[1]: Nth, Every, Times, RetryAfter and Delay must not be negative")
	f(Faults{LateShare: 2, LateBy: time.Minute}, "graphsim: invalid option: Faults.LateShare must be in [0, 1] and LateBy not negative")
}
