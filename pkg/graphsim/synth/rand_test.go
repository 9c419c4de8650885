package synth

import (
	"strings"
	"testing"
)

// The reference splitmix64 stream for seed 0 (Vigna's splitmix64.c): if this
// changes, every generated tenant changes.
func TestRngMatchesSplitmix64(t *testing.T) {
	r := newRng(0)
	for i, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := r.u64(); got != want {
			t.Fatalf("unexpected output %d; got %#x; want %#x", i, got, want)
		}
	}
}

// rootKey must not change between releases: demo dashboards and saved
// screenshots rely on a seed always meaning the same tenant.
func TestRootKeyIsStable(t *testing.T) {
	f := func(seed int64, size string, want uint64) {
		t.Helper()
		if got := rootKey(seed, size); got != want {
			t.Fatalf("unexpected rootKey(%d, %q); got %#x; want %#x", seed, size, got, want)
		}
	}
	f(1, "small", 0x57d4f35de8aa82b0)
	f(-5, "medium", 0xe0dba3f5cdfc7814)
	if rootKey(1, "small") == rootKey(2, "small") || rootKey(1, "small") == rootKey(1, "medium") {
		t.Fatalf("rootKey ignores an input")
	}
	if derive(7, 1, 2) == derive(7, 2, 1) {
		t.Fatalf("derive ignores the order of its values")
	}
}

func TestIntnStaysInRange(t *testing.T) {
	r := newRng(42)
	var seen [7]int
	for range 7000 {
		seen[r.intn(7)]++
	}
	for i, n := range seen {
		// 1000 expected per value; 800 is more than six standard deviations off.
		if n < 800 || n > 1200 {
			t.Fatalf("unexpected count for %d; got %d; want about 1000", i, n)
		}
	}
}

func TestPickFollowsWeights(t *testing.T) {
	r := newRng(3)
	var seen [3]int
	for range 10000 {
		seen[r.pick([]float64{1, 0, 3})]++
	}
	if seen[1] != 0 {
		t.Fatalf("picked a zero weight %d times", seen[1])
	}
	if seen[0] < 2200 || seen[0] > 2800 {
		t.Fatalf("unexpected count for weight 1; got %d; want about 2500", seen[0])
	}
}

func TestIPv4(t *testing.T) {
	r := newRng(9)
	for range 1000 {
		ip := r.ipv4(84, 128)
		parts := strings.Split(ip, ".")
		if len(parts) != 4 || parts[0] != "84" || parts[1] != "128" || parts[3] == "0" || parts[3] == "255" {
			t.Fatalf("unexpected address %q", ip)
		}
	}
}

func TestAppendUint(t *testing.T) {
	f := func(v uint64, want string) {
		t.Helper()
		if got := string(appendUint([]byte("x"), v)); got != "x"+want {
			t.Fatalf("unexpected appendUint(%d); got %q; want %q", v, got, "x"+want)
		}
	}
	f(0, "0")
	f(7, "7")
	f(255, "255")
	f(18446744073709551615, "18446744073709551615")
}
