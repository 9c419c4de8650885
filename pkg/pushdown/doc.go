// Package pushdown answers a panel query in the Log Analytics workspace
// instead of the store: it translates a query.Query into one KQL query that
// counts the latest version of each sign-in by the raw columns the query's
// dimensions are read from (and the UTC bucket), and reads the answer back
// into the query.Result the engine would have produced for the same
// sign-ins. Derived dimensions (status, legacyAuth, userType, …) are derived
// from the returned raw columns by the decoder's own rules
// (loganalytics.DecodeRow and signin.Dimension.Value), so they cannot drift
// from what the store path computes; ranking, "other" folding and the
// failure rate are computed here exactly as the engine does. Nothing is
// estimated: distinct counts are counted from the exact (group, bucket, key)
// rows the workspace returns, never with dcount. docs/log-analytics.md,
// "Push-down", fixes the KQL shapes.
package pushdown
