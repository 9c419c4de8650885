package store

import (
	"strconv"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// cacheKey names one window of one log type in every cache layer:
// version:namespace:logType:windowStart:windowSize (Unix seconds). The whole
// key is stored inside the value too and checked on read, so a value found
// under the wrong key — a hash collision, a replayed memcached item — is a miss.
//
// A scan names every window of its range, so this is built by hand rather than
// with fmt: a week's dashboard refresh names 672 of them.
func cacheKey(ns string, t signin.LogType, w window) string {
	b := make([]byte, 0, len(keyVersion)+len(ns)+48)
	b = append(b, keyVersion...)
	b = append(b, ':')
	b = append(b, ns...)
	b = append(b, ':')
	b = append(b, t.String()...)
	b = append(b, ':')
	b = strconv.AppendInt(b, w.start.Unix(), 10)
	b = append(b, ':')
	b = strconv.AppendInt(b, int64(w.size/time.Second), 10)
	return string(b)
}
