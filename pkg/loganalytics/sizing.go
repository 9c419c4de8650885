package loganalytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// A result the service cuts at its limits (500,000 rows or about 64 MB) is
// read, dropped and asked for again in halves: on a busy tenant's day half the
// bytes a cold load reads were in cut answers (BENCHMARKS.md, finding 8). So a
// listing longer than an hour is sized before it is asked: a count of its rows
// per hour (a few hundred bytes), then runs of whole hours, each expected to
// hold at most half of either limit. The halving stays, for an estimate that
// was wrong.
const (
	// serviceRows and serviceBytes are the service's limits on one result.
	serviceRows  = 500_000
	serviceBytes = 64 << 20
	// defaultRowBytes is the size of a row assumed before any answer of the
	// log type was read: about twice the average row of the simulated tenants
	// and of the workspace exports we hold, so the first listing is not cut.
	defaultRowBytes = 2 << 10
	// learnFromRows is the fewest rows an answer needs to set its log type's
	// row size.
	learnFromRows = 100
)

// sizes is what the client learned of each log type's answers: the average
// bytes of a row and the busiest rate of rows per hour seen, so that a listing
// known to be small is not counted first.
type sizes struct {
	// resultRows and resultBytes are the service's limits on one result
	// (serviceRows, serviceBytes); tests set smaller ones.
	resultRows, resultBytes int64

	rowBytes    [len(tables)]atomic.Int64
	rowsPerHour [len(tables)]atomic.Int64
}

func (s *sizes) init() { s.resultRows, s.resultBytes = serviceRows, serviceBytes }

// learnRowBytes records rows rows of log type t read in n bytes (a cut
// answer's too: its rows are as large).
func (s *sizes) learnRowBytes(t signin.LogType, rows int, n int64) {
	if rows >= learnFromRows && n > 0 && int(t) < len(tables) {
		s.rowBytes[t].Store(n / int64(rows))
	}
}

// learnRate records a whole answer of log type t: rows rows over d. The
// busiest rate seen is kept (at least 1, as 0 means none seen).
func (s *sizes) learnRate(t signin.LogType, rows int64, d time.Duration) {
	if d < time.Hour || int(t) >= len(tables) {
		return
	}
	rate := max(1, int64(math.Ceil(float64(rows)/d.Hours())))
	for old := s.rowsPerHour[t].Load(); rate > old; old = s.rowsPerHour[t].Load() {
		if s.rowsPerHour[t].CompareAndSwap(old, rate) {
			return
		}
	}
}

// rowBytesOf is log type t's learned row size, or the default.
func (s *sizes) rowBytesOf(t signin.LogType) int64 {
	if n := s.rowBytes[t].Load(); n > 0 {
		return n
	}
	return defaultRowBytes
}

// known reports whether [from, to) of log type t is, by the rate learned,
// well within one result: it is asked for without a count.
func (s *sizes) known(t signin.LogType, from, to time.Time) bool {
	rate := s.rowsPerHour[t].Load()
	if rate == 0 {
		return false
	}
	rows := float64(rate) * to.Sub(from).Hours()
	return rows <= float64(s.resultRows/4) && rows*float64(s.rowBytesOf(t)) <= float64(s.resultBytes/4)
}

// mostRows is the most rows of log type t a span is given: half of either
// limit, as a row's size is an estimate.
func (s *sizes) mostRows(t signin.LogType) int64 {
	return min(s.resultRows/2, s.resultBytes/2/max(s.rowBytesOf(t), 1))
}

// countOnly reports whether a count's failure may be the count's own (a
// workspace refusing its KQL or answering it oddly, a table without
// CreatedDateTime, which the listing then finds out): the listing goes on
// unsized. Any other failure is the workspace's, and ends the listing.
func countOnly(err error) bool {
	return errors.Is(err, ErrBadRequest) || errors.Is(err, ErrBadAnswer) || errors.Is(err, ErrRowLimit) || errors.Is(err, ErrTooLarge)
}

// span is a range of a listing, asked for in one query.
type span struct{ from, to time.Time }

// hourCount is a count query's answer for one hour.
type hourCount struct {
	hour time.Time
	rows int64
}

// sized splits [from, to) of log type t into spans expected to fit in one
// result each, newest first. A range of an hour or less, one the learned rate
// says is small, or one whose count the workspace would not answer (the
// listing then meets the limits as before) is one span.
func (c *Client) sized(ctx context.Context, t signin.LogType, from, to time.Time) ([]span, error) {
	whole := []span{{from, to}}
	if to.Sub(from) <= time.Hour || c.sizes.known(t, from, to) {
		return whole, nil
	}
	counts, err := c.countByHour(ctx, t, from, to)
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, ErrTableNotFound):
		return nil, err
	case err != nil && countOnly(err):
		return whole, nil
	case err != nil:
		return nil, err // the listing would fail as the count did
	}
	busiest := int64(0)
	for _, h := range counts {
		busiest = max(busiest, h.rows)
	}
	c.sizes.learnRate(t, busiest, time.Hour)
	return spans(from, to, counts, c.sizes.mostRows(t)), nil
}

// spans cuts [from, to) at whole hours into runs of at most most rows by
// counts (unless one hour holds more), newest first. counts are newest first.
func spans(from, to time.Time, counts []hourCount, most int64) []span {
	var out []span
	end, rows := to, int64(0)
	for _, h := range counts {
		// Before taking in this hour, end the run at its end if it would
		// grow past the most: the cut must fall strictly inside the range.
		cut := h.hour.Add(time.Hour)
		if rows > 0 && rows+h.rows > most && cut.After(from) && cut.Before(end) {
			out = append(out, span{cut, end})
			end, rows = cut, 0
		}
		rows += h.rows
	}
	return append(out, span{from, end})
}

// countByHour counts the rows of log type t in [from, to) per hour, newest
// hour first, through Aggregate (its retries and bounds).
func (c *Client) countByHour(ctx context.Context, t signin.LogType, from, to time.Time) ([]hourCount, error) {
	q, err := countQuery(t, from, to, c.byGenerated[t].Load())
	if err != nil {
		return nil, err
	}
	a, err := c.Aggregate(ctx, t, q, from, to)
	if err != nil {
		return nil, err
	}
	return hourCounts(a)
}

// CountQuery returns the KQL that counts the rows of log type t created in
// [from, to) per hour, which a listing longer than an hour is sized by
// (docs/log-analytics.md, "The query").
func CountQuery(t signin.LogType, from, to time.Time) (string, error) {
	return countQuery(t, from, to, false)
}

// countQuery is the KQL of countByHour. It counts sign-ins, each once as
// the listing answers them (arg_max by Id), in the push-down's shape.
func countQuery(t signin.LogType, from, to time.Time, byGenerated bool) (string, error) {
	var b strings.Builder
	col, err := writeLatest(&b, t, from, to, byGenerated)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "\n| summarize %s = count() by %s = bin(%s, 3600s)", countColumn, hourColumn, col)
	return b.String(), nil
}

const (
	countColumn = "Rows"
	hourColumn  = "Hour"
)

// hourCounts reads countQuery's answer.
func hourCounts(a Answer) ([]hourCount, error) {
	ix := indexColumns(a.Columns)
	if _, ok := ix[countColumn]; !ok {
		return nil, fmt.Errorf("%w: the count has no %s column", ErrBadAnswer, countColumn)
	}
	out := make([]hourCount, 0, len(a.Rows))
	for _, r := range a.Rows {
		hour, err := parseTime(ix.get(r, hourColumn))
		if err != nil {
			return nil, fmt.Errorf("%w: the count's hour: %v", ErrBadAnswer, err)
		}
		n, ok := ix.get(r, countColumn).(float64)
		if !ok || n < 0 {
			return nil, fmt.Errorf("%w: the count's rows %v are not a count", ErrBadAnswer, ix.get(r, countColumn))
		}
		out = append(out, hourCount{hour: hour, rows: int64(n)})
	}
	slices.SortFunc(out, func(a, b hourCount) int { return b.hour.Compare(a.hour) })
	return out, nil
}
