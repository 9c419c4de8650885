package synth

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func TestSizes(t *testing.T) {
	if got, want := Sizes(), []string{"small", "medium", "large"}; !slices.Equal(got, want) {
		t.Fatalf("unexpected Sizes(); got %q; want %q", got, want)
	}
}

func TestNewRejectsUnknownSize(t *testing.T) {
	f := func(newTenant func(int64, string) (*Tenant, error)) {
		t.Helper()
		tn, err := newTenant(1, "huge")
		if tn != nil || !errors.Is(err, ErrUnknownSize) {
			t.Fatalf("unexpected result for size huge; got %v, %v; want nil, ErrUnknownSize", tn, err)
		}
		want := `synthetic tenant: synth: unknown tenant size "huge"; want one of small, medium, large`
		if err.Error() != want {
			t.Fatalf("unexpected error; got %q; want %q", err, want)
		}
	}
	f(New)
	f(NewQuiet)
}

func TestPopulationSizes(t *testing.T) {
	f := func(size string, users, sps, mis int) {
		t.Helper()
		p := mustNew(t, 1, size).pop
		if len(p.users) != users {
			t.Fatalf("unexpected %s users; got %d; want %d", size, len(p.users), users)
		}
		if got := countIdentities(p.servicePrincipals); got != sps {
			t.Fatalf("unexpected %s service principals; got %d; want %d", size, got, sps)
		}
		if got := countIdentities(p.managedIdentities); got != mis {
			t.Fatalf("unexpected %s managed identities; got %d; want %d", size, got, mis)
		}
	}
	f("small", 60, 4, 3)
	f("medium", 2000, 180, 130)
}

func countIdentities(jobs []*job) int {
	ids := map[string]bool{}
	for _, j := range jobs {
		ids[j.base.ServicePrincipalID] = true
	}
	return len(ids)
}

func TestHourIsDeterministic(t *testing.T) {
	a, b, other := mustNew(t, 7, "small"), mustNew(t, 7, "small"), mustNew(t, 8, "small")
	hour := wednesday.Add(14 * time.Hour)
	for _, lt := range signin.LogTypes {
		ja := mustJSON(t, a.Hour(lt, hour))
		if jb := mustJSON(t, b.Hour(lt, hour)); ja != jb {
			t.Fatalf("%s: two tenants with seed 7 differ", lt)
		}
		if jo := mustJSON(t, other.Hour(lt, hour)); ja == jo {
			t.Fatalf("%s: seeds 7 and 8 give the same sign-ins", lt)
		}
		// The same hour asked again, after other hours, is still the same.
		a.Hour(lt, hour.Add(-5*time.Hour))
		if again := mustJSON(t, a.Hour(lt, hour)); ja != again {
			t.Fatalf("%s: asking again gives different sign-ins", lt)
		}
	}
}

func TestHourTruncatesToTheUTCHour(t *testing.T) {
	tn := mustNew(t, 7, "small")
	hour := wednesday.Add(9 * time.Hour)
	want := mustJSON(t, tn.Hour(signin.NonInteractive, hour))
	f := func(at time.Time) {
		t.Helper()
		if got := mustJSON(t, tn.Hour(signin.NonInteractive, at)); got != want {
			t.Fatalf("Hour(%s) differs from Hour(%s)", at, hour)
		}
	}
	f(hour.Add(59*time.Minute + 59*time.Second))
	f(hour.Add(17 * time.Minute).In(time.FixedZone("CET", 3600)))
}

func TestHourRejectsUnknownLogType(t *testing.T) {
	if got := mustNew(t, 7, "small").Hour(signin.LogType(9), wednesday); got != nil {
		t.Fatalf("unexpected sign-ins for an unknown log type: %d", len(got))
	}
}

// Every record of a week is in its hour, parses as RFC 3339, and comes newest
// first with ties broken by id; ids are unique within each day.
func TestHourOrderAndTimes(t *testing.T) {
	tn := mustNew(t, 7, "small")
	for d := range 7 {
		seen := map[string]bool{}
		for _, lt := range signin.LogTypes {
			for h := range 24 {
				hour := monday.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour)
				checkHour(t, tn.Hour(lt, hour), hour, seen)
			}
		}
	}
}

func checkHour(t *testing.T, recs []SignIn, hour time.Time, seen map[string]bool) {
	t.Helper()
	for i, r := range recs {
		created, err := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
		if err != nil || len(r.CreatedDateTime) != len("2026-01-14T14:05:33.1234567Z") {
			t.Fatalf("createdDateTime %q is not Graph's format: %v", r.CreatedDateTime, err)
		}
		if created.Before(hour) || !created.Before(hour.Add(time.Hour)) {
			t.Fatalf("record created %s is outside the hour %s", created, hour)
		}
		if seen[r.ID] {
			t.Fatalf("duplicate id %s on %s", r.ID, hour.Format(time.DateOnly))
		}
		seen[r.ID] = true
		if i == 0 {
			continue
		}
		prev := recs[i-1]
		if prev.CreatedDateTime < r.CreatedDateTime || (prev.CreatedDateTime == r.CreatedDateTime && prev.ID < r.ID) {
			t.Fatalf("records %d and %d are out of order: %s %s, %s %s", i-1, i, prev.CreatedDateTime, prev.ID, r.CreatedDateTime, r.ID)
		}
	}
}

func TestRangeIsMadeOfHours(t *testing.T) {
	tn := mustNew(t, 7, "small")
	for _, lt := range signin.LogTypes {
		from := wednesday.Add(13 * time.Hour)
		var want []SignIn
		for h := 2; h >= 0; h-- {
			want = append(want, tn.Hour(lt, from.Add(time.Duration(h)*time.Hour))...)
		}
		if got := tn.Range(lt, from, from.Add(3*time.Hour)); mustJSON(t, got) != mustJSON(t, want) {
			t.Fatalf("%s: Range over whole hours differs from the hours (%d vs %d records)", lt, len(got), len(want))
		}
	}
}

// Range keeps exactly the records created in [from, to), however the bounds
// fall: across hours, inside one hour, on a record's instant or just after it.
func TestRangeTrimsPartialHours(t *testing.T) {
	tn := mustNew(t, 7, "small")
	all := map[signin.LogType][]SignIn{}
	for _, lt := range signin.LogTypes {
		all[lt] = tn.Range(lt, wednesday.Add(12*time.Hour), wednesday.Add(17*time.Hour))
	}
	f := func(lt signin.LogType, from, to time.Time) {
		t.Helper()
		var want []SignIn
		for _, r := range all[lt] {
			created, _ := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
			if !created.Before(from) && created.Before(to) {
				want = append(want, r)
			}
		}
		if got := tn.Range(lt, from, to); mustJSON(t, got) != mustJSON(t, want) {
			t.Fatalf("%s: Range(%s, %s) has %d records; want %d", lt, from, to, len(got), len(want))
		}
	}
	for _, lt := range signin.LogTypes {
		f(lt, wednesday.Add(13*time.Hour+10*time.Minute+30*time.Second), wednesday.Add(15*time.Hour+5*time.Minute))
		f(lt, wednesday.Add(14*time.Hour+20*time.Minute), wednesday.Add(14*time.Hour+40*time.Minute))
	}
	recs := tn.Hour(signin.NonInteractive, wednesday.Add(14*time.Hour))
	newest, _ := time.Parse(time.RFC3339Nano, recs[0].CreatedDateTime)
	oldest, _ := time.Parse(time.RFC3339Nano, recs[len(recs)-1].CreatedDateTime)
	f(signin.NonInteractive, oldest, newest)
	f(signin.NonInteractive, oldest.Add(time.Nanosecond), newest.Add(time.Nanosecond))
	if got := tn.Range(signin.NonInteractive, newest, oldest); got != nil {
		t.Fatalf("unexpected records for an empty range: %d", len(got))
	}
}

func TestTenantString(t *testing.T) {
	f := func(tn *Tenant, want string) {
		t.Helper()
		if got := tn.String(); got != want {
			t.Fatalf("unexpected String(); got %q; want %q", got, want)
		}
	}
	f(mustNew(t, 7, "small"), "synthetic tenant small/7")
	f(mustQuiet(t, -3, "small"), "synthetic tenant small/-3 (quiet)")
}

// Hour only reads the tenant, so concurrent calls agree with serial ones (run
// with -race to check for data races).
func TestHourIsSafeForConcurrentUse(t *testing.T) {
	tn := mustNew(t, 7, "small")
	hour := wednesday.Add(14 * time.Hour)
	want := mustJSON(t, tn.Hour(signin.Interactive, hour))
	results := make(chan []SignIn, 4)
	for range 4 {
		go func() { results <- tn.Hour(signin.Interactive, hour) }()
	}
	for range 4 {
		if got := mustJSON(t, <-results); got != want {
			t.Fatalf("a concurrent Hour differs from a serial one")
		}
	}
}
