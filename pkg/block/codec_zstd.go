package block

import (
	"encoding/binary"

	"github.com/klauspost/compress/zstd"
)

// The profile section is mostly names: user principal names next to display
// names, app and resource names, cities. Dictionary coding stores each once per
// block; zstd then removes what names share with each other, which takes a busy
// hour of the medium tenant from about 39 to 30 bytes per sign-in. Ids and times
// are left raw: they are random and already packed.
const (
	sectionRaw  byte = 0
	sectionZstd byte = 1
	// maxSection bounds a decompressed section, so a damaged length cannot make
	// decoding allocate without limit. A block of a million profiles stays below.
	maxSection = 256 << 20
)

var (
	zstdEncoder, _ = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedDefault), zstd.WithEncoderConcurrency(1))
	zstdDecoder, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxSection))
)

// appendSection appends raw as a section, compressed when that is smaller.
func appendSection(dst, raw []byte) []byte {
	packed := zstdEncoder.EncodeAll(raw, nil)
	if len(packed) >= len(raw) {
		dst = append(dst, sectionRaw)
		dst = binary.AppendUvarint(dst, uint64(len(raw)))
		return append(dst, raw...)
	}
	dst = append(dst, sectionZstd)
	dst = binary.AppendUvarint(dst, uint64(len(raw)))
	dst = binary.AppendUvarint(dst, uint64(len(packed)))
	return append(dst, packed...)
}

// section reads what appendSection wrote and returns the raw bytes.
func (r *reader) section() []byte {
	mode := r.byte()
	size := r.uvarint()
	if r.err == nil && size > maxSection {
		r.fail("section of %d bytes", size)
	}
	if r.err != nil {
		return nil
	}
	switch mode {
	case sectionRaw:
		return r.bytes(size)
	case sectionZstd:
		packed := r.bytes(r.uvarint())
		if r.err != nil {
			return nil
		}
		raw, err := zstdDecoder.DecodeAll(packed, make([]byte, 0, size))
		if err != nil || uint64(len(raw)) != size {
			r.fail("section does not decompress to %d bytes: %v", size, err)
			return nil
		}
		return raw
	}
	r.fail("section mode %d", mode)
	return nil
}
