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
// hold at most half of either limit. The count is only an estimate's source:
// asked once, never retried, and any failure of it leaves the listing unsized,
// meeting the limits by halving as before.
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
	// countRowBytes bounds a count's answer: a row is an hour and a count,
	// well under this, plus countSlackBytes for the rest of the answer. A
	// workspace answering more is not sized by.
	countRowBytes   = 128
	countSlackBytes = 16 << 10
	// mostCount is the most sign-ins one hour's count may say: more is not
	// a count (a tenant of a million users signs in far less an hour).
	mostCount = 1e9
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
	// uncounted marks the tables whose count the workspace refused as a
	// query (a 400, or an answer of another shape): not asked again.
	uncounted [len(tables)]atomic.Bool
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
	// At most a result's rows: a rate past it says no more than that (a
	// hostile count must not make every listing of the table counted).
	rate := min(max(1, int64(math.Ceil(float64(rows)/d.Hours()))), s.resultRows)
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

// span is a range of a listing, asked for in one query.
type span struct{ from, to time.Time }

// hourCount is a count query's answer for one hour.
type hourCount struct {
	hour time.Time
	rows int64
}

// sized splits [from, to) of log type t into spans expected to fit in one
// result each, newest first. One span: a range of an hour or less; one the
// learned rate says is small; a table read by TimeGenerated (a re-emitted
// sign-in's versions may fall in different hours of it, so spans cut there
// could list it twice); and one whose count failed, for any reason — the
// listing then meets the workspace's failures, or its limits, as before.
// Only the caller's cancellation is returned.
func (c *Client) sized(ctx context.Context, t signin.LogType, from, to time.Time) ([]span, error) {
	whole := []span{{from, to}}
	if to.Sub(from) <= time.Hour || c.sizes.known(t, from, to) || c.byGenerated[t].Load() || c.sizes.uncounted[t].Load() {
		return whole, nil
	}
	counts, err := c.countByHour(ctx, t, from, to)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		if errors.Is(err, ErrBadRequest) && !errors.Is(err, ErrTableNotFound) || errors.Is(err, ErrBadAnswer) {
			c.sizes.uncounted[t].Store(true) // refused as a query: it would be again
		}
		return whole, nil
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

// countByHour counts the sign-ins of log type t in [from, to) per hour,
// newest hour first: one attempt, paced as every query, its answer capped at
// what that many hours take.
func (c *Client) countByHour(ctx context.Context, t signin.LogType, from, to time.Time) ([]hourCount, error) {
	q, err := countQuery(t, from, to)
	if err != nil {
		return nil, err
	}
	hours := int64(to.Sub(from)/time.Hour) + 2
	var a Answer
	res, err := c.query(withAnswerCap(ctx, hours*countRowBytes+countSlackBytes), q, c.timespan(from, to), (*answerRows)(&a))
	if err != nil {
		return nil, fmt.Errorf("sizing the listing: %w", c.classify(ctx, err, t).Err)
	}
	if p := partialOf(res.Error); p != nil {
		return nil, fmt.Errorf("%w: sizing the listing: the count was cut: %s", ErrBadAnswer, p)
	}
	return hourCounts(a, from, to)
}

// CountQuery returns the KQL that counts the rows of log type t created in
// [from, to) per hour, which a listing longer than an hour is sized by
// (docs/log-analytics.md, "The query").
func CountQuery(t signin.LogType, from, to time.Time) (string, error) {
	return countQuery(t, from, to)
}

// countQuery is the KQL of countByHour. It counts sign-ins, each once as
// the listing answers them (arg_max by Id), in the push-down's shape.
func countQuery(t signin.LogType, from, to time.Time) (string, error) {
	var b strings.Builder
	col, err := writeLatest(&b, t, from, to, false, 0)
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

// hourCounts reads countQuery's answer over [from, to): an hour per row, in
// the range, a whole count of at most mostCount; anything else is
// ErrBadAnswer.
func hourCounts(a Answer, from, to time.Time) ([]hourCount, error) {
	ix := indexColumns(a.Columns)
	_, hasCount := ix[countColumn]
	_, hasHour := ix[hourColumn]
	if !hasCount || !hasHour {
		return nil, fmt.Errorf("%w: the count has no %s or no %s column", ErrBadAnswer, hourColumn, countColumn)
	}
	out := make([]hourCount, 0, len(a.Rows))
	for _, r := range a.Rows {
		hour, err := parseTime(ix.get(r, hourColumn))
		if err != nil || hour.Before(from.Truncate(time.Hour)) || !hour.Before(to) {
			return nil, fmt.Errorf("%w: the count's hour %v is not one of the range", ErrBadAnswer, ix.get(r, hourColumn))
		}
		n, ok := ix.get(r, countColumn).(float64)
		if !ok || n < 0 || n > mostCount || n != math.Trunc(n) {
			return nil, fmt.Errorf("%w: the count's rows %v are not a count", ErrBadAnswer, ix.get(r, countColumn))
		}
		out = append(out, hourCount{hour: hour, rows: int64(n)})
	}
	slices.SortFunc(out, func(a, b hourCount) int { return b.hour.Compare(a.hour) })
	return out, nil
}
