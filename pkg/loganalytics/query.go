package loganalytics

import (
	"fmt"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/monitor/query/azlogs"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// tableInfo is where a log type's sign-ins land in a workspace.
type tableInfo struct {
	table    string // Log Analytics table
	category string // diagnostic-settings category that routes to it
}

var tables = [...]tableInfo{
	signin.Interactive:      {"SigninLogs", "SignInLogs"},
	signin.NonInteractive:   {"AADNonInteractiveUserSignInLogs", "NonInteractiveUserSignInLogs"},
	signin.ServicePrincipal: {"AADServicePrincipalSignInLogs", "ServicePrincipalSignInLogs"},
	signin.ManagedIdentity:  {"AADManagedIdentitySignInLogs", "ManagedIdentitySignInLogs"},
}

func tableOf(t signin.LogType) (tableInfo, bool) {
	if int(t) < len(tables) {
		return tables[t], true
	}
	return tableInfo{}, false
}

// Columns the decoder reads. idColumn, createdColumn and generatedColumn are
// projected bare; every other one through column_ifexists, so that a column a
// table lacks reads as an empty string (docs/log-analytics.md, "Columns used").
const (
	idColumn        = "Id"
	createdColumn   = "CreatedDateTime"
	generatedColumn = "TimeGenerated"
)

var optionalColumns = []string{
	"UserId", "UserPrincipalName", "UserDisplayName", "UserType",
	"AppId", "AppDisplayName",
	"ResourceIdentity", "ResourceDisplayName",
	"ServicePrincipalId", "ServicePrincipalName",
	"IPAddress",
	"ResultType", "ResultDescription", "Status",
	"ClientAppUsed",
	"DeviceDetail",
	"Location", "LocationDetails",
	"ConditionalAccessStatus", "AuthenticationRequirement", "RiskLevelDuringSignIn",
	"ClientCredentialType", "TokenIssuerType", "CrossTenantAccessType",
	"ManagedServiceIdentity",
	"AuthenticationDetails", "MfaDetail",
	"ServicePrincipalCredentialKeyId", "ServicePrincipalCredentialThumbprint",
	"RiskState", "RiskDetail", "RiskLevelAggregated", "RiskEventTypes_V2",
	"IncomingTokenType", "AuthenticationProtocol", "TokenIssuerName", "IsThroughGlobalSecureAccess",
}

// kqlTime formats a datetime literal's value: RFC 3339, UTC, whole seconds.
func kqlTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// SignInQuery returns the KQL that lists the sign-ins of log type t created
// in [from, to), in the shape docs/log-analytics.md fixes ("The query"). from
// and to are written to the second: callers pass whole seconds (ListSignIns
// widens its range to them).
func SignInQuery(t signin.LogType, from, to time.Time) (string, error) {
	return signInQuery(t, from, to, false, 0)
}

// ChangedQuery returns the KQL that lists the sign-ins of log type t created
// in [from, to) that have a row ingested more than late after they happened
// (ListChanged): the listing with one more where before the arg_max.
func ChangedQuery(t signin.LogType, from, to time.Time, late time.Duration) (string, error) {
	return signInQuery(t, from, to, false, late)
}

// signInQuery builds the query. byGenerated selects by TimeGenerated instead
// of CreatedDateTime, for a table that turned out to have no CreatedDateTime
// column (Microsoft's table reference lists none for the service-principal
// and managed-identity tables, though current workspaces have one). A late
// above zero keeps the sign-ins with a row ingested more than late after
// their CreatedDateTime: a re-emitted update, or a row that came late. The
// arg_max after it still picks each one's latest row, which is among those
// kept, being later still.
func signInQuery(t signin.LogType, from, to time.Time, byGenerated bool, late time.Duration) (string, error) {
	var b strings.Builder
	if _, err := writeLatest(&b, t, from, to, byGenerated, late); err != nil {
		return "", err
	}
	b.WriteString("\n| project Id, ")
	if byGenerated {
		b.WriteString(ifExists(createdColumn))
	} else {
		b.WriteString(createdColumn)
	}
	b.WriteString(", TimeGenerated")
	for _, c := range optionalColumns {
		b.WriteString(", ")
		b.WriteString(ifExists(c))
	}
	return b.String(), nil
}

// writeLatest writes what a listing and its count share: the latest version
// of each sign-in of log type t created (or, byGenerated, ingested) in
// [from, to). It returns the time column selected on.
func writeLatest(b *strings.Builder, t signin.LogType, from, to time.Time, byGenerated bool, late time.Duration) (string, error) {
	ti, ok := tableOf(t)
	if !ok {
		return "", fmt.Errorf("unknown log type %d", t)
	}
	timeColumn := createdColumn
	if byGenerated {
		timeColumn = generatedColumn
	}
	b.WriteString(ti.table)
	fmt.Fprintf(b, "\n| where %s >= datetime(%s) and %s < datetime(%s)", timeColumn, kqlTime(from), timeColumn, kqlTime(to))
	if late > 0 {
		fmt.Fprintf(b, "\n| where datetime_diff('second', %s, %s) > %d", generatedColumn, createdColumn, int64(late/time.Second))
	}
	b.WriteString("\n| summarize arg_max(TimeGenerated, *) by Id")
	return timeColumn, nil
}

func ifExists(column string) string {
	return fmt.Sprintf("%s = column_ifexists(%q, \"\")", column, column)
}

// healthQuery returns the KQL that CheckTables sends for log type t.
func healthQuery(t signin.LogType) (string, error) {
	ti, ok := tableOf(t)
	if !ok {
		return "", fmt.Errorf("unknown log type %d", t)
	}
	return ti.table + "\n| summarize Rows = count(), Newest = max(TimeGenerated)", nil
}

// timespan is the query's timespan for sign-ins created in [from, to): from
// (a row's TimeGenerated is never before its CreatedDateTime) to the
// ingestion and update allowances past to, but not past now (plus clockSkew), where
// nothing is yet; never empty.
func (c *Client) timespan(from, to time.Time) azlogs.TimeInterval {
	end := to.Add(c.cfg.IngestionAllowance + c.cfg.UpdateAllowance)
	if limit := c.cfg.Now().UTC().Add(clockSkew).Truncate(time.Second); limit.After(from) && limit.Before(end) {
		end = limit
	}
	if !end.After(from) {
		end = to
	}
	return azlogs.NewTimeInterval(from.UTC(), end.UTC())
}
