package block

import (
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// sinkBytes and sinkBlock keep the compiler from discarding benchmarked work.
var (
	sinkBytes []byte
	sinkBlock *Block
)

// TestEncodedSizeMedium reports the encoded size of a busy hour of the medium
// synthetic tenant and holds it to the design budget of 32 bytes per sign-in.
func TestEncodedSizeMedium(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a medium tenant")
	}
	total, n := 0, 0
	for _, lt := range signin.LogTypes {
		b := synthBlock(t, "medium", lt, busyHour)
		size := len(mustEncode(t, "v1:ns:"+lt.String()+":0:3600", b))
		t.Logf("%s: %d sign-ins, %d profiles, %d bytes, %.1f bytes/sign-in", lt, b.Len(), b.Profiles.Len(), size, float64(size)/float64(b.Len()))
		total, n = total+size, n+b.Len()
	}
	perSignIn := float64(total) / float64(n)
	t.Logf("all: %d sign-ins, %.1f bytes/sign-in", n, perSignIn)
	if perSignIn > 32 {
		t.Fatalf("unexpected encoded size; got %.1f bytes/sign-in; want <= 32", perSignIn)
	}
}

func BenchmarkEncodeBlock(b *testing.B) {
	for _, lt := range signin.LogTypes {
		b.Run(lt.String(), func(b *testing.B) {
			blk := synthBlock(b, "medium", lt, busyHour)
			buf := mustEncode(b, "k", blk)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sinkBytes, _ = Encode(buf[:0], "k", blk)
			}
			b.ReportMetric(float64(blk.Len())*float64(b.N)/b.Elapsed().Seconds(), "signins/s")
			b.ReportMetric(float64(len(buf))/float64(blk.Len()), "bytes/signin")
		})
	}
}

func BenchmarkDecodeBlock(b *testing.B) {
	for _, lt := range signin.LogTypes {
		b.Run(lt.String(), func(b *testing.B) {
			blk := synthBlock(b, "medium", lt, busyHour)
			buf := mustEncode(b, "k", blk)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				sinkBlock, _ = Decode(buf, "k", nil)
			}
			b.ReportMetric(float64(blk.Len())*float64(b.N)/b.Elapsed().Seconds(), "signins/s")
			b.ReportMetric(float64(len(buf))/float64(blk.Len()), "bytes/signin")
		})
	}
}
