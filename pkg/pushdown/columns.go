package pushdown

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// column is the workspace column a dimension is read from. plain says the
// decoder copies it unchanged into the dimension's value, so a filter on the
// dimension can be written as a comparison of the column in KQL; the other
// dimensions (status from ResultType, legacyAuth from ClientAppUsed, …) are
// derived here from the returned column by the decoder's own rules. A
// dimension with no column (logType) is the table's: its value is the same
// for every row of a table, so a filter on it decides which tables are asked.
type column struct {
	name  string
	plain bool
}

// dimensionColumns are the dimensions pushed down, as the user tables
// (SigninLogs, AADNonInteractiveUserSignInLogs) read them, each from one
// string column; tableColumn maps them to the workload tables. Dimensions
// read from dynamic columns (browser, os, country, device, location, MFA,
// msiType and so managedIdentity), list-valued ones (authMethod,
// riskEventType) and those the decoder reads from two columns
// (failureReason) are not.
var dimensionColumns = map[signin.Dimension]column{
	signin.DimLogType:            {"", false},
	signin.DimUser:               {"UserPrincipalName", true},
	signin.DimUserID:             {"UserId", true},
	signin.DimUserDisplayName:    {"UserDisplayName", true},
	signin.DimUserType:           {"UserType", false},
	signin.DimApp:                {"AppDisplayName", true},
	signin.DimAppID:              {"AppId", true},
	signin.DimResource:           {"ResourceDisplayName", true},
	signin.DimResourceID:         {"ResourceIdentity", true},
	signin.DimServicePrincipal:   {"ServicePrincipalName", true},
	signin.DimServicePrincipalID: {"ServicePrincipalId", true},
	signin.DimIPAddress:          {"IPAddress", true},
	signin.DimStatus:             {"ResultType", false},
	signin.DimErrorCode:          {"ResultType", false},
	signin.DimClientApp:          {"ClientAppUsed", true},
	signin.DimLegacyAuth:         {"ClientAppUsed", false},
	signin.DimConditionalAccess:  {"ConditionalAccessStatus", true},
	signin.DimAuthRequirement:    {"AuthenticationRequirement", true},
	signin.DimCredentialType:     {"ClientCredentialType", true},
	signin.DimTokenIssuerType:    {"TokenIssuerType", true},
	signin.DimCrossTenantAccess:  {"CrossTenantAccessType", true},
	signin.DimTokenIssuerName:    {"TokenIssuerName", true},
	// Identity Protection's: the workload tables have none of these columns,
	// where the decoder reads "none" (blankEvent), as Graph says.
	signin.DimRiskState:           {"RiskState", true},
	signin.DimRiskDetail:          {"RiskDetail", true},
	signin.DimRiskLevel:           {"RiskLevelDuringSignIn", true},
	signin.DimRiskLevelAggregated: {"RiskLevelAggregated", true},
}

// metricColumns are the columns a metric needs besides the groups': the
// outcome's for the outcome metrics, the key's for distinct counts (the
// decoder's id first, then its name: Metric.distinctKey).
var metricColumns = map[query.Metric][]string{
	query.Successes:     {"ResultType"},
	query.Failures:      {"ResultType"},
	query.Interrupts:    {"ResultType"},
	query.FailureRate:   {"ResultType"},
	query.SuccessRate:   {"ResultType"},
	query.DistinctUsers: {"UserId", "UserPrincipalName"},
	query.DistinctApps:  {"AppId", "AppDisplayName"},
	query.DistinctIPs:   {"IPAddress"},
	// DistinctResources: ResourceIdentity, then ResourceDisplayName.
	query.DistinctResources: {"ResourceIdentity", "ResourceDisplayName"},
}

// tables are the log types pushed down and their tables.
var tables = map[signin.LogType]string{
	signin.Interactive:      "SigninLogs",
	signin.NonInteractive:   "AADNonInteractiveUserSignInLogs",
	signin.ServicePrincipal: "AADServicePrincipalSignInLogs",
	signin.ManagedIdentity:  "AADManagedIdentitySignInLogs",
}

// workloadColumns are the columns named above that the service-principal
// and managed-identity tables have (Microsoft's table reference; the
// simulator's tables are checked against it by TestTableColumns). They have
// no user, client-app, authentication-requirement or token-issuer columns:
// the store lists those through column_ifexists, so its sign-ins of these
// tables read them empty, and so does the push-down (the decoder sees no
// such column).
var workloadColumns = map[string]bool{
	"ResultType": true, "AppId": true, "ServicePrincipalName": true, "ServicePrincipalId": true,
	"ResourceDisplayName": true, "ResourceIdentity": true, "IPAddress": true,
	"ConditionalAccessStatus": true, "ClientCredentialType": true,
}

// isWorkload says whether t is a workload table's log type.
func isWorkload(t signin.LogType) bool {
	return t == signin.ServicePrincipal || t == signin.ManagedIdentity
}

// tableColumn is the column of t a user-table column is read from, false
// when t has none. The workload tables have no AppDisplayName: the decoder
// reads the app's name from ServicePrincipalName there (Graph's
// appDisplayName of such a sign-in), so that is the column asked.
func tableColumn(t signin.LogType, name string) (string, bool) {
	if name == "" {
		return "", false
	}
	if !isWorkload(t) {
		return name, true
	}
	if name == "AppDisplayName" {
		name = "ServicePrincipalName"
	}
	return name, workloadColumns[name]
}
