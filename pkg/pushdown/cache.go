package pushdown

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/VictoriaMetrics/fastcache"

	"github.com/signinlens/signinlens-entra-datasource/pkg/loganalytics"
)

// Cache keeps the answers of closed UTC days. Get's false is a miss. Neither
// returns an error: a cache that fails only misses, and the workspace answers.
// L1 is one; the plugin puts it in front of the store's memcached (its
// store.SideCache) with Tiered when the datasource has memcached.
type Cache interface {
	Get(key string) ([]byte, bool)
	Set(key string, value []byte)
}

// Tiered is an in-process cache in front of a shared one (memcached): a
// Grafana replica, or the datasource re-created after a settings change or
// restart, reads the settled days another has asked for instead of asking
// the workspace again.
type Tiered struct {
	L1, L2 Cache
}

// Get reads L1, then L2; a value found in L2 is copied into L1, so the next
// refresh does not go over the network for it. The Runner checks every value
// it reads, wherever from.
func (t Tiered) Get(key string) ([]byte, bool) {
	if v, ok := t.L1.Get(key); ok {
		return v, true
	}
	v, ok := t.L2.Get(key)
	if ok {
		t.L1.Set(key, v)
	}
	return v, ok
}

// Set writes both.
func (t Tiered) Set(key string, value []byte) {
	t.L1.Set(key, value)
	t.L2.Set(key, value)
}

// L1 is an in-process Cache of at most maxBytes (fastcache).
type L1 struct{ c *fastcache.Cache }

// NewL1 returns an in-process cache of maxBytes.
func NewL1(maxBytes int) *L1 { return &L1{c: fastcache.New(maxBytes)} }

// Get returns the value of key.
func (l *L1) Get(key string) ([]byte, bool) {
	v := l.c.GetBig(nil, []byte(key))
	return v, len(v) > 0
}

// Set stores value under key; fastcache drops values it cannot hold.
// Values go in as "big" ones (read back with GetBig): a day of many groups
// is more than fastcache's 64 KB entry.
func (l *L1) Set(key string, value []byte) { l.c.SetBig([]byte(key), value) }

// cacheVersion changes when the cached value's meaning does.
const cacheVersion = "pushdown/v1/"

// dayKey names a closed day's answer for a query shape: the KQL with its
// time bounds left out (which is everything the answer depends on but the
// range) and the day.
func dayKey(shape string, day time.Time) string {
	sum := sha256.Sum256([]byte(shape))
	return cacheVersion + hex.EncodeToString(sum[:]) + "/" + day.Format("2006-01-02")
}

// cachedDay is a day's answer as cached, with the shape's hash to check
// against: a value under the wrong key, or damaged, is a miss.
type cachedDay struct {
	Shape   string   `json:"shape"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

func encodeDay(shape string, a loganalytics.Answer) []byte {
	b, _ := json.Marshal(cachedDay{Shape: shapeHash(shape), Columns: a.Columns, Rows: a.Rows}) // rows of JSON values always encode
	return b
}

// decodeDay reads a cached day back; false for anything but a whole value
// of this shape.
func decodeDay(shape string, b []byte) (loganalytics.Answer, bool) {
	var d cachedDay
	if json.Unmarshal(b, &d) != nil || d.Shape != shapeHash(shape) || d.Columns == nil {
		return loganalytics.Answer{}, false
	}
	for _, row := range d.Rows {
		if len(row) != len(d.Columns) {
			return loganalytics.Answer{}, false
		}
	}
	return loganalytics.Answer{Columns: d.Columns, Rows: d.Rows}, true
}

func shapeHash(shape string) string {
	sum := sha256.Sum256([]byte(shape))
	return hex.EncodeToString(sum[:8])
}
