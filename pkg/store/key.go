package store

import (
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// cacheKey names one window of one log type in every cache layer:
// version:namespace:logType:windowStart:windowSize (Unix seconds). The whole
// key is stored inside the value too and checked on read, so a value found
// under the wrong key — a hash collision, a replayed memcached item — is a miss.
func cacheKey(ns string, t signin.LogType, w window) string {
	return fmt.Sprintf("%s:%s:%s:%d:%d", keyVersion, ns, t, w.start.Unix(), int64(w.size.Seconds()))
}
