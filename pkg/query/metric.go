package query

import (
	"fmt"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Metric is what a bucket or group reports.
type Metric string

// Metrics the foundation answers; distinct counts come with the engine issue.
const (
	Count       Metric = "count"
	Successes   Metric = "successes"
	Failures    Metric = "failures"
	Interrupts  Metric = "interrupts"
	FailureRate Metric = "failureRate"
)

var metrics = []Metric{Count, Successes, Failures, Interrupts, FailureRate}

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
	return "", fmt.Errorf("%w: unknown metric %q; want one of %s", ErrInvalidQuery, s, strings.Join(names, ", "))
}

// tally counts a bucket's sign-ins by outcome.
type tally struct {
	total    int64
	outcomes [3]int64 // indexed by signin.Outcome
}

func (t *tally) add(o signin.Outcome) {
	t.total++
	t.outcomes[o]++
}

// value reports the metric of a tally. failureRate is the share of failures
// among all sign-ins in percent, 0 when there were none.
func (m Metric) value(t tally) float64 {
	switch m {
	case Successes:
		return float64(t.outcomes[signin.Success])
	case Failures:
		return float64(t.outcomes[signin.Failure])
	case Interrupts:
		return float64(t.outcomes[signin.Interrupted])
	case FailureRate:
		if t.total == 0 {
			return 0
		}
		return 100 * float64(t.outcomes[signin.Failure]) / float64(t.total)
	}
	return float64(t.total)
}
