package query

import (
	"fmt"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Metric is what a bucket or group reports.
type Metric string

// Metrics of the contract. Distinct counts are exact over their bucket or group,
// never sums of smaller counts.
const (
	Count             Metric = "count"
	Successes         Metric = "successes"
	Failures          Metric = "failures"
	Interrupts        Metric = "interrupts"
	FailureRate       Metric = "failureRate"
	SuccessRate       Metric = "successRate"
	DistinctUsers     Metric = "distinctUsers"
	DistinctApps      Metric = "distinctApps"
	DistinctIPs       Metric = "distinctIPs"
	DistinctResources Metric = "distinctResources"
	// DistinctCountries counts the countries or regions sign-ins came from:
	// one user from several within hours is what Sentinel's sign-in location
	// rules look for.
	DistinctCountries Metric = "distinctCountries"
	// LastSignIn is the time of a group's latest sign-in, in Unix
	// milliseconds, for tables only: when a credential or an app was last used.
	LastSignIn Metric = "lastSignIn"
	// FirstSignIn is the time of a group's earliest sign-in in the range, in
	// Unix milliseconds, for tables only: when an entity was first seen.
	FirstSignIn Metric = "firstSignIn"
	// SuccessAfterFailure is 1 for a group whose latest success in the range
	// came after its earliest failure, else 0, for tables only: a password
	// guessed, MFA prompts given in to (Sentinel's sequences of failures then
	// a success).
	SuccessAfterFailure Metric = "successAfterFailure"
)

var metrics = []Metric{Count, Successes, Failures, Interrupts, FailureRate, SuccessRate, DistinctUsers, DistinctApps, DistinctIPs, DistinctResources, DistinctCountries, FirstSignIn, LastSignIn, SuccessAfterFailure}

func parseMetric(s string) (Metric, error) {
	for _, m := range metrics {
		if string(m) == s {
			return m, nil
		}
	}
	names := make([]string, len(metrics))
	for i, m := range metrics {
		names[i] = string(m)
	}
	return "", fmt.Errorf("%w: unknown metric %s; want one of %s", ErrInvalidQuery, clip.Quote(s), strings.Join(names, ", "))
}

// distinctKey returns what a distinct metric counts for a sign-in: the id where
// Graph has one (names change, ids do not), else the name; "" is not counted.
func (m Metric) distinctKey(e *signin.Event) string {
	switch m {
	case DistinctUsers:
		return firstNonEmpty(e.UserID, e.UserPrincipalName)
	case DistinctApps:
		return firstNonEmpty(e.AppID, e.AppDisplayName)
	case DistinctIPs:
		return e.IPAddress
	case DistinctResources:
		return firstNonEmpty(e.ResourceID, e.ResourceDisplayName)
	case DistinctCountries:
		return e.CountryOrRegion
	}
	return ""
}

// IsTime reports whether the metric is a sign-in's time (firstSignIn,
// lastSignIn), in Unix milliseconds.
func (m Metric) IsTime() bool { return m == FirstSignIn || m == LastSignIn }

// readsTimes reports whether the metric is read from each sign-in's own time
// (the time metrics, successAfterFailure): by tables only, never from days
// counted per profile, never from a cached plan.
func (m Metric) readsTimes() bool { return m.IsTime() || m == SuccessAfterFailure }

// IsDistinct reports whether the metric counts distinct values.
func (m Metric) IsDistinct() bool {
	switch m {
	case DistinctUsers, DistinctApps, DistinctIPs, DistinctResources, DistinctCountries:
		return true
	}
	return false
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// tally counts sign-ins by outcome.
type tally struct {
	total    int64
	outcomes [3]int64 // indexed by signin.Outcome
}

// addN counts n sign-ins of outcome o: a counted row.
func (t *tally) addN(o signin.Outcome, n int64) {
	t.total += n
	t.outcomes[o] += n
}

func (t *tally) merge(o tally) {
	t.total += o.total
	for i := range t.outcomes {
		t.outcomes[i] += o.outcomes[i]
	}
}

// cell is the accumulation of one group in one bucket (or over the whole range).
type cell struct {
	tally
	distinct *distinctSet // value ids, for distinct metrics; made on first use, most cells of a sparse series never see one
}

func (c *cell) addDistinct(v uint32) {
	if c.distinct == nil {
		c.distinct = &distinctSet{}
	}
	c.distinct.add(v)
}

func (c *cell) mergeCell(o *cell) {
	c.merge(o.tally)
	if o.distinct == nil {
		return
	}
	if c.distinct == nil {
		c.distinct = &distinctSet{}
	}
	c.distinct.merge(o.distinct)
}

// value reports the metric of a cell. failureRate and successRate are the
// shares of failures and successes among all sign-ins in percent, 0 when there
// were none (interrupted sign-ins are in neither).
func (m Metric) value(c *cell) float64 {
	switch m {
	case Successes:
		return float64(c.outcomes[signin.Success])
	case Failures:
		return float64(c.outcomes[signin.Failure])
	case Interrupts:
		return float64(c.outcomes[signin.Interrupted])
	case FailureRate:
		if c.total == 0 {
			return 0
		}
		return 100 * float64(c.outcomes[signin.Failure]) / float64(c.total)
	case SuccessRate:
		if c.total == 0 {
			return 0
		}
		return 100 * float64(c.outcomes[signin.Success]) / float64(c.total)
	case DistinctUsers, DistinctApps, DistinctIPs, DistinctResources, DistinctCountries:
		if c.distinct == nil {
			return 0
		}
		return float64(c.distinct.len())
	}
	return float64(c.total)
}
