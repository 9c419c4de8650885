package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"net"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"

	"github.com/grafana/dskit/cache"
	"github.com/grafana/dskit/flagext"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The L2 tests run each scenario against dskit's in-memory mock cache, and
// against a real memcached when SIGNINLENS_TEST_MEMCACHED names one, e.g.
//
//	memcached -d -l 127.0.0.1 -p 11211
//	SIGNINLENS_TEST_MEMCACHED=127.0.0.1:11211 go test ./pkg/store/ -run L2
//
// Memcached keeps values between runs, so every test uses a namespace of its own.

// l2Env is one backend of a test: a base config for its stores and a raw client
// that reaches the same items, for tampering.
type l2Env struct {
	base Config
	raw  cache.Cache
}

// forEachL2 runs fn once per available backend.
func forEachL2(t *testing.T, fn func(t *testing.T, env *l2Env)) {
	t.Run("mock", func(t *testing.T) {
		mock := cache.NewMockCache()
		fn(t, &l2Env{base: l2Base(t, func(c *Config) { c.l2Cache = mock }), raw: mock})
	})
	t.Run("memcached", func(t *testing.T) {
		addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
		if addr == "" {
			t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run against memcached")
		}
		fn(t, &l2Env{base: l2Base(t, func(c *Config) { c.MemcachedAddresses = addr }), raw: rawMemcached(t, addr)})
	})
}

func l2Base(t *testing.T, with func(*Config)) Config {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	cfg := Config{Now: closedNow, Namespace: "l2test-" + hex.EncodeToString(b), Secret: []byte("secret-1")}
	with(&cfg)
	return cfg
}

// rawMemcached is a plain dskit client, outside any store.
func rawMemcached(t *testing.T, addr string) cache.Cache {
	t.Helper()
	var cfg cache.MemcachedClientConfig
	cfg.RegisterFlagsWithPrefix("", flag.NewFlagSet("raw", flag.ContinueOnError))
	cfg.Addresses = flagext.StringSliceCSV{addr}
	cfg.Timeout = time.Second
	c, err := cache.NewMemcachedClientWithConfig(kitLogger{}, "raw", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

// store returns a store on the backend, closed when the test ends.
func (e *l2Env) store(t *testing.T, src Source, with ...func(*Config)) *Store {
	t.Helper()
	cfg := e.base
	for _, w := range with {
		w(&cfg)
	}
	s := New(src, cfg)
	t.Cleanup(func() { s.Close() })
	return s
}

// get reads the sealed item of a logical key as the backend holds it.
func (e *l2Env) get(t *testing.T, s *Store, logical string) []byte {
	t.Helper()
	name := s.l2.itemName(logical)
	v, ok := e.raw.GetMulti(context.Background(), []string{name})[name]
	if !ok {
		t.Fatalf("%s is not in L2", logical)
	}
	return v
}

func (e *l2Env) set(t *testing.T, s *Store, logical string, v []byte) {
	t.Helper()
	if err := e.raw.Set(context.Background(), s.l2.itemName(logical), v, time.Hour); err != nil {
		t.Fatal(err)
	}
}

// ids lists the sign-ins of [from, to), oldest first.
func ids(t *testing.T, s *Store, from, to time.Time) []string {
	t.Helper()
	var out []string
	err := scanEvents(s, context.Background(), signin.Interactive, from, to, func(e *signin.Event) {
		out = append(out, e.ID+"@"+e.Created.Format(time.RFC3339))
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func winKey(s *Store, start time.Time) string {
	return cacheKey(s.ns, signin.Interactive, window{start: start, size: time.Hour})
}

// warm fetches [from, to) through a first store and closes it, which waits for
// its writes to L2, and returns the sign-ins it answered.
func (e *l2Env) warm(t *testing.T, from, to time.Time, with ...func(*Config)) []string {
	t.Helper()
	src := &fakeSource{}
	s := e.store(t, src, with...)
	want := ids(t, s, from, to)
	if got, n := len(want), int(to.Sub(from)/time.Minute); got != n {
		t.Fatalf("unexpected sign-ins from the source; got %d; want %d", got, n)
	}
	s.Close()
	if st := s.Stats(); st.L2Misses != int64(to.Sub(from)/time.Hour) || st.L2Hits != 0 || st.L2Errors != 0 {
		t.Fatalf("unexpected stats of the first store %+v", st)
	}
	return want
}

func checkStats(t *testing.T, name string, got Stats, want Stats) {
	t.Helper()
	if got.L2Hits != want.L2Hits || got.L2Misses != want.L2Misses || got.L2Errors != want.L2Errors ||
		got.L2Rejected != want.L2Rejected || got.L2Waits != want.L2Waits || got.SourceRequests != want.SourceRequests {
		t.Fatalf("%s: unexpected stats; got hits %d misses %d errors %d rejected %d waits %d requests %d; want %d %d %d %d %d %d", name,
			got.L2Hits, got.L2Misses, got.L2Errors, got.L2Rejected, got.L2Waits, got.SourceRequests,
			want.L2Hits, want.L2Misses, want.L2Errors, want.L2Rejected, want.L2Waits, want.SourceRequests)
	}
}

func TestL2SecondStoreAnswersWithoutSource(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		from, to := day, day.Add(6*time.Hour)
		want := e.warm(t, from, to)
		src := &fakeSource{}
		s := e.store(t, src)
		if got := ids(t, s, from, to); !slices.Equal(got, want) {
			t.Fatalf("unexpected sign-ins from L2: %d, want %d", len(got), len(want))
		}
		checkStats(t, "second store", s.Stats(), Stats{L2Hits: 6})
		if got := src.calls.Load(); got != 0 {
			t.Fatalf("unexpected source calls; got %d; want 0", got)
		}
		// An L2 hit goes into L1 too: the windows survive the hot set.
		if st := s.Stats(); st.WindowsCached != 6 || st.EventsCached != 360 || st.BytesCached == 0 {
			t.Fatalf("unexpected L1 after L2 hits %+v", st)
		}
	})
}

func TestL2OtherNamespaceOrSecretReadsNothing(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		from, to := day, day.Add(2*time.Hour)
		e.warm(t, from, to)
		f := func(name string, with func(*Config)) {
			t.Helper()
			src := &fakeSource{}
			s := e.store(t, src, with)
			if got, want := count(t, s, from, to), 120; got != want {
				t.Fatalf("%s: unexpected count; got %d; want %d", name, got, want)
			}
			checkStats(t, name, s.Stats(), Stats{L2Misses: 2, SourceRequests: 1})
		}
		f("other namespace", func(c *Config) { c.Namespace += "-other" })
		f("other secret", func(c *Config) { c.Secret = []byte("secret-2") })
		f("no secret", func(c *Config) { c.Secret = nil })
	})
}

func TestL2RejectsForgedValues(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		from, to := day, day.Add(2*time.Hour)
		f := func(name string, forge func(s *Store, value, other []byte) []byte) {
			t.Helper()
			e.base = l2Base(t, func(c *Config) { c.l2Cache, c.MemcachedAddresses = e.base.l2Cache, e.base.MemcachedAddresses })
			want := e.warm(t, from, to)
			ref := e.store(t, &fakeSource{})
			first, second := winKey(ref, from), winKey(ref, from.Add(time.Hour))
			e.set(t, ref, first, forge(ref, e.get(t, ref, first), e.get(t, ref, second)))

			src := &fakeSource{}
			s := e.store(t, src)
			if got := ids(t, s, from, to); !slices.Equal(got, want) {
				t.Fatalf("%s: unexpected sign-ins; got %d; want %d", name, len(got), len(want))
			}
			checkStats(t, name, s.Stats(), Stats{L2Hits: 1, L2Misses: 1, L2Rejected: 1, SourceRequests: 1})
			s.Close()
			// The refetched window was written back: a third store reads both.
			third := e.store(t, &fakeSource{})
			if got := ids(t, third, from, to); !slices.Equal(got, want) {
				t.Fatalf("%s: unexpected sign-ins after the rewrite", name)
			}
			checkStats(t, name+", rewritten", third.Stats(), Stats{L2Hits: 2})
		}
		f("garbage", func(_ *Store, _, _ []byte) []byte { return []byte("garbage") })
		f("flipped bit", func(_ *Store, v, _ []byte) []byte { v[len(v)/2] ^= 1; return v })
		f("truncated", func(_ *Store, v, _ []byte) []byte { return v[:len(v)-1] })
		f("copied from the next window", func(_ *Store, _, other []byte) []byte { return other })
		f("another datasource's", func(s *Store, _, _ []byte) []byte {
			cfg := e.base
			cfg.Namespace, cfg.Secret = "another", []byte("another secret")
			cfg.applyDefaults()
			l, err := newL2(cfg) // another datasource's key
			if err != nil {
				t.Fatal(err)
			}
			data, err := block.Encode(nil, winKey(s, from), block.New(signin.Interactive, from, from.Add(time.Hour), nil, block.NewProfiles()))
			if err != nil {
				t.Fatal(err)
			}
			items, err := l.split(winKey(s, from), data)
			if err != nil {
				t.Fatal(err)
			}
			return items[0].value
		})
	})
}

// tinyItems makes every window of the fake source (about 1.6 KB) span parts.
func tinyItems(c *Config) { c.MemcachedItemBytes = minItemBytes }

func TestL2SplitsValuesAboveTheItemLimit(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		from, to := day, day.Add(3*time.Hour)
		want := e.warm(t, from, to, tinyItems)
		src := &fakeSource{}
		s := e.store(t, src, tinyItems)
		m, err := s.l2.parseManifest(winKey(s, from), e.get(t, s, winKey(s, from)))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.parts) < 3 {
			t.Fatalf("unexpected parts; got %d; want at least 3", len(m.parts))
		}
		if got := ids(t, s, from, to); !slices.Equal(got, want) {
			t.Fatalf("unexpected sign-ins from parts; got %d; want %d", len(got), len(want))
		}
		checkStats(t, "parts", s.Stats(), Stats{L2Hits: 3})
	})
}

func TestL2DamagedOrMissingPart(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		from, to := day, day.Add(time.Hour)
		f := func(name string, damage func(s *Store, part string), want Stats) {
			t.Helper()
			e.base = l2Base(t, func(c *Config) { c.l2Cache, c.MemcachedAddresses = e.base.l2Cache, e.base.MemcachedAddresses })
			e.warm(t, from, to, tinyItems)
			ref := e.store(t, &fakeSource{}, tinyItems)
			m, err := ref.l2.parseManifest(winKey(ref, from), e.get(t, ref, winKey(ref, from)))
			if err != nil {
				t.Fatal(err)
			}
			damage(ref, m.partKeys(winKey(ref, from))[1])
			src := &fakeSource{}
			s := e.store(t, src, tinyItems)
			if got, want := count(t, s, from, to), 60; got != want {
				t.Fatalf("%s: unexpected count; got %d; want %d", name, got, want)
			}
			checkStats(t, name, s.Stats(), want)
		}
		f("truncated part", func(s *Store, part string) {
			v := e.get(t, s, part)
			e.set(t, s, part, v[:len(v)-10])
		}, Stats{L2Misses: 1, L2Rejected: 1, SourceRequests: 1})
		f("evicted part", func(s *Store, part string) {
			if err := e.raw.Delete(context.Background(), s.l2.itemName(part)); err != nil {
				t.Fatal(err)
			}
		}, Stats{L2Misses: 1, SourceRequests: 1})
	})
}

// signalSource is a fakeSource that reports each call on entered and answers
// once open is closed, or fails when fail is set.
type signalSource struct {
	fakeSource
	entered chan struct{}
	open    chan struct{}
}

func (g *signalSource) ListSignIns(ctx context.Context, t signin.LogType, from, to time.Time, fn func([]signin.Event) error) error {
	g.entered <- struct{}{}
	select {
	case <-g.open:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.fakeSource.ListSignIns(ctx, t, from, to, fn)
}

// leaseRace runs a scan on a store whose source blocks, so that it holds the
// window's lease, and a second scan on another store that waits for it. It
// returns the second store's source and stats once both scans are done.
func leaseRace(t *testing.T, e *l2Env, firstFails bool) (*fakeSource, Stats) {
	t.Helper()
	from, to := day, day.Add(time.Hour)
	first := &signalSource{entered: make(chan struct{}, 1), open: make(chan struct{})}
	first.fail.Store(firstFails)
	s1 := e.store(t, first)
	src2 := &fakeSource{}
	s2 := e.store(t, src2)
	waiting := make(chan struct{})
	s2.l2.onWait = func() { close(waiting) }

	var wg sync.WaitGroup
	results := make([]int, 2)
	scan := func(i int, s *Store) {
		defer wg.Done()
		n := 0
		err := scanEvents(s, context.Background(), signin.Interactive, from, to, func(*signin.Event) { n++ })
		if err != nil && !(i == 0 && firstFails) {
			t.Errorf("store %d: %v", i+1, err)
		}
		results[i] = n
	}
	wg.Add(2)
	go scan(0, s1)
	<-first.entered // the first store holds the lease and is fetching
	go scan(1, s2)
	<-waiting // the second store found the lease taken
	close(first.open)
	wg.Wait()
	want := []int{60, 60}
	if firstFails {
		want[0] = 0
	}
	if !slices.Equal(results, want) {
		t.Fatalf("unexpected counts %v; want %v", results, want)
	}
	if got := first.calls.Load(); got != 1 {
		t.Fatalf("unexpected calls of the first source; got %d; want 1", got)
	}
	return src2, s2.Stats()
}

func TestL2LeaseSharesOneFetch(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		src2, st := leaseRace(t, e, false)
		if got := src2.calls.Load(); got != 0 {
			t.Fatalf("the waiting store called its source %d times; want 0", got)
		}
		checkStats(t, "waiting store", st, Stats{L2Misses: 1, L2Hits: 1, L2Waits: 1})
	})
}

func TestL2LeaseReleasedOnFailure(t *testing.T) {
	forEachL2(t, func(t *testing.T, e *l2Env) {
		src2, st := leaseRace(t, e, true)
		if got := src2.calls.Load(); got != 1 {
			t.Fatalf("the waiting store called its source %d times; want 1 (the lease holder failed)", got)
		}
		checkStats(t, "waiting store", st, Stats{L2Misses: 1, L2Waits: 1, SourceRequests: 1})
	})
}

func TestL2DownFallsBackToSource(t *testing.T) {
	// A port that was just free: connections are refused at once.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	src := &fakeSource{}
	s := New(src, Config{Now: closedNow, Namespace: "down", MemcachedAddresses: addr})
	defer s.Close()
	if got, want := count(t, s, day, day.Add(6*time.Hour)), 360; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	// The failed lookup backs L2 off: no lease, no write is tried after it.
	checkStats(t, "down", s.Stats(), Stats{L2Errors: 1, SourceRequests: 1})
	if got, want := count(t, s, day, day.Add(6*time.Hour)), 360; got != want || src.calls.Load() != 1 {
		t.Fatalf("unexpected second answer; count %d, source calls %d; want %d, 1", got, src.calls.Load(), want)
	}
}

func TestL2UnresolvableAddressIsNoError(t *testing.T) {
	src := &fakeSource{}
	// The client cannot be built (the port does not parse; no DNS is asked),
	// and the store runs without L2, retrying in the background.
	s := New(src, Config{Now: closedNow, Namespace: "none", MemcachedAddresses: "127.0.0.1:no-port"})
	defer s.Close()
	if got, want := count(t, s, day, day.Add(time.Hour)), 60; got != want {
		t.Fatalf("unexpected count; got %d; want %d", got, want)
	}
	if s.l2 == nil || s.l2.cache() != nil {
		t.Fatal("expected L2 configured but not connected")
	}
	checkStats(t, "unresolvable", s.Stats(), Stats{SourceRequests: 1})
}
