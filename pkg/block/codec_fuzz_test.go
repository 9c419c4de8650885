package block

import (
	"encoding/binary"
	"testing"

	"github.com/cespare/xxhash/v2"
)

// reseal replaces data's checksum with the right one, so the fuzzer's mutations
// reach the body parser instead of stopping at the checksum.
func reseal(data []byte) []byte {
	if len(data) < checksumSize {
		return data
	}
	out := append([]byte(nil), data...)
	body := out[:len(out)-checksumSize]
	binary.LittleEndian.PutUint64(out[len(out)-checksumSize:], xxhash.Sum64(body))
	return out
}

// FuzzDecodeBlock checks that no input makes decodeBlock panic or return a block
// that breaks the Block invariants the engine relies on.
func FuzzDecodeBlock(f *testing.F) {
	f.Add(mustEncode(f, "k", handBlock()))
	f.Add(mustEncode(f, "k", New(0, day, day.Add(3600e9), nil, NewProfiles())))
	// A slice of real-looking sign-ins; small, because the fuzzer minimises slowly on large inputs.
	events := synthEvents(f, "small", 3, busyHour)
	f.Add(mustEncode(f, "k", New(3, busyHour, busyHour.Add(3600e9), events[:min(len(events), 40)], NewProfiles())))
	f.Add([]byte("SILB\x01"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, reseal(data)} {
			b, err := Decode(in, "k", nil)
			if err != nil {
				continue
			}
			checkInvariants(t, b)
			again, err := Decode(mustEncode(t, "k", b), "k", nil)
			if err != nil {
				t.Fatalf("a decoded block does not survive re-encoding: %v", err)
			}
			checkInvariants(t, again)
		}
	})
}

func checkInvariants(t *testing.T, b *Block) {
	t.Helper()
	n := b.Len()
	if b.IDs.Len() != n || b.Profile.Len() != n {
		t.Fatalf("columns differ: %d times, %d ids, %d profile indexes", n, b.IDs.Len(), b.Profile.Len())
	}
	start, end := b.Start.UnixNano(), b.End.UnixNano()
	for i, ts := range b.Times.appendTo(nil) {
		if ts < start || ts >= end || i > 0 && ts < b.Times.At(i-1) {
			t.Fatalf("time %d = %d outside [%d, %d) or out of order", i, ts, start, end)
		}
		if int(b.Profile.At(i)) >= b.Profiles.Len() {
			t.Fatalf("profile index %d out of %d", b.Profile.At(i), b.Profiles.Len())
		}
		_ = b.Event(i)
	}
}
