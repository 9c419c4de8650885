package plugin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/store"
)

// unthrottled is the store's request budget for sources with no throttle of
// their own (the demo without demoThrottle).
const unthrottled = 1_000_000

// maxRunWindows is how many hour windows one paged Graph query may cover: a day
// keeps a sparse log's cold week at 7 requests per log type, while a failure
// loses at most a day of progress.
const maxRunWindows = 24

// storeConfig turns settings into the store's configuration.
func storeConfig(s Settings, uid string) store.Config {
	cfg := store.Config{
		Freshness:    s.Freshness(),
		Namespace:    namespace(s, uid),
		Dir:          cacheDir(s),
		MetricsLabel: uid,
		MaxRun:       maxRunWindows,
		L1Bytes:      s.CacheSizeMB << 20,
		RateLimit:    s.ThrottleRequests,
		RateWindow:   time.Duration(s.ThrottleWindowSeconds) * time.Second,
		TimeBudget:   time.Duration(s.QueryTimeBudgetSeconds) * time.Second,
	}
	if s.Source == SourceDemo && !s.DemoThrottle {
		cfg.RateLimit = unthrottled
	}
	return cfg
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
