// Package kql reads the few Kusto queries SignInLens sends to a Log Analytics
// workspace (docs/log-analytics.md, "The query"): one table, wheres over
// CreatedDateTime and TimeGenerated and over the lag of a row
// (datetime_diff('second', TimeGenerated, CreatedDateTime) > N, which finds
// the rows ingested late), one summarize (arg_max(TimeGenerated, *) by Id,
// or count() and max/min of a datetime column) and at most one project of
// bare columns and Name = column_ifexists("Name", "").
//
// Parse turns the text into a syntax tree, failing as the service does on
// text that is not Kusto; Check resolves the tree against the workspace's
// tables into a Plan, failing with the service's semantic errors on names it
// cannot resolve and on Kusto this subset does not cover. Each failure is an
// *Error that says which kind it is, so the simulator can answer the
// service's 400 and a client that sends anything else fails loudly.
package kql
