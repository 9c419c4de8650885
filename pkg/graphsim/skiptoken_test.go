package graphsim

import (
	"errors"
	"testing"
	"time"
)

func TestSkipTokenRoundTrip(t *testing.T) {
	c := cursor{created: time.Date(2026, 1, 13, 14, 7, 0, 123456700, time.UTC), id: "ef1e1fcc-80bd-489b-82c5-16ad80770e00"}
	h := queryHash("beta", "appId eq 'x'")
	tok := encodeSkipToken(c, h)
	got, err := decodeSkipToken(tok, h)
	if err != nil || !got.created.Equal(c.created) || got.id != c.id {
		t.Fatalf("decode(encode(%v)) = %v, %v", c, got, err)
	}
	f := func(token string, hash uint64, want string) {
		t.Helper()
		_, err := decodeSkipToken(token, hash)
		if !errors.Is(err, ErrBadSkipToken) || err.Error() != want {
			t.Fatalf("decodeSkipToken(%q): %v; want %q", token, err, want)
		}
	}
	f(tok, queryHash("v1.0", "appId eq 'x'"), "invalid skip token: token was issued for another query")
	f(tok, queryHash("beta", "appId eq 'y'"), "invalid skip token: token was issued for another query")
	f(tok[:10], h, "invalid skip token: malformed token")
	f("AA"+tok[2:], h, "invalid skip token: malformed token") // wrong version byte
	f(tok+"=", h, "invalid skip token: malformed token")
}

func TestCursorBefore(t *testing.T) {
	at := time.Date(2026, 1, 13, 14, 0, 0, 0, time.UTC)
	c := cursor{created: at, id: "m"}
	f := func(created time.Time, id string, want bool) {
		t.Helper()
		if got := c.before(&Record{Created: created, ID: id}); got != want {
			t.Fatalf("cursor %v before (%s, %s) = %v; want %v", c, created, id, got, want)
		}
	}
	f(at.Add(-time.Nanosecond), "z", true)
	f(at, "l", true)
	f(at, "m", false)
	f(at, "n", false)
	f(at.Add(time.Nanosecond), "a", false)
}

func TestHourCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := newHourCache(2)
	k := func(h int64) hourKey { return hourKey{unix: h * 3600} }
	c.put(k(1), []Record{{ID: "1"}})
	c.put(k(2), []Record{{ID: "2"}})
	c.get(k(1)) // 2 is now the least recently used
	c.put(k(3), []Record{{ID: "3"}})
	f := func(h int64, want bool) {
		t.Helper()
		if _, ok := c.get(k(h)); ok != want {
			t.Fatalf("hour %d cached = %v; want %v", h, ok, want)
		}
	}
	f(1, true)
	f(2, false)
	f(3, true)
	c.put(k(3), []Record{{ID: "3b"}})
	if recs, _ := c.get(k(3)); recs[0].ID != "3b" || c.order.Len() != 2 {
		t.Fatalf("replacing an entry: got %v, %d entries", recs, c.order.Len())
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	src := newFileSource(nil)
	f := func(o Options, want error) {
		t.Helper()
		if _, err := New(o); !errors.Is(err, want) {
			t.Fatalf("New(%+v): %v; want %v", o, err, want)
		}
	}
	f(Options{}, ErrNoSource)
	f(Options{Source: src, Throttle: -1}, ErrBadOption)
	f(Options{Source: src, Delay: -time.Second}, ErrBadOption)
	f(Options{Source: src, TokenLifetime: -time.Second}, ErrBadOption)
}
