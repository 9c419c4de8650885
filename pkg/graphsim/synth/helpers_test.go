package synth

import (
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Test days: a Wednesday and the Saturday after it.
var (
	wednesday = time.Date(2026, 1, 14, 0, 0, 0, 0, time.UTC)
	saturday  = time.Date(2026, 1, 17, 0, 0, 0, 0, time.UTC)
	monday    = time.Date(2026, 1, 12, 0, 0, 0, 0, time.UTC)
)

func mustNew(tb testing.TB, seed int64, size string) *Tenant {
	tb.Helper()
	tn, err := New(seed, size)
	if err != nil {
		tb.Fatalf("New(%d, %q): %v", seed, size, err)
	}
	return tn
}

func mustQuiet(tb testing.TB, seed int64, size string) *Tenant {
	tb.Helper()
	tn, err := NewQuiet(seed, size)
	if err != nil {
		tb.Fatalf("NewQuiet(%d, %q): %v", seed, size, err)
	}
	return tn
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	return string(b)
}

// dayStats summarises a day of one tenant without keeping its records, which
// for the medium tenant would take a quarter of a gigabyte.
type dayStats struct {
	count      [4]int
	failures   [4]int
	interrupts [4]int
	users      map[string]bool // distinct userId, all types
	ids        map[string]bool
	duplicates int
	browsers   map[string]bool
	systems    map[string]bool
	clientApps map[string]bool
	cities     map[string]bool
}

func (s *dayStats) total() int { return s.count[0] + s.count[1] + s.count[2] + s.count[3] }

func statsOf(tn *Tenant, day time.Time) *dayStats {
	s := &dayStats{
		users: map[string]bool{}, ids: map[string]bool{}, browsers: map[string]bool{},
		systems: map[string]bool{}, clientApps: map[string]bool{}, cities: map[string]bool{},
	}
	for _, lt := range signin.LogTypes {
		for h := range 24 {
			recs := tn.Hour(lt, day.Add(time.Duration(h)*time.Hour))
			for i := range recs {
				s.add(lt, &recs[i])
			}
		}
	}
	return s
}

func (s *dayStats) add(lt signin.LogType, r *SignIn) {
	s.count[lt]++
	switch signin.OutcomeOf(int32(r.Status.ErrorCode)) {
	case signin.Failure:
		s.failures[lt]++
	case signin.Interrupted:
		s.interrupts[lt]++
	}
	if r.UserID != "" {
		s.users[r.UserID] = true
	}
	if s.ids[r.ID] {
		s.duplicates++
	}
	s.ids[r.ID] = true
	s.browsers[r.DeviceDetail.Browser] = true
	s.systems[r.DeviceDetail.OperatingSystem] = true
	s.clientApps[r.ClientAppUsed] = true
	if r.Location.GeoCoordinates.Latitude != nil {
		s.cities[r.Location.City] = true
	}
}

// The medium tenant's Wednesday and Saturday, computed once for all tests.
// They use the quiet tenant so that shares are not skewed by the incidents.
var (
	mediumQuiet     = sync.OnceValue(func() *Tenant { return must(NewQuiet(1, "medium")) })
	mediumWednesday = sync.OnceValue(func() *dayStats { return statsOf(mediumQuiet(), wednesday) })
	mediumSaturday  = sync.OnceValue(func() *dayStats { return statsOf(mediumQuiet(), saturday) })
)

func must(tn *Tenant, err error) *Tenant {
	if err != nil {
		panic(err)
	}
	return tn
}
