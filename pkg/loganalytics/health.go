package loganalytics

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// TableStatus is what CheckTables found for one log type's table over the
// last HealthSpan.
type TableStatus struct {
	LogType  signin.LogType
	Table    string // "SigninLogs"
	Category string // the diagnostic-settings category that feeds it
	// Exists is true when the table answered. It is false when the workspace
	// has no such table (Err is then a *TableNotFoundError naming the
	// category to route) and when the check failed otherwise (Err says why).
	Exists bool
	Rows   int64     // rows ingested over the last HealthSpan
	Newest time.Time // latest TimeGenerated; zero when there are no rows
	// Err is why the table could not be checked; nil when it answered.
	Err error
}

// CheckTables runs the health query of docs/log-analytics.md on each of the
// four tables, over the last HealthSpan, so that the plugin can say per table
// what to fix: a missing table (route the category), an empty one (nothing
// arrives), or access (the role on the workspace). The statuses come in
// signin.LogTypes order.
func (c *Client) CheckTables(ctx context.Context) []TableStatus {
	out := make([]TableStatus, len(signin.LogTypes))
	var wg sync.WaitGroup
	for i, t := range signin.LogTypes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.checkTable(ctx, t)
		}()
	}
	wg.Wait()
	return out
}

func (c *Client) checkTable(ctx context.Context, t signin.LogType) TableStatus {
	ti, _ := tableOf(t)
	st := TableStatus{LogType: t, Table: ti.table, Category: ti.category}
	q, err := healthQuery(t)
	if err != nil {
		st.Err = err
		return st
	}
	now := c.cfg.Now().UTC().Truncate(time.Second)
	span := azlogs.NewTimeInterval(now.Add(-HealthSpan), now.Add(clockSkew))
	r := c.newRetrier(ctx, 0)
	for {
		var ans Answer
		res, err := c.query(ctx, q, span, (*answerRows)(&ans))
		if err == nil {
			st.Exists = true
			st.Rows, st.Newest, st.Err = readHealth(res, ans)
			st.Err = c.redact(st.Err)
			return st
		}
		f := c.classify(ctx, err, t)
		if isTableNotFound(f.Err) {
			st.Err = f.Err
			return st
		}
		if err := r.Next(ctx, &f.Failure); err != nil {
			st.Err = c.redact(err)
			return st
		}
	}
}

// readHealth reads the one row of the health query: Rows, Newest.
func readHealth(res azlogs.QueryResults, ans Answer) (int64, time.Time, error) {
	if res.Error != nil {
		if p := partialOf(res.Error); p != nil {
			return 0, time.Time{}, fmt.Errorf("%w: the health query came back incomplete: %s", ErrBadAnswer, p)
		}
	}
	if err := hasTable(res); err != nil {
		return 0, time.Time{}, err
	}
	if len(ans.Rows) == 0 {
		return 0, time.Time{}, nil
	}
	ix := indexColumns(ans.Columns)
	row := ans.Rows[0]
	rows, _ := int64Of(ix.get(row, "Rows"))
	newest, err := parseTime(ix.get(row, "Newest"))
	if err != nil {
		return rows, time.Time{}, fmt.Errorf("%w: Newest: %v", ErrBadAnswer, err)
	}
	return rows, newest, nil
}

func int64Of(v any) (int64, bool) {
	switch x := v.(type) {
	case float64:
		return int64(x), x >= 0
	case string:
		var n int64
		_, err := fmt.Sscan(x, &n)
		return n, err == nil
	}
	return 0, false
}
