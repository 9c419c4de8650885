package pushdown

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim"
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// sharedCache is the store's side cache in a memcached at addr, under a
// namespace and secret: stores made with the same ones share their values,
// as the replicas of one datasource do.
func sharedCache(t *testing.T, addr, ns string) *store.SideCache {
	t.Helper()
	st := store.New(nil, store.Config{MemcachedAddresses: addr, Namespace: ns, Secret: []byte("pushdown-l2-test")})
	t.Cleanup(func() { st.Close() })
	side := st.SideCache("pushdown")
	if side == nil {
		t.Fatal("a store with memcached has no side cache")
	}
	return side
}

// TestSecondRunnerReadsSettledDaysFromMemcached: two Runners, each with its
// own L1, share a memcached (two replicas, or a datasource re-created). The
// first asks every settled day once; the second answers them from memcached
// and asks the workspace only for the part of the range not settled, with
// the same result. A Runner whose memcached is down asks for everything and
// answers the same. Needs SIGNINLENS_TEST_MEMCACHED.
func TestSecondRunnerReadsSettledDaysFromMemcached(t *testing.T) {
	addr := os.Getenv("SIGNINLENS_TEST_MEMCACHED")
	if addr == "" {
		t.Skip("set SIGNINLENS_TEST_MEMCACHED=host:port to run against memcached")
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	ns := "pushdown-test-" + hex.EncodeToString(b) // memcached keeps values between runs
	ws := startWorkspace(t, graphsim.WorkspaceOptions{})
	now := time.Now().UTC()
	rng := query.Range{From: now.Truncate(24 * time.Hour).Add(-3 * 24 * time.Hour), To: now, Interval: time.Hour}
	q := parse(t, map[string]any{"logType": "interactive", "metric": "failures", "groupBy": []string{"app", "status"}, "timeAggregate": "1h", "limit": 4})
	want, err := ws.engine.Run(context.Background(), q, rng)
	if err != nil {
		t.Fatal(err)
	}
	run := func(l2 Cache) (*countingWorkspace, query.Result) {
		t.Helper()
		counted := &countingWorkspace{next: ws.client}
		r := &Runner{Workspace: counted, Cache: Tiered{L1: NewL1(32 << 20), L2: l2}, Settle: time.Hour}
		got, err := ws.engine.Counted(context.Background(), q, rng, r)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(want, got); d != "" {
			t.Fatal(d)
		}
		return counted, got
	}
	first, _ := run(sharedCache(t, addr, ns))
	if first.asked.Load() < 3 {
		t.Fatalf("the first Runner asked %d queries; want each settled day and the rest", first.asked.Load())
	}
	second, _ := run(sharedCache(t, addr, ns))
	if second.asked.Load() != 1 || second.spans[0] > 25*time.Hour {
		t.Fatalf("the second Runner asked %d queries spanning %v; want one, for the part not settled: the settled days are memcached's", second.asked.Load(), second.spans)
	}
	if other, _ := run(sharedCache(t, addr, ns+"-other")); other.asked.Load() != first.asked.Load() {
		t.Fatalf("a Runner of another namespace asked %d queries; want all %d: it shares nothing", other.asked.Load(), first.asked.Load())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close()
	if d, _ := run(sharedCache(t, down, ns)); d.asked.Load() != first.asked.Load() {
		t.Fatalf("with memcached down the Runner asked %d queries; want all %d", d.asked.Load(), first.asked.Load())
	}
}

// mapCache is a Cache in a map, counting its reads.
type mapCache struct {
	m    map[string][]byte
	gets int
}

func (c *mapCache) Get(k string) ([]byte, bool) { c.gets++; v, ok := c.m[k]; return v, ok }
func (c *mapCache) Set(k string, v []byte)      { c.m[k] = v }

// TestTiered: L1 answers first; an L2 hit is copied into L1; Set writes both.
func TestTiered(t *testing.T) {
	l1, l2 := &mapCache{m: map[string][]byte{}}, &mapCache{m: map[string][]byte{"k": []byte("v")}}
	c := Tiered{L1: l1, L2: l2}
	for range 2 {
		if v, ok := c.Get("k"); !ok || string(v) != "v" {
			t.Fatalf("got %q %v", v, ok)
		}
	}
	if l2.gets != 1 || string(l1.m["k"]) != "v" {
		t.Fatalf("L2 read %d times; L1 holds %q; want once, then L1", l2.gets, l1.m["k"])
	}
	c.Set("n", []byte("w"))
	if string(l1.m["n"]) != "w" || string(l2.m["n"]) != "w" {
		t.Fatal("Set did not write both")
	}
	if _, ok := c.Get("none"); ok {
		t.Fatal("a miss in both was a hit")
	}
}
