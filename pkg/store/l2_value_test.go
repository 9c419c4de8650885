package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/dskit/cache"
)

func testL2(t *testing.T, itemBytes int, ns string, secret string) *l2 {
	t.Helper()
	cfg := Config{Namespace: ns, Secret: []byte(secret), MemcachedItemBytes: itemBytes, l2Cache: cache.NewMockCache()}
	cfg.applyDefaults()
	l, err := newL2(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestL2SealOpen(t *testing.T) {
	l := testL2(t, 0, "ns-1", "secret-1")
	sealed := l.seal("v1:ns-1:interactive:0:3600", []byte("block"))
	f := func(name, key string, value []byte, want string) {
		t.Helper()
		plain, err := l.open(key, value)
		if want == "" {
			if err != nil || string(plain) != "block" {
				t.Fatalf("%s: unexpected open; got %q, %v; want \"block\"", name, plain, err)
			}
			return
		}
		if !errors.Is(err, ErrBadEntry) || plain != nil {
			t.Fatalf("%s: unexpected open; got %q, %v; want an ErrBadEntry", name, plain, err)
		}
	}
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)/2] ^= 1
	f("intact", "v1:ns-1:interactive:0:3600", sealed, "")
	f("other key", "v1:ns-1:interactive:3600:3600", sealed, "bad")
	f("flipped", "v1:ns-1:interactive:0:3600", flipped, "bad")
	f("truncated", "v1:ns-1:interactive:0:3600", sealed[:len(sealed)-1], "bad")
	f("empty", "v1:ns-1:interactive:0:3600", nil, "bad")
	f("garbage", "v1:ns-1:interactive:0:3600", []byte(strings.Repeat("x", 64)), "bad")
	for _, other := range []*l2{testL2(t, 0, "ns-2", "secret-1"), testL2(t, 0, "ns-1", "secret-2")} {
		if _, err := other.open("v1:ns-1:interactive:0:3600", sealed); !errors.Is(err, ErrBadEntry) {
			t.Fatalf("another datasource's key opened the value: %v", err)
		}
	}
}

func TestL2ItemNames(t *testing.T) {
	l := testL2(t, 0, "ns with spaces / and a very long tail that is surely longer than sixty-four characters", "s")
	key := cacheKey(namespaceKey("x"), 0, window{start: day, size: time.Hour})
	name := l.itemName(key)
	if len(name) > 250 || strings.ContainsAny(name, " \t\r\n") {
		t.Fatalf("unusable memcached key %q", name)
	}
	if name == l.itemName(key+"/lease") || name == testL2(t, 0, "ns", "s").itemName(key) || name == testL2(t, 0, "ns with spaces / and a very long tail that is surely longer than sixty-four characters", "t").itemName(key) {
		t.Fatal("item names collide across keys, namespaces or secrets")
	}
}

func TestL2SplitJoin(t *testing.T) {
	l := testL2(t, minItemBytes, "ns", "s") // 483 plaintext bytes per item
	f := func(size, wantItems int) {
		t.Helper()
		data := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		items, err := l.split("k", data)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != wantItems {
			t.Fatalf("size %d: unexpected items; got %d; want %d", size, len(items), wantItems)
		}
		for _, it := range items {
			if len(it.value) > minItemBytes-itemOverhead {
				t.Fatalf("size %d: an item of %d bytes exceeds the limit", size, len(it.value))
			}
		}
		m, err := l.parseManifest("k", items[len(items)-1].value)
		if err != nil {
			t.Fatal(err)
		}
		got := m.inline
		if m.parts != nil {
			sealed := make(map[string][]byte)
			for _, it := range items[:len(items)-1] {
				sealed[it.logical] = it.value
			}
			if got, err = l.join("k", m, sealed); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("size %d: the value did not round-trip", size)
		}
	}
	f(0, 1)
	f(477, 1) // 6 header bytes + 477 = 483: inline
	f(478, 2) // one part and the manifest
	f(483, 2)
	f(484, 3)
	f(966, 3)
	f(967, 4)
	f(4000, 10)
}

func TestL2JoinRejectsForeignParts(t *testing.T) {
	l := testL2(t, minItemBytes, "ns", "s")
	data := bytes.Repeat([]byte("x"), 2000)
	a, _ := l.split("a", data)
	b, _ := l.split("a", data) // another write of the same window: another generation
	m, err := l.parseManifest("a", a[len(a)-1].value)
	if err != nil {
		t.Fatal(err)
	}
	sealed := make(map[string][]byte)
	for _, it := range a[:len(a)-1] {
		sealed[it.logical] = it.value
	}
	sealed[a[1].logical] = b[1].value // a part sealed under another generation's key
	if _, err := l.join("a", m, sealed); !errors.Is(err, ErrBadEntry) {
		t.Fatalf("unexpected join of a foreign part: %v; want ErrBadEntry", err)
	}
	delete(sealed, a[1].logical)
	if got, err := l.join("a", m, sealed); got != nil || err != nil {
		t.Fatalf("unexpected join with a part missing: %d bytes, %v; want a plain miss", len(got), err)
	}
}

func TestL2SplitRefusesHugeValues(t *testing.T) {
	l := testL2(t, minItemBytes, "ns", "s")
	if _, err := l.split("k", make([]byte, 13*l.partMax)); err != nil {
		t.Fatalf("13 parts fit one manifest: %v", err)
	}
	if _, err := l.split("k", make([]byte, 14*l.partMax)); err == nil {
		t.Fatal("expected a manifest too large for one item to be refused")
	}
}
