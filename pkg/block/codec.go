package block

import (
	"encoding/binary"
	"fmt"

	"github.com/cespare/xxhash/v2"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The block codec turns a Block into the bytes the caches hold. A cached value
// outlives the process that wrote it (files, memcached shared by replicas, other
// builds), so every value says what it is and proves it is whole:
//
//	magic "SILB" | formatVersion | uvarint len + cache key | body | xxhash64 of all before (8 bytes, LE)
//
// body:
//
//	logType byte | start, end (varint Unix ns) | profiles section | sign-ins
//	section: mode byte (0 raw, 1 zstd) | uvarint raw length | [uvarint packed length] | bytes
//	profiles: uvarint count P; a dictionary per string field (uvarint count,
//	          uvarint len + bytes each) and per coordinate (8-byte float bits each);
//	          then per field group (see profileGroups) a dictionary of tuples
//	          (uvarint count, per tuple one uvarint per field: a dictionary index
//	          or a small integer) and P uvarint tuple indexes
//	sign-ins: uvarint count N; when N > 0 the first time (varint), a unit (uvarint,
//	          the GCD of all offsets, so second-precision timestamps cost a byte),
//	          N-1 uvarint deltas in units; an id mode byte (1: all canonical UUIDs,
//	          16 bytes each; 0: per id uvarint 0 + 16 bytes, or len+1 + bytes);
//	          N profile indexes (uvarint 0: the next profile not used before,
//	          else index+1 — profiles are numbered in order of first use, so a
//	          block where most sign-ins have a profile of their own pays a byte)
//
// Decoding checks everything and turns anything unexpected into an error, which
// the store treats as a miss: a damaged or foreign value costs a refetch, never
// a wrong count.
const (
	blockMagic    = "SILB"
	formatVersion = 2 // 2: the authentication and risk fields
	checksumSize  = 8
)

// idsUUID and idsMixed are the id modes.
const (
	idsMixed byte = 0
	idsUUID  byte = 1
)

// Encode appends the encoding of b under cache key to dst.
func Encode(dst []byte, key string, b *Block) ([]byte, error) {
	times := b.Times.appendTo(nil)
	for i := 1; i < len(times); i++ {
		if times[i] < times[i-1] {
			return nil, fmt.Errorf("encoding block %s: times not ascending at %d", key, i)
		}
	}
	if b.IDs.Len() != len(times) || b.Profile.Len() != len(times) {
		return nil, fmt.Errorf("encoding block %s: columns differ in length", key)
	}
	start := len(dst)
	dst = append(dst, blockMagic...)
	dst = append(dst, formatVersion)
	dst = appendString(dst, key)
	dst = append(dst, byte(b.LogType))
	dst = binary.AppendVarint(dst, b.Start.UnixNano())
	dst = binary.AppendVarint(dst, b.End.UnixNano())
	profiles, index := b.localProfiles()
	dst = appendSection(dst, appendProfiles(nil, profiles))
	dst = appendTimes(dst, times)
	dst = appendIDs(dst, &b.IDs)
	dst = appendProfileIndexes(dst, index)
	return binary.LittleEndian.AppendUint64(dst, xxhash.Sum64(dst[start:])), nil
}

// localProfiles numbers the block's profiles in order of first use, as the
// encoding wants them, and returns them with each sign-in's local index.
func (b *Block) localProfiles() ([]signin.Event, []uint32) {
	local := make(map[uint32]uint32)
	var profiles []signin.Event
	index := make([]uint32, b.Profile.Len())
	for i, id := range b.Profile.appendTo(nil) {
		l, ok := local[id]
		if !ok {
			l = uint32(len(profiles)) // #nosec G115 -- a block holds at most a window of sign-ins, far fewer than 2^32 profiles
			local[id] = l
			profiles = append(profiles, *b.Profiles.At(id))
		}
		index[i] = l
	}
	return profiles, index
}

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// appendTimes writes ascending times as a first value and deltas in the largest
// unit that divides them all.
func appendTimes(dst []byte, times []int64) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(times)))
	if len(times) == 0 {
		return dst
	}
	unit := uint64(0)
	for _, t := range times[1:] {
		unit = gcd(unit, uint64(t-times[0])) // #nosec G115 -- Encode refuses unsorted times, so t-times[0] >= 0
	}
	if unit == 0 {
		unit = 1
	}
	dst = binary.AppendVarint(dst, times[0])
	dst = binary.AppendUvarint(dst, unit)
	for i := 1; i < len(times); i++ {
		dst = binary.AppendUvarint(dst, uint64(times[i]-times[i-1])/unit) // #nosec G115 -- Encode refuses unsorted times, so the delta is >= 0
	}
	return dst
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

func appendIDs(dst []byte, ids *IDs) []byte {
	if ids.text == nil {
		dst = append(dst, idsUUID)
		for _, u := range ids.packed {
			dst = append(dst, u[:]...)
		}
		return dst
	}
	// A block keeps strings when some id is not a canonical UUID; the others
	// are still packed here.
	var u [16]byte
	dst = append(dst, idsMixed)
	for _, id := range ids.text {
		if parseUUID(id, &u) {
			dst = append(dst, 0)
			dst = append(dst, u[:]...)
			continue
		}
		dst = binary.AppendUvarint(dst, uint64(len(id))+1)
		dst = append(dst, id...)
	}
	return dst
}
