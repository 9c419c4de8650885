package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graph"
	"github.com/signinlens/signinlens-entra-datasource/pkg/pace"
	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// unthrottled is the store's request budget for sources with no throttle of
// their own (the demo without demoThrottle).
const unthrottled = 1_000_000

// maxRunWindows is how many hour windows one paged Graph query may cover: a day
// keeps a sparse log's cold week at 7 requests per log type, while a failure
// loses at most a day of progress.
const maxRunWindows = 24

// demoFileRunWindows is the run length for a replayed file: a year of hours.
const demoFileRunWindows = 24 * 366

// storeConfig turns settings into the store's configuration.
func storeConfig(s Settings, uid string) store.Config {
	ns := namespace(s, uid)
	cfg := store.Config{
		Freshness:          s.Freshness(),
		Namespace:          ns,
		Dir:                cacheDir(s),
		MetricsLabel:       uid,
		MaxRun:             maxRunWindows,
		L1Bytes:            s.CacheSizeMB << 20,
		RateLimit:          s.ThrottleRequests,
		RateWindow:         time.Duration(s.ThrottleWindowSeconds) * time.Second,
		TimeBudget:         time.Duration(s.QueryTimeBudgetSeconds) * time.Second,
		MemcachedAddresses: memcachedAddresses(s),
		Secret:             cacheSecret(s, ns),
	}
	if s.Source == SourceDemo && !s.DemoThrottle {
		cfg.RateLimit = unthrottled
	}
	if s.Source == SourceDemo && s.DemoFile != "" {
		// A replayed export is small and may span years: a query over all of it
		// should be a handful of requests, not one per day.
		cfg.MaxRun = demoFileRunWindows
	}
	return cfg
}

// ShareBudget gives the Graph client and the store one request budget, as the
// plugin wires them (and figure e of pkg/bench measures): a pace.Bucket of
// s.RateLimit requests per s.RateWindow that the client charges for every HTTP
// attempt to the sign-in endpoints — each page, each retry, the health check's
// probe — dates by when the request was written, and pushes back by a 429's
// Retry-After. Graph counts requests as they arrive, retries included; a budget
// charged per listing and page drifts from Graph's and provokes 429s. The
// store, whose source now paces itself, takes no token of its own.
func ShareBudget(g graph.Config, s store.Config) (graph.Config, store.Config) {
	g.Pacer = pace.New(s.RateLimit, s.RateWindow)
	s.SourcePaced = true
	return g, s
}

// namespace isolates one datasource's cache from every other: the UID, where the
// sign-ins come from, and a hash of the credential, so changing the tenant, the
// demo tenant or the secret stops the datasource from reading its old cache.
func namespace(s Settings, uid string) string {
	h := sha256.New()
	for _, part := range []string{uid, s.Source, s.Cloud, s.TenantID, s.ClientID, s.AuthType, s.GraphEndpoint,
		s.ClientSecret, s.ClientCertificate, fmt.Sprint(s.DemoSeed), s.DemoSize, s.DemoFile, fmt.Sprint(s.DemoQuiet)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// memcachedEnv names the memcached (L2) of every SignInLens datasource whose
// memcachedAddresses setting is empty. In an HA setup the replicas' memcached is
// a property of the deployment rather than of each datasource: one variable in
// the Grafana pods' environment turns L2 on for all of them.
const memcachedEnv = "SIGNINLENS_MEMCACHED_ADDRESSES"

// memcachedAddresses is the memcachedAddresses setting, else memcachedEnv.
func memcachedAddresses(s Settings) string {
	if s.MemcachedAddress != "" {
		return s.MemcachedAddress
	}
	return strings.TrimSpace(os.Getenv(memcachedEnv))
}

// cacheSecret keys the encryption and authentication of the datasource's
// values in memcached. It derives from the credential, which every replica's
// copy of the datasource holds and other memcached users do not, and from the
// namespace, so two datasources sharing a credential still have keys of their
// own. The demo source has no credential (its secret is made up per process):
// its key derives from the namespace alone, which is enough because demo data
// is synthetic; values are still authenticated against mix-ups. So is a Graph
// datasource authenticating with a managed or workload identity, which has no
// secret either: for it, the optional secure setting cacheSecret supplies one
// (it is mixed in whenever set).
func cacheSecret(s Settings, ns string) []byte {
	h := sha256.New()
	h.Write([]byte("signinlens cache secret v1\x00"))
	h.Write([]byte(s.CacheSecret))
	h.Write([]byte{0})
	if s.Source != SourceDemo {
		h.Write([]byte(s.ClientSecret))
		h.Write([]byte{0})
		h.Write([]byte(s.ClientCertificate))
		h.Write([]byte{0})
	}
	h.Write([]byte(ns))
	return h.Sum(nil)
}

// cacheDir is where closed windows persist across restarts: the setting, or a
// directory under the OS cache directory; "-" turns persistence off.
func cacheDir(s Settings) string {
	switch s.CacheDir {
	case "-":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		return filepath.Join(base, "signinlens")
	}
	return s.CacheDir
}
