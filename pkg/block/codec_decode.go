package block

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/cespare/xxhash/v2"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Decode decodes a value written by encodeBlock under key. Any mismatch —
// magic, version, key, checksum, structure — is an error wrapping ErrBadEntry,
// which callers treat as a cache miss. The block's profiles are interned in the
// table that tableOf gives for its log type and start; nil gives a new table.
func Decode(data []byte, key string, tableOf func(signin.LogType, time.Time) *Profiles) (*Block, error) {
	if len(data) < len(blockMagic)+1+checksumSize || string(data[:len(blockMagic)]) != blockMagic {
		return nil, fmt.Errorf("%w: not a block", ErrBadEntry)
	}
	if v := data[len(blockMagic)]; v != formatVersion {
		return nil, fmt.Errorf("%w: format version %d, want %d", ErrBadEntry, v, formatVersion)
	}
	body, sum := data[:len(data)-checksumSize], data[len(data)-checksumSize:]
	if xxhash.Sum64(body) != binary.LittleEndian.Uint64(sum) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadEntry)
	}
	r := reader{buf: body[len(blockMagic)+1:]}
	if got := r.string(); r.err == nil && got != key {
		return nil, fmt.Errorf("%w: written under key %q, read under %q", ErrBadEntry, got, key)
	}
	b, profiles := r.block()
	if r.err == nil && len(r.buf) != 0 {
		r.fail("%d trailing bytes", len(r.buf))
	}
	if r.err != nil {
		return nil, r.err
	}
	if tableOf == nil {
		b.Profiles = NewProfiles()
	} else {
		b.Profiles = tableOf(b.LogType, b.Start)
	}
	ids := make([]uint32, len(profiles))
	for k := range profiles {
		ids[k] = b.Profiles.Intern(&profiles[k])
	}
	local := b.Profile.Wide() // the body's local indexes, decoded wide
	for i, l := range local {
		local[i] = ids[l]
	}
	b.Profile = newProfileIDs(local)
	return b, nil
}

// reader consumes an encoded body; the first error sticks and every later read
// returns zero values, so decoding code reads straight through and checks once.
type reader struct {
	buf []byte
	err error
}

func (r *reader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrBadEntry, fmt.Sprintf(format, args...))
	}
	r.buf = nil
}

func (r *reader) uvarint() uint64 { return readVarint(r, binary.Uvarint) }

func (r *reader) varint() int64 { return readVarint(r, binary.Varint) }

// readVarint reads one varint with decode (binary.Uvarint or binary.Varint)
// and fails the reader on a truncated or overlong one.
func readVarint[T uint64 | int64](r *reader, decode func([]byte) (T, int)) T {
	v, n := decode(r.buf)
	if n <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.buf = r.buf[n:]
	return v
}

func (r *reader) bytes(n uint64) []byte {
	if n > uint64(len(r.buf)) {
		r.fail("%d bytes wanted, %d left", n, len(r.buf))
		return nil
	}
	b := r.buf[:n]
	r.buf = r.buf[n:]
	return b
}

func (r *reader) byte() byte {
	b := r.bytes(1)
	if b == nil {
		return 0
	}
	return b[0]
}

func (r *reader) string() string { return string(r.bytes(r.uvarint())) }

// count reads a length and rejects one larger than the bytes left divided by the
// least each item costs, so a damaged length cannot make decoding allocate gigabytes.
func (r *reader) count(minBytes int) int {
	n := r.uvarint()
	// #nosec G115 -- len(r.buf)/minBytes is a non-negative int
	if n > uint64(len(r.buf)/minBytes) {
		r.fail("count %d exceeds what %d bytes can hold", n, len(r.buf))
		return 0
	}
	return int(n) // #nosec G115 -- n <= len(r.buf), checked just above
}

// index reads a dictionary index and checks it against the dictionary's size.
func (r *reader) index(size int) uint32 {
	j := r.uvarint()
	// #nosec G115 -- size is a dictionary length, non-negative
	if j >= uint64(size) {
		r.fail("index %d out of %d", j, size)
		return 0
	}
	return uint32(j) // #nosec G115 -- j < size <= 2^32, checked just above
}

// block reads a block with its profiles apart: Profile holds indexes into them.
func (r *reader) block() (*Block, []signin.Event) {
	b := &Block{LogType: signin.LogType(r.byte())}
	if b.LogType > signin.ManagedIdentity {
		r.fail("log type %d", b.LogType)
	}
	start, end := r.varint(), r.varint()
	if r.err == nil && start >= end {
		r.fail("window [%d, %d) empty", start, end)
	}
	b.Start, b.End = time.Unix(0, start).UTC(), time.Unix(0, end).UTC()
	var profiles []signin.Event
	if sec := r.section(); r.err == nil {
		pr := reader{buf: sec}
		profiles = pr.profiles()
		if pr.err == nil && len(pr.buf) != 0 {
			pr.fail("%d bytes after the profiles", len(pr.buf))
		}
		if pr.err != nil {
			r.fail("profiles: %v", pr.err)
		}
	}
	b.Times = newTimes(r.times(start, end))
	n := b.Times.Len()
	b.IDs = r.ids(n)
	b.Profile = ProfileIDs{wide: r.profileIndexes(n, len(profiles))}
	return b, profiles
}

// times reads the time column and checks every time lies in [start, end), which
// also rules out overflow: no delta may step past end.
func (r *reader) times(start, end int64) []int64 {
	n := r.count(3) // a delta, an id and a profile index at least
	if n == 0 || r.err != nil {
		return nil
	}
	times := make([]int64, 0, n)
	t := r.varint()
	unit := r.uvarint()
	if r.err == nil && (t < start || t >= end || unit == 0) {
		r.fail("first time %d outside [%d, %d) or unit %d", t, start, end, unit)
	}
	times = append(times, t)
	for i := 1; i < n && r.err == nil; i++ {
		d := r.uvarint()
		// #nosec G115 -- t < end, checked for every time read, so end-1-t >= 0
		if d > uint64(end-1-t)/unit {
			r.fail("time %d steps past the window end", i)
			break
		}
		t += int64(d * unit) // #nosec G115 -- d*unit <= end-1-t, checked just above: no overflow, no wrap
		times = append(times, t)
	}
	return times
}

func (r *reader) ids(n int) IDs {
	mode := r.byte()
	if r.err != nil || n == 0 {
		return IDs{packed: make([][16]byte, 0)}
	}
	switch mode {
	case idsUUID:
		raw := r.bytes(uint64(n) * 16) // #nosec G115 -- n <= len(r.buf) (count), so n*16 fits
		if raw == nil {
			return IDs{}
		}
		packed := make([][16]byte, n)
		for i := range packed {
			copy(packed[i][:], raw[i*16:])
		}
		return IDs{packed: packed}
	case idsMixed:
		ids := newIDBuilder(n)
		for i := 0; i < n && r.err == nil; i++ {
			l := r.uvarint()
			if l == 0 {
				if u := r.bytes(16); u != nil {
					ids.add(string(appendUUID(nil, u)))
				}
				continue
			}
			ids.add(string(r.bytes(l - 1)))
		}
		return ids.done()
	}
	r.fail("id mode %d", mode)
	return IDs{}
}
