package synth

import (
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// sink keeps the compiler from discarding the benchmarked work.
var sink []SignIn

// benchHour is a busy hour: Wednesday 14:00 UTC, when Europe and the United
// States both work.
var benchHour = time.Date(2026, 1, 14, 14, 0, 0, 0, time.UTC)

func benchmarkHour(b *testing.B, size string, lt signin.LogType) {
	tn, err := New(1, size)
	if err != nil {
		b.Fatal(err)
	}
	records := 0
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Walk through the day's busy hours so no single hour is favoured.
		sink = tn.Hour(lt, benchHour.Add(time.Duration(i%4)*time.Hour))
		records += len(sink)
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "signins/s")
	b.ReportMetric(float64(records)/float64(b.N), "signins/op")
}

func BenchmarkHour(b *testing.B) {
	for _, size := range []string{"medium", "large"} {
		for _, lt := range signin.LogTypes {
			b.Run(size+"/"+lt.String(), func(b *testing.B) { benchmarkHour(b, size, lt) })
		}
	}
}
