package block

// Sign-in ids are GUIDs that Graph writes as 36 lower-case characters; stored as
// their 16 bytes they cost less than half. Only the canonical form is packed, so
// formatting the bytes back always gives the id exactly as Graph sent it; any
// other id (upper case, braces, an export's own ids) is kept as a string.

const hexDigits = "0123456789abcdef"

// parseUUID packs a canonical lower-case UUID string (8-4-4-4-12) into dst and
// reports whether s was one.
func parseUUID(s string, dst *[16]byte) bool {
	if len(s) != 36 {
		return false
	}
	j := 0
	for i := 0; i < 36; {
		if isDashAt(i) {
			if s[i] != '-' {
				return false
			}
			i++
			continue
		}
		hi, ok1 := lowerHex(s[i])
		lo, ok2 := lowerHex(s[i+1])
		if !ok1 || !ok2 {
			return false
		}
		dst[j] = hi<<4 | lo
		j++
		i += 2
	}
	return true
}

func isDashAt(i int) bool { return i == 8 || i == 13 || i == 18 || i == 23 }

func lowerHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// appendUUID appends the canonical string form of the 16 bytes u.
func appendUUID(dst, u []byte) []byte {
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexDigits[b>>4], hexDigits[b&15])
	}
	return dst
}
