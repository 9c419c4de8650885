package synth

// uuid is a 128-bit identifier kept as two words, so generating and ordering ids
// costs no allocation; it is formatted only when a record is built.
type uuid struct{ hi, lo uint64 }

// newUUID stamps the version (4, random) and RFC 4122 variant bits, so the ids
// look like the ones Entra ID issues and pass strict parsers.
func newUUID(hi, lo uint64) uuid {
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(3<<62) | 2<<62
	return uuid{hi: hi, lo: lo}
}

// uuidOf derives a UUID from a stream key.
func uuidOf(key uint64) uuid {
	return newUUID(mix64(key), mix64(key^golden))
}

// less orders UUIDs as their lower-case text forms would sort.
func (u uuid) less(v uuid) bool {
	if u.hi != v.hi {
		return u.hi < v.hi
	}
	return u.lo < v.lo
}

const hexDigits = "0123456789abcdef"

// appendUUID appends the canonical 36-character form (8-4-4-4-12).
func appendUUID(buf []byte, u uuid) []byte {
	buf = appendHex(buf, u.hi>>32, 8)
	buf = append(buf, '-')
	buf = appendHex(buf, u.hi>>16, 4)
	buf = append(buf, '-')
	buf = appendHex(buf, u.hi, 4)
	buf = append(buf, '-')
	buf = appendHex(buf, u.lo>>48, 4)
	buf = append(buf, '-')
	return appendHex(buf, u.lo, 12)
}

// appendHex appends the low n hex digits of v, most significant first.
func appendHex(buf []byte, v uint64, n int) []byte {
	for i := n - 1; i >= 0; i-- {
		buf = append(buf, hexDigits[(v>>(4*uint(i)))&0xf])
	}
	return buf
}

func (u uuid) String() string { return string(appendUUID(make([]byte, 0, 36), u)) }
