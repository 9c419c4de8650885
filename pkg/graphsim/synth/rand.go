package synth

import (
	"encoding/binary"
	"hash/fnv"
)

// golden is 2^64 divided by the golden ratio, splitmix64's increment.
const golden = 0x9e3779b97f4a7c15

// mix64 is splitmix64's finaliser: a bijection on uint64 whose output bits each
// depend on every input bit. Everything random in this package goes through it,
// because it is stable across Go versions and platforms (math/rand's streams and
// hash/maphash are not promised to be).
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// derive returns the key of a child stream. Keys form a tree (tenant → log type →
// hour → record, tenant → user → day → session ...), so any leaf can be computed
// without computing its siblings: that is what makes every hour independent.
func derive(parent uint64, values ...uint64) uint64 {
	k := parent
	for _, v := range values {
		k = mix64(k ^ mix64(v+golden))
	}
	return k
}

// rootKey hashes the tenant's identity (seed and size) with FNV-1a, which is
// specified exactly and so gives the same key on every machine.
func rootKey(seed int64, size string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed)) // #nosec G115 -- a seed's bit pattern
	_, _ = h.Write(b[:])                              // hash.Hash never returns an error
	_, _ = h.Write([]byte(size))
	return mix64(h.Sum64())
}

// rng is a splitmix64 generator: tiny, fast and good enough for synthetic data.
// It is a value type so a stream can live on the stack.
type rng struct{ s uint64 }

func newRng(key uint64) rng { return rng{s: key} }

func (r *rng) u64() uint64 {
	r.s += golden
	return mix64(r.s)
}

// intn returns a uniform int in [0, n); n must be positive and below 2^32.
func (r *rng) intn(n int) int {
	return int(((r.u64() >> 32) * uint64(n)) >> 32) // #nosec G115 -- n > 0 (a length); the product's high bits are < n
}

// span returns a uniform int64 in [lo, hi); hi must exceed lo.
func (r *rng) span(lo, hi int64) int64 {
	return lo + int64(r.u64()%uint64(hi-lo)) // #nosec G115 -- hi > lo: the remainder is < hi-lo
}

// float returns a uniform float64 in [0, 1).
func (r *rng) float() float64 {
	return float64(r.u64()>>11) / (1 << 53)
}

// chance reports true with probability p.
func (r *rng) chance(p float64) bool { return r.float() < p }

// uuid draws a random (version 4) UUID.
func (r *rng) uuid() uuid { return newUUID(r.u64(), r.u64()) }

// pick returns an index into weights, drawn with probability proportional to
// its weight. Tables are short, so a linear scan beats anything cleverer.
func (r *rng) pick(weights []float64) int {
	var total float64
	for _, w := range weights {
		total += w
	}
	x := r.float() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// ipv4 formats an address from two fixed leading octets and two random ones,
// avoiding .0 and .255 in the last octet so it looks like a host.
func (r *rng) ipv4(a, b byte) string {
	c := byte(r.intn(256))     // #nosec G115 -- intn(256) is in [0, 256)
	d := byte(1 + r.intn(254)) // #nosec G115 -- 1+intn(254) is in [1, 255)
	buf := make([]byte, 0, 15)
	for i, o := range [4]byte{a, b, c, d} {
		if i > 0 {
			buf = append(buf, '.')
		}
		buf = appendUint(buf, uint64(o))
	}
	return string(buf)
}

// appendUint appends the decimal form of v; strconv would do, but this keeps the
// hot formatting paths in one place.
func appendUint(buf []byte, v uint64) []byte {
	var tmp [20]byte
	i := len(tmp)
	for {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(buf, tmp[i:]...)
}
