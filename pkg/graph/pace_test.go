package graph

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
)

// Every HTTP attempt takes a token from the pacer: each page and each retry.
func TestPacerChargedPerAttempt(t *testing.T) {
	var g *fakeGraph
	g = newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		switch n {
		case 0:
			writeJSON(w, 429, `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`) // no Retry-After
		case 1:
			writeJSON(w, 503, `{"error":{"code":"ServiceUnavailable","message":"try later"}}`)
		case 2:
			writeJSON(w, 200, pageBody(g.srv.URL+"/beta/auditLogs/signIns?$top=1000&$skiptoken=x", record{"a", "2026-01-13T14:59:00Z"}))
		case 3:
			writeJSON(w, 500, `{}`)
		default:
			writeJSON(w, 200, pageBody("", record{"b", "2026-01-13T14:30:00Z"}))
		}
	})
	p := pace.New(1000, time.Second)
	c, _, rec := testClient(t, g, func(c *Config) { c.Pacer = p })
	pages, err := collect(context.Background(), c, winFrom, winTo)
	if err != nil || len(pages) != 2 {
		t.Fatalf("unexpected result %v, %v", pages, err)
	}
	if n, retries := len(g.requests()), len(rec.retries); n != 5 || retries != 3 {
		t.Fatalf("unexpected %d requests, %d retries; want 5 and 3", n, retries)
	}
	if got := p.Charged(); got != 5 {
		t.Fatalf("unexpected tokens taken %d; want 5, one per request Graph saw", got)
	}
}

// A 429's Retry-After pushes the shared pacer back: the retry, and any other
// request sharing the pacer, waits for it even when the client itself does not
// sleep (rec.sleep returns at once).
func TestThrottledPushesPacerBack(t *testing.T) {
	var mu sync.Mutex
	var arrived []time.Time
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) {
		mu.Lock()
		arrived = append(arrived, time.Now())
		mu.Unlock()
		if n == 0 {
			w.Header().Set("Retry-After", "1")
			writeJSON(w, 429, `{"error":{"code":"TooManyRequests","message":"Too many requests"}}`)
			return
		}
		writeJSON(w, 200, oneRecord)
	})
	p := pace.New(1000, time.Second)
	c, _, rec := testClient(t, g, func(c *Config) { c.Pacer = p })
	if _, err := collect(context.Background(), c, winFrom, winTo); err != nil {
		t.Fatal(err)
	}
	if len(arrived) != 2 || len(rec.sleeps) != 1 {
		t.Fatalf("unexpected %d requests, %d waits; want 2 and 1", len(arrived), len(rec.sleeps))
	}
	if d := arrived[1].Sub(arrived[0]); d < 900*time.Millisecond {
		t.Fatalf("the retry arrived %s after the 429; want ≥ 1 s (Retry-After)", d)
	}
	// Another caller of the pacer waits too.
	p.PushBack(time.Second)
	start := time.Now()
	if _, err := p.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Fatalf("a token was handed out %s after a push-back of 1 s", d)
	}
}

// A request is charged when it was written (plus arrivalMargin), not when its
// token was taken.
func TestPacerDatedWhenWritten(t *testing.T) {
	g := newFakeGraph(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, oneRecord) })
	p := pace.New(1, 10*time.Second)
	c, _, _ := testClient(t, g, func(c *Config) { c.Pacer = p })
	before := time.Now()
	if _, err := collect(context.Background(), c, winFrom, winTo); err != nil {
		t.Fatal(err)
	}
	next := p.Reserve(time.Now())
	defer next.Cancel()
	if d := next.At().Sub(before); d < 10*time.Second+arrivalMargin {
		t.Fatalf("next token %s after the request started; want ≥ 10 s + %s (charged when written)", d, arrivalMargin)
	}
}
