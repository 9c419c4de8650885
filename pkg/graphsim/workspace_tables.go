package graphsim

import (
	"slices"

	"github.com/signinlens/signinlens-entra-datasource/pkg/graphsim/kql"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// laTable is a sign-in table of the workspace and how its rows are made.
type laTable struct {
	name     string
	category string // the diagnostic-settings category, the Category column
	logType  signin.LogType
	reemits  bool // some sign-ins are emitted twice (workspace_ingest.go)
	columns  []laColumn
}

// laColumn is a column: its name, its type as the answer names it, and how
// its value is written for a row.
type laColumn struct {
	name, typ string
	cell      cellFunc
}

// laTables are the four tables, built once: their columns follow the
// service's table reference (docs/log-analytics.md).
var laTables = []*laTable{
	{name: "SigninLogs", category: "SignInLogs", logType: signin.Interactive, reemits: true, columns: interactiveColumns()},
	{name: "AADNonInteractiveUserSignInLogs", category: "NonInteractiveUserSignInLogs", logType: signin.NonInteractive, reemits: true, columns: nonInteractiveColumns()},
	{name: "AADServicePrincipalSignInLogs", category: "ServicePrincipalSignInLogs", logType: signin.ServicePrincipal, columns: servicePrincipalColumns()},
	{name: "AADManagedIdentitySignInLogs", category: "ManagedIdentitySignInLogs", logType: signin.ManagedIdentity, columns: managedIdentityColumns()},
}

// schema is a table as one workspace has it: the columns it omits removed.
type schema struct {
	*laTable
	columns []laColumn
	byName  map[string]*laColumn
}

// workspaceSchemas builds the tables the options give the workspace.
func workspaceSchemas(o WorkspaceOptions) map[string]*schema {
	out := make(map[string]*schema, len(o.Tables))
	for _, t := range laTables {
		if !slices.Contains(o.Tables, t.name) {
			continue
		}
		s := &schema{laTable: t, byName: make(map[string]*laColumn)}
		for _, c := range t.columns {
			if !slices.Contains(o.OmitColumns[t.name], c.name) {
				s.columns = append(s.columns, c)
			}
		}
		for i := range s.columns {
			s.byName[s.columns[i].name] = &s.columns[i]
		}
		out[t.name] = s
	}
	return out
}

// catalog lets the query checker resolve the workspace's tables and columns.
func catalog(schemas map[string]*schema) kql.Catalog {
	return func(table string) ([]kql.ColumnDef, bool) {
		s, ok := schemas[table]
		if !ok {
			return nil, false
		}
		defs := make([]kql.ColumnDef, len(s.columns))
		for i, c := range s.columns {
			defs[i] = kql.ColumnDef{Name: c.name, Type: c.typ}
		}
		return defs, true
	}
}
