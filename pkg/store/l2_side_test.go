package store

import (
	"bytes"
	"net"
	"testing"
	"time"
)

// TestL2SideCacheIsShared: a value one store sets in a side space another
// store of the same namespace and secret reads back; another space, another
// namespace or another secret reads nothing; a value moved to another key
// fails to open and is a miss; a value above one item is not stored; a value
// of the largest size is.
func TestL2SideCacheIsShared(t *testing.T) {
	forEachL2(t, func(t *testing.T, env *l2Env) {
		a, b := env.store(t, &fakeSource{}), env.store(t, &fakeSource{})
		sa, sb := a.SideCache("pushdown"), b.SideCache("pushdown")
		value := []byte(`{"rows":[["a",1]]}`)
		sa.Set("day/2026-03-01", value)
		if got, ok := sb.Get("day/2026-03-01"); !ok || !bytes.Equal(got, value) {
			t.Fatalf("the second store read %q, %v; want %q", got, ok, value)
		}
		if _, ok := sb.Get("day/2026-03-02"); ok {
			t.Fatal("a key never set was found")
		}
		if _, ok := b.SideCache("other").Get("day/2026-03-01"); ok {
			t.Fatal("another space read the value")
		}
		for name, with := range map[string]func(*Config){
			"namespace": func(c *Config) { c.Namespace += "-other" },
			"secret":    func(c *Config) { c.Secret = []byte("secret-2") },
		} {
			if _, ok := env.store(t, &fakeSource{}, with).SideCache("pushdown").Get("day/2026-03-01"); ok {
				t.Fatalf("a store of another %s read the value", name)
			}
		}
		// Moved under another key (a replayed item): fails authentication.
		env.set(t, b, sb.logical("day/2026-03-03"), env.get(t, a, sa.logical("day/2026-03-01")))
		if _, ok := sb.Get("day/2026-03-03"); ok || b.Stats().L2Rejected != 1 {
			t.Fatalf("a moved value was read (rejected %d)", b.Stats().L2Rejected)
		}
		big := bytes.Repeat([]byte("x"), sa.MaxValue())
		sa.Set("big", big)
		if got, ok := sb.Get("big"); !ok || !bytes.Equal(got, big) {
			t.Fatalf("a value of MaxValue (%d bytes) was not stored", len(big))
		}
		sa.Set("bigger", append(big, 'x'))
		if _, ok := sb.Get("bigger"); ok {
			t.Fatal("a value above MaxValue was stored")
		}
		if st := b.Stats(); st.L2Errors != 0 || st.L2Hits != 0 || st.L2Misses != 0 {
			t.Fatalf("side values counted as windows or errors: %+v", st)
		}
	})
}

// TestL2SideCacheKeysAreNotWindows: a side key spelled as a window's cache key
// is another item: the window is still fetched from the source and read
// right, and the side value reads back unchanged.
func TestL2SideCacheKeysAreNotWindows(t *testing.T) {
	forEachL2(t, func(t *testing.T, env *l2Env) {
		want := env.warm(t, day, day.Add(time.Hour))
		s := env.store(t, &fakeSource{})
		side := s.SideCache("pushdown")
		side.Set(winKey(s, day), []byte("not a window"))
		if got := ids(t, s, day, day.Add(time.Hour)); len(got) != len(want) || s.Stats().L2Hits != 1 {
			t.Fatalf("the window read %d sign-ins (L2 hits %d) after a side value under its key; want %d from L2", len(got), s.Stats().L2Hits, len(want))
		}
		if got, ok := side.Get(winKey(s, day)); !ok || string(got) != "not a window" {
			t.Fatalf("side value %q, %v", got, ok)
		}
	})
}

// TestL2SideCacheDownIsAMiss: with memcached down, Get is a miss and Set does
// nothing, both at once after the first failure (L2 backs off), and a store
// without memcached has no side cache at all.
func TestL2SideCacheDownIsAMiss(t *testing.T) {
	if (New(&fakeSource{}, Config{Now: closedNow})).SideCache("pushdown") != nil {
		t.Fatal("a store without memcached has a side cache")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := New(&fakeSource{}, Config{Now: closedNow, Namespace: "side-down", MemcachedAddresses: addr, Secret: []byte("s")})
	defer s.Close()
	side := s.SideCache("pushdown")
	side.Set("k", []byte("v"))
	start := time.Now()
	for range 100 {
		if _, ok := side.Get("k"); ok {
			t.Fatal("a value was read from a memcached that is down")
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("100 lookups took %v while L2 backs off", d)
	}
	if st := s.Stats(); st.L2Errors != 1 {
		t.Fatalf("L2 errors %d; want the one failed operation before the back-off", st.L2Errors)
	}
	s.Close()
	if _, ok := side.Get("k"); ok {
		t.Fatal("a closed store's side cache answered")
	}
}
