// Package synth generates a synthetic Entra ID tenant's sign-ins. The generator is a
// pure function of (seed, size, log type, hour): any hour is produced without
// producing the others, and the same inputs always give the same sign-ins, ids
// included. It is the demo tenant, the tests' ground truth and the benchmarks' load.
//
// The tenant (Contoso) has members in Germany, the United States, the United
// Kingdom and elsewhere in Europe, working local business hours (so the UTC
// curve peaks in the afternoon, when both sides of the Atlantic work) on
// weekdays; weekends are much quieter. Non-interactive token refreshes are
// about 70% of the volume; service principals and managed identities run on
// fixed schedules around the clock. Attacks are injected weekly (see
// IncidentKind) unless the tenant is quiet.
package synth

import (
	"fmt"
	"slices"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Tenant is a synthetic tenant: a seed and a size. Its population is built by
// New; after that it is read-only, so Hour and Range are safe to call from
// many goroutines at once.
type Tenant struct {
	seed     int64
	size     string
	quiet    bool
	key      uint64 // hashes seed and size; roots every random stream
	schedule [len(incidentKinds)]int64
	pop      *population
}

// New returns the tenant for a seed and a size ("small", "medium" or "large"),
// with weekly injected incidents.
func New(seed int64, size string) (*Tenant, error) {
	prof, err := profileOf(size)
	if err != nil {
		return nil, fmt.Errorf("synthetic tenant: %w", err)
	}
	key := rootKey(seed, size)
	return &Tenant{
		seed:     seed,
		size:     size,
		key:      key,
		schedule: scheduleOf(seed),
		pop:      newPopulation(key, prof),
	}, nil
}

// NewQuiet returns the same tenant as New without the injected incidents:
// every other sign-in, ids included, is identical. Alert rules should stay
// silent on it.
func NewQuiet(seed int64, size string) (*Tenant, error) {
	t, err := New(seed, size)
	if err != nil {
		return nil, err
	}
	t.quiet = true
	return t, nil
}

// String names the tenant for logs, e.g. "synthetic tenant medium/1 (quiet)".
func (t *Tenant) String() string {
	s := fmt.Sprintf("synthetic tenant %s/%d", t.size, t.seed)
	if t.quiet {
		s += " (quiet)"
	}
	return s
}

// Hour returns the sign-ins of log type lt created in [hour, hour+1h), newest first
// (createdDateTime descending, ties broken by id descending). hour is truncated to the UTC hour.
// The records share read-only slices and pointers; copy before modifying them.
func (t *Tenant) Hour(lt signin.LogType, hour time.Time) []SignIn {
	h := floorDiv(tickOf(hour), hourTk) * hourTk
	var ds []draft
	switch lt {
	case signin.Interactive:
		ds = append(t.interactive(h), t.incidentDrafts(h)...)
	case signin.NonInteractive:
		ds = t.nonInteractive(h)
	case signin.ServicePrincipal:
		ds = workloads(t.pop.servicePrincipals, spFailRate, h)
	case signin.ManagedIdentity:
		ds = workloads(t.pop.managedIdentities, miFailRate, h)
	default:
		return nil
	}
	return finish(ds, derive(t.key, streamRecordID, uint64(lt), uint64(h)), h) // #nosec G115 -- a key's bit pattern
}

// Range returns the sign-ins of log type lt created in [from, to), newest
// first, made of Hour's results with the partial hours at either end trimmed.
// Like Hour, it returns nil when there are none.
func (t *Tenant) Range(lt signin.LogType, from, to time.Time) []SignIn {
	lo, hi := tickCeil(from), tickCeil(to)
	if lo >= hi {
		return nil
	}
	first, last := floorDiv(lo, hourTk)*hourTk, floorDiv(hi-1, hourTk)*hourTk
	loText, hiText := formatTick(lo), formatTick(hi)
	var hours [][]SignIn
	total := 0
	for h := last; h >= first; h -= hourTk {
		recs := t.Hour(lt, timeOf(h))
		// Fixed-width createdDateTime strings sort like the instants they name.
		if h == first {
			recs = recs[:sortedCut(recs, loText)]
		}
		if h == last {
			recs = recs[sortedCut(recs, hiText):]
		}
		hours = append(hours, recs)
		total += len(recs)
	}
	if total == 0 {
		return nil
	}
	out := make([]SignIn, 0, total)
	for _, recs := range hours {
		out = append(out, recs...)
	}
	return out
}

// sortedCut returns the index of the first record, in newest-first order,
// created before the instant formatted as text.
func sortedCut(recs []SignIn, text string) int {
	i, _ := slices.BinarySearchFunc(recs, text, func(r SignIn, s string) int {
		if r.CreatedDateTime >= s {
			return -1
		}
		return 1
	})
	return i
}
