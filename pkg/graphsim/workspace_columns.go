package graphsim

import (
	"slices"
	"strings"
	"time"
)

// laEnvelope are the columns every sign-in table has first: the Azure Monitor
// record around the sign-in, then the sign-in's identity and times.
func laEnvelope(identity laColumn) []laColumn {
	return []laColumn{
		colText("TenantId", func(r *laRow) string { return r.ctx.workspaceID }),
		colConst("SourceSystem", "Azure AD"),
		colTime("TimeGenerated", func(r *laRow) time.Time { return r.ingested }),
		colConst("OperationName", "Sign-in activity"),
		colConst("OperationVersion", "1.0"),
		colText("Category", func(r *laRow) string { return r.ctx.table.category }),
		colText("ResultType", (*laRow).resultType),
		colConst("ResultSignature", "None"),
		colText("ResultDescription", (*laRow).resultDescription),
		colZero("DurationMs"),
		colProp("CorrelationId", func(si *graphSignIn) anyText { return si.CorrelationID }),
		colConst("ResourceGroup", "Microsoft.aadiam"),
		identity,
		colConst("Level", "4"),
		colText("Location", (*laRow).country),
	}
}

// sharedProperties are the sign-in columns of all four tables. dynamic says
// whether the table holds objects as dynamic values (SigninLogs) or as JSON
// text.
func sharedProperties(dynamic bool) []laColumn {
	return []laColumn{
		colText("AADTenantId", (*laRow).tenantID),
		colText("Id", func(r *laRow) string { return r.rec.ID }),
		colTime("CreatedDateTime", func(r *laRow) time.Time { return r.rec.Created }),
		colText("AppId", func(r *laRow) string { return r.rec.AppID }),
		colProp("AppOwnerTenantId", func(si *graphSignIn) anyText { return si.AppOwnerTenantID }),
		colSerialized("AuthenticationContextClassReferences", false, func(si *graphSignIn) []byte { return si.AuthenticationContextClassReferences }),
		colSerialized("AuthenticationProcessingDetails", true, func(si *graphSignIn) []byte { return si.AuthenticationProcessingDetails }),
		colProp("ClientCredentialType", func(si *graphSignIn) anyText { return si.ClientCredentialType }),
		colPolicies(dynamic),
		colProp("ConditionalAccessStatus", func(si *graphSignIn) anyText { return si.ConditionalAccessStatus }),
		colProp("FederatedCredentialId", func(si *graphSignIn) anyText { return si.FederatedCredentialID }),
		colProp("IPAddress", func(si *graphSignIn) anyText { return si.IPAddress }),
		colObject("LocationDetails", dynamic, func(si *graphSignIn) []byte { return si.Location }, "{}"),
		colSerialized("NetworkLocationDetails", false, func(si *graphSignIn) []byte { return si.NetworkLocationDetails }),
		colProp("ResourceDisplayName", func(si *graphSignIn) anyText { return si.ResourceDisplayName }),
		colProp("ResourceIdentity", func(si *graphSignIn) anyText { return si.ResourceID }),
		colProp("ResourceOwnerTenantId", func(si *graphSignIn) anyText { return si.ResourceOwnerTenantID }),
		colProp("ResourceServicePrincipalId", func(si *graphSignIn) anyText { return si.ResourceServicePrincipalID }),
		colProp("ServicePrincipalId", func(si *graphSignIn) anyText { return si.ServicePrincipalID }),
		colProp("ServicePrincipalName", func(si *graphSignIn) anyText { return si.ServicePrincipalName }),
		colProp("SessionId", func(si *graphSignIn) anyText { return si.SessionID }),
		colProp("UniqueTokenIdentifier", func(si *graphSignIn) anyText { return si.UniqueTokenIdentifier }),
		colProp("UserAgent", func(si *graphSignIn) anyText { return si.UserAgent }),
	}
}

// assemble orders a table's columns as the service lists them: the
// envelope, the sign-in's columns by name, and Type, the table's name.
func assemble(table string, head, props []laColumn) []laColumn {
	slices.SortFunc(props, func(a, b laColumn) int { return strings.Compare(strings.ToLower(a.name), strings.ToLower(b.name)) })
	cols := append(slices.Clip(head), props...)
	return append(cols, colConst("Type", table))
}
