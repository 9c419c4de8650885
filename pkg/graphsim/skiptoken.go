package graphsim

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"time"
)

// skipTokenVersion is the first byte of every token, so a format change makes
// old tokens fail loudly instead of resuming at the wrong place.
const skipTokenVersion = 1

// cursor is the position after the last record served: pages continue with
// records strictly older in the newest-first order.
type cursor struct {
	created time.Time
	id      string
}

// before reports whether r comes after the cursor in newest-first order.
func (c cursor) before(r *Record) bool {
	if c := r.Created.Compare(c.created); c != 0 {
		return c < 0
	}
	return r.ID < c.id
}

// queryHash identifies the query a skip token belongs to. A token carries it
// so that a token replayed with another filter is rejected rather than
// silently resuming a different result set.
func queryHash(version, filterText string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(version))
	h.Write([]byte{0})
	h.Write([]byte(filterText))
	return h.Sum64()
}

// encodeSkipToken packs version, cursor and query hash into an opaque,
// URL-safe string.
func encodeSkipToken(c cursor, hash uint64) string {
	buf := make([]byte, 0, 17+len(c.id))
	buf = append(buf, skipTokenVersion)
	buf = binary.BigEndian.AppendUint64(buf, uint64(c.created.UnixNano())) // #nosec G115 -- the instant's bits, read back by decodeSkipToken
	buf = binary.BigEndian.AppendUint64(buf, hash)
	buf = append(buf, c.id...)
	return base64.RawURLEncoding.EncodeToString(buf)
}

// decodeSkipToken unpacks a token made by encodeSkipToken for the same query.
func decodeSkipToken(s string, hash uint64) (cursor, error) {
	buf, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(buf) < 17 || buf[0] != skipTokenVersion {
		return cursor{}, fmt.Errorf("%w: malformed token", ErrBadSkipToken)
	}
	if binary.BigEndian.Uint64(buf[9:17]) != hash {
		return cursor{}, fmt.Errorf("%w: token was issued for another query", ErrBadSkipToken)
	}
	created := time.Unix(0, int64(binary.BigEndian.Uint64(buf[1:9]))).UTC() // #nosec G115 -- the token's bits as written by encodeSkipToken; any int64 is an instant
	return cursor{created: created, id: string(buf[17:])}, nil
}
