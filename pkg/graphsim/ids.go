package graphsim

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// newUUID returns a random (version 4) UUID, the form of Graph's request ids.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails: crypto/rand crashes the program instead
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// newAccessToken returns an opaque bearer token. It is random rather than a
// JWT because clients must treat access tokens as opaque; one that parses
// them would break on real Entra tokens too.
func newAccessToken() string {
	var b [32]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
