package store

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"github.com/signinlens/signinlens-entra-datasource/pkg/block"
)

// A window's value in L2 is its encoded block (block.Encode), whose own header
// repeats the cache key and whose checksum covers it. It is stored under the
// window's cache key as a manifest item that holds either the block itself,
// when it fits one item, or the list of its parts:
//
//	magic "SILM" | version | mode
//	mode 0 (inline): the encoded block
//	mode 1 (parts):  generation (16 random bytes) | uvarint total length |
//	                 uvarint part count | per part: uvarint length, SHA-256 of its bytes
//
// Part i is an item of its own under "<cache key>/part/<generation>/<i>". Each
// item is sealed under its own logical key (l2.go). The generation keeps the
// parts of two writers of one window apart: a reader of one writer's manifest
// reads that writer's parts. Parts are written before their manifest, so a
// manifest never names a part not yet written; a part evicted since is a miss.
const (
	manifestMagic        = "SILM"
	manifestVersion      = 1
	modeInline      byte = 0
	modeParts       byte = 1
	genSize              = 16
	// maxParts bounds a value to 1 GiB at the default item limit; a window
	// that large is served from memory, disk and the source only.
	maxParts = 1024
)

// l2Item is a sealed item and the logical key it is sealed under.
type l2Item struct {
	logical string
	value   []byte
}

// manifest is a parsed manifest item.
type manifest struct {
	inline []byte // the block, in mode inline
	gen    []byte
	total  int
	parts  []partRef
}

type partRef struct {
	size int
	sum  [sha256.Size]byte
}

func partKey(key string, gen []byte, i int) string {
	return fmt.Sprintf("%s/part/%x/%d", key, gen, i)
}

// partKeys are the logical keys of m's parts.
func (m manifest) partKeys(key string) []string {
	keys := make([]string, len(m.parts))
	for i := range m.parts {
		keys[i] = partKey(key, m.gen, i)
	}
	return keys
}

func manifestHead(mode byte) []byte {
	return append([]byte(manifestMagic), manifestVersion, mode)
}

// split returns the sealed items that store data under key, the manifest last.
func (l *l2) split(key string, data []byte) ([]l2Item, error) {
	head := manifestHead(modeInline)
	if len(head)+len(data) <= l.partMax {
		return []l2Item{{key, l.seal(key, append(head, data...))}}, nil
	}
	n := (len(data) + l.partMax - 1) / l.partMax
	if n > maxParts {
		return nil, fmt.Errorf("a value of %d bytes needs %d parts; at most %d are stored", len(data), n, maxParts)
	}
	gen := make([]byte, genSize)
	_, _ = rand.Read(gen) // never fails (crypto/rand)
	m := append(manifestHead(modeParts), gen...)
	m = binary.AppendUvarint(m, uint64(len(data)))
	m = binary.AppendUvarint(m, uint64(n)) // #nosec G115 -- n is a count of parts, non-negative
	items := make([]l2Item, 0, n+1)
	for i := 0; i < n; i++ {
		part := data[i*l.partMax : min((i+1)*l.partMax, len(data))]
		sum := sha256.Sum256(part)
		m = binary.AppendUvarint(m, uint64(len(part)))
		m = append(m, sum[:]...)
		pk := partKey(key, gen, i)
		items = append(items, l2Item{pk, l.seal(pk, part)})
	}
	if len(m) > l.partMax {
		return nil, fmt.Errorf("the manifest of %d parts exceeds the item limit", n)
	}
	return append(items, l2Item{key, l.seal(key, m)}), nil
}

// parseManifest opens the manifest item of key and parses it. Every error
// wraps ErrBadEntry.
func (l *l2) parseManifest(key string, sealed []byte) (manifest, error) {
	plain, err := l.open(key, sealed)
	if err != nil {
		return manifest{}, err
	}
	if len(plain) < len(manifestMagic)+2 || !bytes.HasPrefix(plain, []byte(manifestMagic)) {
		return manifest{}, fmt.Errorf("%w: not an L2 manifest", ErrBadEntry)
	}
	if v := plain[len(manifestMagic)]; v != manifestVersion {
		return manifest{}, fmt.Errorf("%w: L2 manifest version %d, want %d", ErrBadEntry, v, manifestVersion)
	}
	r := block.NewByteReader(plain[len(manifestMagic)+1:])
	switch r.Byte() {
	case modeInline:
		return manifest{inline: r.Rest()}, nil
	case modeParts:
	default:
		return manifest{}, fmt.Errorf("%w: unknown L2 manifest mode", ErrBadEntry)
	}
	m := manifest{gen: r.Bytes(genSize), total: int(min(r.Uvarint(), block.MaxSection))} // #nosec G115 -- min with block.MaxSection bounds it
	n := r.Uvarint()
	if r.Err() == nil && (n == 0 || n > maxParts) {
		r.Fail("%d parts", n)
	}
	sum := 0
	for i := uint64(0); i < n && r.Err() == nil; i++ {
		p := partRef{size: int(min(r.Uvarint(), block.MaxSection))} // #nosec G115 -- min with block.MaxSection bounds it
		copy(p.sum[:], r.Bytes(sha256.Size))
		sum += p.size
		m.parts = append(m.parts, p)
	}
	if r.Err() == nil && len(r.Rest()) != 0 {
		r.Fail("%d trailing bytes", len(r.Rest()))
	}
	if r.Err() == nil && sum != m.total {
		r.Fail("parts of %d bytes for a value of %d", sum, m.total)
	}
	if r.Err() != nil {
		return manifest{}, r.Err()
	}
	return m, nil
}

// join opens m's parts, found in sealed by logical key, and returns the value.
// A part not found is a miss (evicted): nil and no error. A part that does not
// open or does not match the manifest is an error wrapping ErrBadEntry.
func (l *l2) join(key string, m manifest, sealed map[string][]byte) ([]byte, error) {
	data := make([]byte, 0, m.total)
	for i, pk := range m.partKeys(key) {
		v, ok := sealed[pk]
		if !ok {
			return nil, nil
		}
		part, err := l.open(pk, v)
		if err != nil {
			return nil, err
		}
		if len(part) != m.parts[i].size || sha256.Sum256(part) != m.parts[i].sum {
			return nil, fmt.Errorf("%w: L2 part %d does not match its manifest", ErrBadEntry, i)
		}
		data = append(data, part...)
	}
	return data, nil
}
