package store

import (
	"fmt"
	"regexp"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/grafana/dskit/cache"
)

// Timing of the store that no datasource needs to tune.
const (
	// tailOverlap is how far before the newest held sign-in a refresh of an
	// open window starts at most (at most Freshness; tailStart bounds it by
	// half a page held). Sign-ins arrive minutes after they happen and not in
	// order: one created before the newest held, arriving within the overlap
	// of it, is then seen at the next refresh rather than only when its
	// window closes.
	tailOverlap = 5 * time.Minute
	// fetchConcurrency bounds the paged requests in flight.
	fetchConcurrency = 2
	// fetchTimeout bounds one paged request; fetches run detached from the
	// query that started them, so another query can still use the result.
	fetchTimeout = 5 * time.Minute
	// memcachedTTL is how long a window stays in L2: the most memcached takes
	// as a relative time; its LRU evicts sooner when full.
	memcachedTTL = maxMemcachedTTL
	// leaseTTL is how long a replica's claim to fetch a window lasts; the
	// claim is released as soon as the window is in L2.
	leaseTTL = time.Minute
	// leaseWait bounds how long a replica waits for the window another
	// replica is fetching before fetching it itself: within TimeBudget's
	// default 30 s.
	leaseWait = 20 * time.Second
)

// Config tunes a Store. Zero values take the defaults named below.
type Config struct {
	// Window is the size of a cached window. Default DefaultWindow.
	Window time.Duration
	// Freshness is how long after its end a window may still receive late
	// sign-ins. Until then the window is open: held in process memory only and
	// refreshed by tail fetches; when it closes it is read whole once more, so
	// counts converge exactly, and cached. Default 15m.
	Freshness time.Duration
	// MinRefresh is the least time between two fetches of an open window's tail;
	// queries in between are answered from what is held. Dashboards refreshing
	// every few seconds then cost one request a minute. Default 60s.
	MinRefresh time.Duration

	// Namespace isolates datasources sharing a cache directory or memcached: the
	// plugin sets it from the datasource UID, the tenant and a hash of the
	// credential. Values that are not short and plain are hashed into keys.
	Namespace string
	// L1Bytes bounds the memory of the closed windows held decoded: their
	// blocks and the profile tables they use. Default 256 MB, about eight
	// million sign-ins at 32 B each (BENCHMARKS.md, c).
	L1Bytes int
	// SealEvery is how often the profile tables of past days that took no
	// new profiles since the last round free their intern indexes (about a
	// third of their memory; block.Profiles.SealIfIdle). Default a minute.
	SealEvery time.Duration

	// RevalidatePeriod is how long after they close windows are revalidated for
	// sign-ins that changed (revalidate.go). Default DefaultRevalidatePeriod; a
	// negative value turns revalidations off.
	RevalidatePeriod time.Duration
	// RevalidateEvery is the least time between two revalidations of a log type.
	// Default DefaultRevalidateEvery.
	RevalidateEvery time.Duration

	// PageSize is the source's page size: a page this full is taken to be
	// followed by another, which costs another request. Default 1000 (Graph's).
	PageSize int
	// MaxRun bounds the windows fetched by one paged request, so a cold range
	// loads in pieces, newest first, each cached as it completes. Default 6.
	MaxRun int
	// TimeBudget is how long a Scan waits for windows being fetched before it
	// answers with what is loaded and a *PartialError. Default 30s.
	TimeBudget time.Duration

	// MemcachedAddresses, when set, adds L2: memcached shared by the Grafana
	// replicas of an HA setup, so a window one replica fetched is not fetched
	// again by the others (l2*.go). Comma-separated host:port; a "dns+" or
	// "dnssrv+" prefix resolves the name (A/AAAA or SRV) and re-resolves it every
	// 30 s, as dskit's memcached client does. Memcached errors never fail a query:
	// the store falls back to the source.
	MemcachedAddresses string
	// Secret keys L2: every value is encrypted and authenticated (AES-256-GCM)
	// under a key derived from Secret and Namespace, and item names are keyed
	// hashes. Replicas of one datasource must agree on it; anyone who can write to
	// memcached but does not know it can make the store refetch, never answer
	// wrong. The plugin derives it from the credential.
	Secret []byte
	// MemcachedItemBytes is the largest item memcached accepts (its -I option).
	// Larger values are split into parts below it. Default 1 MiB, memcached's default.
	MemcachedItemBytes int

	// MetricsLabel is the "datasource" label of the Prometheus metrics. Default "default".
	MetricsLabel string

	// Now is the clock deciding which windows are open; tests set it. Default time.Now.
	Now func() time.Time

	// l2Cache replaces memcached in tests that need no server.
	l2Cache cache.Cache
}

// DefaultWindow is Window's default: an hour, which the plugin does not
// change.
const DefaultWindow = time.Hour

// DefaultRevalidatePeriod is RevalidatePeriod's default: a day, in which most
// risky sign-ins are remediated or dismissed (and the range of most alert
// rules).
const DefaultRevalidatePeriod = 24 * time.Hour

// DefaultRevalidateEvery is RevalidateEvery's default: on Graph a revalidation costs
// about five short listings per log type with risk, some fifteen requests an
// hour in all, a few percent of what refreshing the open windows costs.
const DefaultRevalidateEvery = time.Hour

// DefaultL1Bytes is L1Bytes' default: the datasource setting cacheSizeMB's.
const DefaultL1Bytes = 256 << 20

func (c *Config) applyDefaults() {
	setDuration(&c.Window, DefaultWindow)
	setDuration(&c.Freshness, 15*time.Minute)
	setDuration(&c.MinRefresh, time.Minute)
	setDuration(&c.TimeBudget, 30*time.Second)
	setInt(&c.L1Bytes, DefaultL1Bytes)
	setDuration(&c.SealEvery, time.Minute)
	if c.RevalidatePeriod == 0 {
		c.RevalidatePeriod = DefaultRevalidatePeriod
	}
	setDuration(&c.RevalidateEvery, DefaultRevalidateEvery)
	setInt(&c.PageSize, 1000)
	setInt(&c.MaxRun, 6)
	setInt(&c.MemcachedItemBytes, 1<<20)
	c.MemcachedItemBytes = max(c.MemcachedItemBytes, minItemBytes)
	if c.MetricsLabel == "" {
		c.MetricsLabel = "default"
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

func setDuration(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

func setInt(n *int, def int) {
	if *n <= 0 {
		*n = def
	}
}

// keyVersion is the first part of every cache key. Bump it with formatVersion,
// or when the meaning of a window changes, to orphan every older entry at once.
const keyVersion = "v2"

var plainNamespace = regexp.MustCompile(`^[A-Za-z0-9._-]{0,64}$`)

// namespaceKey is the namespace as it goes into keys: as given when short and
// plain (readable in memcached), else a hash (keys must stay ASCII without
// spaces and under memcached's 250 bytes).
func namespaceKey(ns string) string {
	if plainNamespace.MatchString(ns) {
		return ns
	}
	return fmt.Sprintf("h%016x", xxhash.Sum64String(ns))
}
