package bench

import (
	"math"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"time"
)

// profile starts a CPU profile of a measured section into Options.ProfileDir
// and returns the function that stops it; without ProfileDir it does nothing.
func profile(o Options, name string) (stop func()) {
	if o.ProfileDir == "" {
		return func() {}
	}
	path := filepath.Join(o.ProfileDir, name+".prof")
	f, err := os.Create(path)
	if err != nil {
		o.logf("  no profile: %v", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		o.logf("  no profile: %v", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
		o.logf("  CPU profile written to %s", path)
	}
}

// percentile returns the p-th percentile (0 < p ≤ 100) of ds by nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	k := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[min(max(k, 0), len(s)-1)]
}

func median(ds []time.Duration) time.Duration { return percentile(ds, 50) }

// ms converts a duration to milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
