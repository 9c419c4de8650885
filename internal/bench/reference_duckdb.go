//go:build duckdb && cgo

package bench

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// DuckDB is figure b's reference (make bench-duckdb): an in-process column
// store with a vectorised, multi-threaded executor, the usual yardstick for
// aggregations over a few columns. It is built only with the duckdb tag: it
// needs cgo and its own library, and never enters the plugin binary.
func init() { reference = duckDBReference }

// duckDBQueries are figure b's two queries in SQL, in the order of aggregations.
var duckDBQueries = []string{
	`SELECT time_bucket(INTERVAL 1 HOUR, t) AS bucket, app, count(*) FROM signins GROUP BY ALL`,
	`SELECT app, count(DISTINCT usr) FROM signins GROUP BY app`,
}

func duckDBReference(ctx context.Context, rows func(func(referenceRow)) error, reps int) (string, []time.Duration, error) {
	connector, err := duckdb.NewConnector("", nil)
	if err != nil {
		return "", nil, fmt.Errorf("duckdb: %w", err)
	}
	defer connector.Close()
	db := sql.OpenDB(connector)
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE signins (t TIMESTAMP, app VARCHAR, usr VARCHAR)`); err != nil {
		return "", nil, fmt.Errorf("duckdb: %w", err)
	}
	if err := duckDBLoad(ctx, connector, rows); err != nil {
		return "", nil, err
	}
	var version string
	if err := db.QueryRowContext(ctx, `SELECT version()`).Scan(&version); err != nil {
		return "", nil, fmt.Errorf("duckdb: %w", err)
	}
	medians := make([]time.Duration, 0, len(duckDBQueries))
	for _, q := range duckDBQueries {
		if _, err := duckDBRun(ctx, db, q); err != nil { // once untimed, as the engine's
			return "", nil, err
		}
		walls := make([]time.Duration, 0, reps)
		for range max(1, reps) {
			start := time.Now()
			if _, err := duckDBRun(ctx, db, q); err != nil {
				return "", nil, err
			}
			walls = append(walls, time.Since(start))
		}
		medians = append(medians, median(walls))
	}
	return "DuckDB " + version, medians, nil
}

// duckDBLoad appends the rows with DuckDB's appender (its bulk path).
func duckDBLoad(ctx context.Context, connector *duckdb.Connector, rows func(func(referenceRow)) error) error {
	conn, err := connector.Connect(ctx)
	if err != nil {
		return fmt.Errorf("duckdb: %w", err)
	}
	defer conn.Close()
	app, err := duckdb.NewAppenderFromConn(conn, "", "signins")
	if err != nil {
		return fmt.Errorf("duckdb: %w", err)
	}
	var appendErr error
	if err := rows(func(r referenceRow) {
		if appendErr == nil {
			appendErr = app.AppendRow(r.Time, r.App, r.User)
		}
	}); err != nil {
		return err
	}
	if appendErr != nil {
		return fmt.Errorf("duckdb: appending: %w", appendErr)
	}
	return app.Close()
}

// duckDBRun runs a query and reads every row of its answer: materialised, as
// the engine's answers are.
func duckDBRun(ctx context.Context, db *sql.DB, q string) (int, error) {
	rs, err := db.QueryContext(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("duckdb: %w", err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rs.Next() {
		if err := rs.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("duckdb: %w", err)
		}
		n++
	}
	return n, rs.Err()
}
