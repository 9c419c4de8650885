package synth

import (
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The medium tenant is the demo: about 2,000 users and about 300,000 sign-ins
// on a workday, 70% of them non-interactive refreshes.
func TestMediumWorkdayVolume(t *testing.T) {
	s := mediumWednesday()
	if total := s.total(); total < 250_000 || total > 400_000 {
		t.Fatalf("unexpected sign-ins on a medium Wednesday; got %d; want 250,000-400,000", total)
	}
	if share := float64(s.count[signin.NonInteractive]) / float64(s.total()); share < 0.65 || share > 0.8 {
		t.Fatalf("unexpected non-interactive share; got %.3f; want 0.65-0.80", share)
	}
	// A few interactive sign-ins per active user.
	if perUser := float64(s.count[signin.Interactive]) / float64(len(s.users)); perUser < 2 || perUser > 6 {
		t.Fatalf("unexpected interactive sign-ins per user; got %.2f; want 2-6", perUser)
	}
	// Nearly all of the 2,000 users sign in on a workday.
	if n := len(s.users); n < 1800 || n > 2000 {
		t.Fatalf("unexpected distinct users; got %d; want 1,800-2,000", n)
	}
	if s.duplicates != 0 {
		t.Fatalf("unexpected duplicate ids in a day; got %d; want 0", s.duplicates)
	}
}

func TestWeekendsAreQuieter(t *testing.T) {
	wed, sat := mediumWednesday(), mediumSaturday()
	if ratio := float64(sat.total()) / float64(wed.total()); ratio > 0.4 {
		t.Fatalf("unexpected Saturday/Wednesday ratio; got %.2f; want at most 0.40", ratio)
	}
	// User sign-ins drop most; workloads keep their schedules.
	if ratio := float64(sat.count[signin.Interactive]) / float64(wed.count[signin.Interactive]); ratio > 0.15 {
		t.Fatalf("unexpected interactive Saturday/Wednesday ratio; got %.2f; want at most 0.15", ratio)
	}
	if ratio := float64(sat.count[signin.ManagedIdentity]) / float64(wed.count[signin.ManagedIdentity]); ratio < 0.7 {
		t.Fatalf("unexpected managed identity Saturday/Wednesday ratio; got %.2f; want at least 0.7", ratio)
	}
}

func TestSmallIsFarSmaller(t *testing.T) {
	s := statsOf(mustQuiet(t, 1, "small"), wednesday)
	if total := s.total(); total < 2_000 || total > 15_000 {
		t.Fatalf("unexpected sign-ins on a small Wednesday; got %d; want 2,000-15,000", total)
	}
	if s.total()*20 > mediumWednesday().total() {
		t.Fatalf("small (%d) is not far smaller than medium (%d)", s.total(), mediumWednesday().total())
	}
}

// Failure shares: interactive 5-10% failed (plus interrupts), token refreshes
// and workloads much lower.
func TestFailureShares(t *testing.T) {
	s := mediumWednesday()
	f := func(lt signin.LogType, lo, hi float64) {
		t.Helper()
		if share := float64(s.failures[lt]) / float64(s.count[lt]); share < lo || share > hi {
			t.Fatalf("unexpected %s failure share; got %.4f; want %.4f-%.4f", lt, share, lo, hi)
		}
	}
	f(signin.Interactive, 0.05, 0.10)
	f(signin.NonInteractive, 0.001, 0.01)
	f(signin.ServicePrincipal, 0.0005, 0.02)
	f(signin.ManagedIdentity, 0, 0.005)
	if share := float64(s.interrupts[signin.Interactive]) / float64(s.count[signin.Interactive]); share < 0.03 || share > 0.08 {
		t.Fatalf("unexpected interactive interrupt share; got %.4f; want 0.03-0.08", share)
	}
}

// Dashboards break sign-ins down by browser, OS, client app and place: the
// demo must have the real values to show.
func TestDimensionsHaveRealValues(t *testing.T) {
	s := mediumWednesday()
	f := func(name string, seen map[string]bool, want ...string) {
		t.Helper()
		for _, w := range want {
			if !seen[w] {
				t.Fatalf("no sign-in with %s %q", name, w)
			}
		}
	}
	f("browser", s.browsers, "Chrome 120.0.0", "Edge 120.0.2210", "Firefox 121.0", "Safari 17.2", "Mobile Safari", "IE 11.0", "Rich Client 5.2.9.0")
	f("operating system", s.systems, "Windows 10", "Windows10", "MacOs", "Ios", "Android", "Linux")
	f("client app", s.clientApps, "Browser", "Mobile Apps and Desktop clients", "Exchange ActiveSync")
	if len(s.cities) < 20 {
		t.Fatalf("unexpected number of cities with coordinates; got %d; want at least 20", len(s.cities))
	}
}
