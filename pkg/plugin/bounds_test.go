package plugin

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
)

func demo(t *testing.T, jsonData string) *Datasource {
	t.Helper()
	inst := newInstance(t, jsonData, nil)
	ds, ok := inst.(*Datasource)
	if !ok {
		t.Fatalf("the datasource did not start: %q", health(t, inst).Message)
	}
	return ds
}

func ask(t *testing.T, ds *Datasource, from, to time.Time, q string) backend.DataResponse {
	t.Helper()
	resp, err := ds.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", Interval: time.Hour,
		TimeRange: backend.TimeRange{From: from, To: to}, JSON: []byte(q)}}})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Responses["A"]
}

// TestRangesAreBounded: a range reaching 2262, one longer than maxRangeDays
// and one of Graph's before its retention are refused at once, as a bad
// request of the user's, naming the bound.
func TestRangesAreBounded(t *testing.T) {
	ds := demo(t, `{"source":"demo","demoSize":"small","maxRangeDays":10}`)
	now := time.Now()
	for _, tc := range []struct {
		name     string
		from, to time.Time
		want     string
	}{
		{"to 2262", now.Add(-time.Hour), time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC), "no source holds sign-ins of the future"},
		{"1700 to now", time.Date(1700, 1, 1, 0, 0, 0, 0, time.UTC), now, "before Entra ID had sign-ins"},
		{"a year", now.Add(-365 * 24 * time.Hour), now, "maxRangeDays"},
		{"eleven days", now.Add(-11 * 24 * time.Hour), now, "the time range is 11 days long; at most 10"},
	} {
		start := time.Now()
		res := ask(t, ds, tc.from, tc.to, `{"format":"table"}`)
		if res.Error == nil || !strings.Contains(res.Error.Error(), tc.want) || res.Status != backend.StatusBadRequest || res.ErrorSource != backend.ErrorSourceDownstream {
			t.Fatalf("%s: %v (status %d, source %q); want a 400 from downstream naming %q", tc.name, res.Error, res.Status, res.ErrorSource, tc.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("%s took %s to refuse", tc.name, d)
		}
	}
	if st := ds.store.Stats(); st.WindowsPending != 0 || st.WindowsCached != 0 {
		t.Fatalf("refused ranges loaded windows: %+v", st)
	}
}

// TestBadQueryIsTheUsersAndEchoesLittle: a megabyte logType is a 400 from
// downstream whose message quotes a short prefix only.
func TestBadQueryIsTheUsersAndEchoesLittle(t *testing.T) {
	ds := demo(t, `{"source":"demo","demoSize":"small"}`)
	res := ask(t, ds, time.Now().Add(-time.Hour), time.Now(), `{"logType":"`+strings.Repeat("x", 1<<20)+`"}`)
	if res.Error == nil || res.Status != backend.StatusBadRequest || res.ErrorSource != backend.ErrorSourceDownstream || len(res.Error.Error()) > 500 {
		t.Fatalf("status %d, source %q, %d-byte error", res.Status, res.ErrorSource, len(res.Error.Error()))
	}
}

// TestValuesResourceIsBounded: the values resource refuses what a query
// would: the year 0001, a range past maxRangeDays.
func TestValuesResourceIsBounded(t *testing.T) {
	ds := demo(t, `{"source":"demo","demoSize":"small"}`)
	for _, tc := range []struct{ query, want string }{
		{"key=app&from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z&limit=5", "before Entra ID had sign-ins"},
		{"key=app&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "maxRangeDays"}} {
		var status int
		var body string
		err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodGet, Path: "values", URL: "values?" + tc.query},
			backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
				status, body = r.Status, string(r.Body)
				return nil
			}))
		if err != nil || status != http.StatusBadRequest || !strings.Contains(body, tc.want) {
			t.Fatalf("%s: %v %d %s", tc.query, err, status, body)
		}
	}
}

// TestMemcachedNeedsASecret: a demo datasource (whose key would derive from
// public settings alone) does not use memcached without the server's
// cache_secret, says why in its health and stats, and never connects.
func TestMemcachedNeedsASecret(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	jd := `{"source":"demo","demoSize":"small","memcachedAddresses":"` + ln.Addr().String() + `"}`
	ds := demo(t, jd)
	if res := health(t, ds); res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "memcached is not used") || !strings.Contains(res.Message, "GF_PLUGIN_CACHE_SECRET") {
		t.Fatalf("health %q; want a note that memcached is off and why", res.Message)
	}
	ask(t, ds, time.Now().Add(-3*time.Hour), time.Now().Add(-2*time.Hour), `{"format":"table"}`)
	if w := ds.allWarnings(); len(w) != 1 || conns.Load() != 0 {
		t.Fatalf("warnings %q, %d connections to memcached; want one warning and none", w, conns.Load())
	}
	t.Setenv(envCacheSecret, "server-secret")
	ds = demo(t, jd)
	if len(ds.warnings) != 0 || ds.store == nil {
		t.Fatalf("with cache_secret: warnings %q", ds.warnings)
	}
}

// TestEndpointPortsAreValidated: a port out of range is a setting error at
// once, not a minute of retries.
func TestEndpointPortsAreValidated(t *testing.T) {
	t.Setenv(envAllowCustomEndpoints, "true")
	start := time.Now()
	refused(t, newInstance(t, `{"source":"graph","tenantId":"t","clientId":"c","graphEndpoint":"https://127.0.0.1:99999"}`, map[string]string{"clientSecret": "s"}), `port "99999"; want 1 to 65535`)
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("took %s", d)
	}
}

// TestValidateResource: the editor's code mode gets the message QueryData
// would give, and nothing runs.
func TestValidateResource(t *testing.T) {
	ds := demo(t, `{"source":"demo","demoSize":"small"}`)
	for _, tc := range []struct{ body, want string }{
		{`{"logType":"interactive","metric":"count","groupBy":["app"]}`, `{"error":""}`},
		{`{"metric":"lastSignIn"}`, `metric lastSignIn is a time, answered by format table only`},
		{`{"groupBy":["password"]}`, `unknown dimension \"password\"`},
		{`{"logType":`, `invalid query`},
	} {
		var status int
		var body string
		err := ds.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodPost, Path: "validate", URL: "validate", Body: []byte(tc.body)},
			backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
				status, body = r.Status, string(r.Body)
				return nil
			}))
		if err != nil || status != http.StatusOK || !strings.Contains(body, tc.want) {
			t.Fatalf("%s: %v %d %s; want %s", tc.body, err, status, body, tc.want)
		}
	}
}

func TestTailPathIsTheQuerysCanonicalDigest(t *testing.T) {
	ds := demo(t, `{"source":"demo","demoSize":"small"}`)
	path := func(raw string) (string, error) {
		t.Helper()
		q, err := ds.tailQuery([]byte(raw))
		if err != nil {
			return "", err
		}
		return tailPath(q)
	}
	a, err := path(`{"logType":"interactive","filters":[{"key":"app","op":"=","value":"Teams"}],"limit":100}`)
	if err != nil {
		t.Fatal(err)
	}
	// Grafana may pass the subscription's data with other spacing, key order
	// and keys the query does not read.
	b, err := path(`{ "limit": 100.0, "refId": "A", "filters": [{"value":"Teams","op":"=","key":"app"}], "logType": "interactive" }`)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := path(`{"logType":"interactive","filters":[{"key":"app","op":"=","value":"Outlook"}],"limit":100}`)
	if a != b || a == c || !strings.HasPrefix(a, tailPathPrefix) || len(a) > 64 {
		t.Fatalf("tail paths %q, %q, %q; want the first two equal, the third different, each short", a, b, c)
	}
	// Keys that differ only in case would read as whichever came last: both
	// orders are refused, so no channel can name two log types.
	for _, raw := range []string{`{"logType":"interactive","LogType":"servicePrincipal"}`, `{"LogType":"servicePrincipal","logType":"interactive"}`,
		`{"filters":[{"key":"app","Key":"user","op":"=","value":"x"}]}`} {
		if _, err := path(raw); !errors.Is(err, query.ErrInvalidQuery) || !strings.Contains(err.Error(), "case-sensitive") {
			t.Fatalf("%s: err %v; want the key refused as case-sensitive", raw, err)
		}
	}
	if _, err := path(`{"logType":`); !errors.Is(err, query.ErrInvalidQuery) {
		t.Fatalf("unexpected error %v for broken JSON; want ErrInvalidQuery", err)
	}
}
