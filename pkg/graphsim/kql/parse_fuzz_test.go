package kql

import "testing"

// FuzzParse: no input makes the parser panic or hang; whatever it accepts,
// the checker judges without panicking.
func FuzzParse(f *testing.F) {
	f.Add("SigninLogs\n| where CreatedDateTime >= datetime(2026-03-02T00:00:00Z) and CreatedDateTime < datetime(2026-03-02T06:00:00Z)\n| summarize arg_max(TimeGenerated, *) by Id\n| project Id, CreatedDateTime, TimeGenerated, UserId = column_ifexists(\"UserId\", \"\")")
	f.Add("SigninLogs\n| summarize Rows = count(), Newest = max(TimeGenerated)")
	f.Add("T | where X == 'a\\'b' | take 10")
	f.Add("datetime(")
	f.Fuzz(func(t *testing.T, src string) {
		q, err := Parse(src)
		if err != nil || q == nil {
			return
		}
		_, _ = Check(q, fuzzCatalog)
	})
}

// fuzzCatalog has one table, SigninLogs, with the columns the contract uses.
func fuzzCatalog(table string) ([]ColumnDef, bool) {
	if table != "SigninLogs" {
		return nil, false
	}
	return []ColumnDef{{Name: "Id", Type: "string"}, {Name: "CreatedDateTime", Type: "datetime"},
		{Name: "TimeGenerated", Type: "datetime"}, {Name: "UserId", Type: "string"}}, true
}
