package plugin

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// unthrottled is the store's request budget for sources with no throttle of
// their own (the demo without demoThrottle).
const unthrottled = 1_000_000

// Graph's budget for sign-in reports: 5 requests per 10 s per app and tenant.
const (
	graphBudgetRequests = 5
	graphBudgetWindow   = 10 * time.Second
)

// Log Analytics' documented query rate: about 200 requests per 30 s per user.
const (
	logAnalyticsRequests = 200
	logAnalyticsWindow   = 30 * time.Second
)

// maxRunWindows is how many hour windows one paged Graph query may cover: a day
// keeps a sparse log's cold week at 7 requests per log type, while a failure
// loses at most a day of progress.
const maxRunWindows = 24

// replayRunWindows is the run length for a replayed file: a year of hours.
const replayRunWindows = 24 * 366

// storeConfig turns settings into the store's configuration. It turns
// memcached off, with a warning, when no secret keys its values, and says
// that a cacheDir the settings still name is no longer used.
func (ds *Datasource) storeConfig(s Settings, srv Server, uid string) (store.Config, error) {
	ns := namespace(s, uid)
	if s.CacheDir != "" && s.CacheDir != "-" {
		ds.warnings = append(ds.warnings, "cacheDir is no longer used: a plugin may not write to the server's disk (Grafana's catalog rules); closed windows outlive a restart in memcached (memcachedAddresses, or the server's "+iniMemcachedAddresses+")")
	}
	cfg := store.Config{
		Freshness:  s.Freshness(),
		MinRefresh: s.Refresh(),
		// Off is negative to the store, whose zero is its default.
		RevalidatePeriod: cmp.Or(s.Revalidate(), -1),
		RevalidateEvery:  time.Duration(s.RevalidateEverySeconds) * time.Second,
		Namespace:        ns,
		MetricsLabel:     uid,
		MaxRun:           maxRunWindows,
		L1Bytes:          s.CacheSizeMB << 20,
		TimeBudget:       time.Duration(s.QueryTimeBudgetSeconds) * time.Second,
	}
	if addrs := memcachedAddresses(s, srv); addrs != "" {
		if secret := l2Secret(s, srv); secret != "" {
			cfg.MemcachedAddresses, cfg.Secret = addrs, cacheKey(secret, ns)
		} else {
			ds.warnings = append(ds.warnings, "memcached is not used: no secret keys its values (the demo, managed and workload identity have none of their own); set "+
				iniCacheSecret+", the same on every replica, or the datasource's secure cacheSecret")
		}
	}
	if ds.span != nil {
		// A replayed export is small and may span years: a query over all of it
		// should be a handful of requests, not one per day.
		cfg.MaxRun = replayRunWindows
	}
	return cfg, nil
}

// requestBudget is the datasource's request budget: requests per window that
// every panel, alert rule, live tail and warming of it share. Graph's is 5 per
// 10 s (throttleRequests, throttleWindowSeconds); a workspace's 200 per 30 s;
// the demo has none unless demoThrottle.
// A replay (replay.go) is a simulator of the admin's own, with no budget of
// Graph's unless the throttle settings set one.
func (ds *Datasource) requestBudget(s Settings) (int, time.Duration) {
	if ds.span != nil && s.ThrottleRequests == 0 {
		return unthrottled, graphBudgetWindow
	}
	return s.kind().budget(s)
}

// throttled is a budget of n requests per window, each replaced by its
// throttle setting when that is set.
func throttled(s Settings, n int, window time.Duration) (int, time.Duration) {
	if s.ThrottleRequests > 0 {
		n = s.ThrottleRequests
	}
	if s.ThrottleWindowSeconds > 0 {
		window = time.Duration(s.ThrottleWindowSeconds) * time.Second
	}
	return n, window
}

// ShareBudget gives the Graph client the datasource's request budget, as the
// plugin wires it (and figure e of internal/bench measures): a pace.Bucket of n
// requests per window that the client charges for every HTTP attempt to the
// sign-in endpoints — each page, each retry, the health check's probe — dates
// by when the request was written, and pushes back by a 429's Retry-After.
// Graph counts requests as they arrive, retries included; a budget charged
// per listing and page drifts from Graph's and provokes 429s. The store takes
// no token of its own.
func ShareBudget(g graph.Config, n int, window time.Duration) graph.Config {
	g.Pacer = pace.New(n, window)
	return g
}

// namespace isolates one datasource's cache from every other: the UID, the
// source's identity (everything that decides which sign-ins are fetched) and
// its credential, so that re-pointing a datasource at another tenant,
// workspace or demo tenant, or changing its secret, stops it reading its old
// cache. TestNamespaceFollowsWhatIsFetched walks every setting.
func namespace(s Settings, uid string) string {
	h := sha256.New()
	for _, part := range append([]string{uid}, s.identity()...) {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// identity is what decides which sign-ins the settings' source fetches, as
// named values: only the settings that source reads (sourceKind.identity),
// so that a setting another source would read changes nothing here.
func (s Settings) identity() []string {
	return append([]string{"source=" + s.Source}, s.kind().identity(s)...)
}

// memcachedAddresses is the memcachedAddresses setting, else the server's
// memcached_addresses.
func memcachedAddresses(s Settings, srv Server) string {
	if s.MemcachedAddress != "" {
		return s.MemcachedAddress
	}
	return srv.MemcachedAddresses
}

// l2Secret is the secret that keys a datasource's values in memcached, which
// has no authentication: anyone who can reach it can read and write items.
// It must be a secret that no datasource setting reveals — the server's
// cache_secret, the datasource's secure cacheSecret, or its credential's own
// secret — since a key derived from public settings (the UID, the tenant, the
// demo seed) can be derived by anyone. Without one, memcached is not used.
func l2Secret(s Settings, srv Server) string {
	for _, secret := range []string{srv.CacheSecret, s.CacheSecret} {
		if secret != "" {
			return secret
		}
	}
	if s.kind().tenant() { // the demo's secret is made up per process
		return s.ClientSecret + s.ClientCertificate
	}
	return ""
}

// cacheKey derives the memcached key material from the secret and the
// namespace, so two datasources sharing a secret still have keys of their own.
func cacheKey(secret, ns string) []byte {
	h := sha256.New()
	h.Write([]byte("signinlens cache secret v2\x00"))
	h.Write([]byte(secret))
	h.Write([]byte{0})
	h.Write([]byte(ns))
	return h.Sum(nil)
}
