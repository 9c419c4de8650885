package pushdown

import (
	"github.com/signinlens/signinlens-entra-datasource/pkg/query"
	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// column is the workspace column a dimension is read from. plain says the
// decoder copies it unchanged into the dimension's value, so a filter on the
// dimension can be written as a comparison of the column in KQL; the other
// dimensions (status from ResultType, legacyAuth from ClientAppUsed, …) are
// derived here from the returned column by the decoder's own rules.
type column struct {
	name  string
	plain bool
}

// dimensionColumns are the dimensions pushed down, for the two user tables
// (SigninLogs, AADNonInteractiveUserSignInLogs), where each is read from one
// string column. Dimensions read from dynamic columns (browser, os, country,
// device, location, MFA), list-valued ones (authMethod, riskEventType) and
// those the decoder reads from two columns (failureReason) are not.
var dimensionColumns = map[signin.Dimension]column{
	signin.DimUser:              {"UserPrincipalName", true},
	signin.DimUserID:            {"UserId", true},
	signin.DimUserDisplayName:   {"UserDisplayName", true},
	signin.DimUserType:          {"UserType", false},
	signin.DimApp:               {"AppDisplayName", true},
	signin.DimAppID:             {"AppId", true},
	signin.DimResource:          {"ResourceDisplayName", true},
	signin.DimResourceID:        {"ResourceIdentity", true},
	signin.DimIPAddress:         {"IPAddress", true},
	signin.DimStatus:            {"ResultType", false},
	signin.DimErrorCode:         {"ResultType", false},
	signin.DimClientApp:         {"ClientAppUsed", true},
	signin.DimLegacyAuth:        {"ClientAppUsed", false},
	signin.DimConditionalAccess: {"ConditionalAccessStatus", true},
	signin.DimAuthRequirement:   {"AuthenticationRequirement", true},
	signin.DimCredentialType:    {"ClientCredentialType", true},
	signin.DimTokenIssuerType:   {"TokenIssuerType", true},
	signin.DimCrossTenantAccess: {"CrossTenantAccessType", true},
	signin.DimTokenIssuerName:   {"TokenIssuerName", true},
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
	signin.Interactive:    "SigninLogs",
	signin.NonInteractive: "AADNonInteractiveUserSignInLogs",
}
