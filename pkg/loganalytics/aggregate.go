package loganalytics

import (
	"context"
	"fmt"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Answer is one table of an answer: its column names and rows, each cell as
// the JSON decoder read it (string, float64, bool, nil, map or slice).
type Answer struct {
	Columns []string
	Rows    [][]any
}

// Aggregate runs a push-down query (package pushdown) over sign-ins created
// in [from, to) in the table of log type t and returns its first table. It retries as ListSignIns does;
// a result the service cut at one of its limits is an error wrapping
// ErrRowLimit that names the limit, never a short answer: an aggregate of
// part of the rows would be wrong, not partial.
func (c *Client) Aggregate(ctx context.Context, t signin.LogType, kql string, from, to time.Time) (Answer, error) {
	if len(kql) > maxQueryBytes {
		return Answer{}, fmt.Errorf("%w: the push-down query is %d KB long; the service takes queries of at most %d KB (filters with long values or lists make it long)", ErrTooLarge, len(kql)>>10, maxQueryBytes>>10)
	}
	ctx = withAnswerCap(ctx, c.cfg.MaxAnswerBytes)
	r := c.newRetrier(ctx, 0)
	for {
		if err := ctx.Err(); err != nil {
			return Answer{}, err
		}
		var out Answer
		res, err := c.query(ctx, kql, c.timespan(from, to), (*answerRows)(&out))
		if err != nil {
			if err := r.Next(ctx, &c.classify(ctx, err, t).Failure); err != nil {
				return Answer{}, c.redact(fmt.Errorf("push-down query: %w", err))
			}
			continue
		}
		if p := partialOf(res.Error); p != nil {
			return Answer{}, fmt.Errorf("%w: the workspace cut the push-down answer at one of its limits (500,000 rows or about 64 MB): %s", ErrRowLimit, clip.String(p.String()))
		}
		if err := hasTable(res); err != nil {
			return Answer{}, err
		}
		return out, nil
	}
}

// answerRows is an Answer filled as its rows are read (rowSink).
type answerRows Answer

func (a *answerRows) columns(names []string) error { a.Columns = names; return nil }
func (a *answerRows) row(cells []any) error        { a.Rows = append(a.Rows, cells); return nil }
