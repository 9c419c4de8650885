package graphsim

// The user tables: SigninLogs holds objects as dynamic values,
// AADNonInteractiveUserSignInLogs the same objects as JSON text; a few
// columns are one table's only, and the processing time is named apart.

func interactiveColumns() []laColumn {
	props := append(userProperties(true),
		colBool("FlaggedForReview", func(si *graphSignIn) anyBool { return si.FlaggedForReview }),
		colProp("IPAddressFromResourceProvider", func(si *graphSignIn) anyText { return si.IPAddressFromResourceProvider }),
		colProp("ProcessingTimeInMilliseconds", func(si *graphSignIn) anyText { return si.ProcessingTimeInMilliseconds }),
		colConst("Resource", "Microsoft.aadiam"),
		colText("ResourceId", func(r *laRow) string { return "/tenants/" + r.tenantID() + "/providers/Microsoft.aadiam" }),
		colConst("ResourceProvider", "Microsoft.aadiam"),
		colProp("SignInIdentifier", func(si *graphSignIn) anyText { return si.SignInIdentifier }),
	)
	return assemble("SigninLogs", laEnvelope(userIdentity()), props)
}

func nonInteractiveColumns() []laColumn {
	props := append(userProperties(false),
		colProp("ProcessingTimeInMs", func(si *graphSignIn) anyText { return si.ProcessingTimeInMilliseconds }),
		colSerialized("SignInEventTypes", false, func(si *graphSignIn) []byte { return si.SignInEventTypes }),
	)
	return assemble("AADNonInteractiveUserSignInLogs", laEnvelope(userIdentity()), props)
}

// userIdentity is Identity in the user tables: the user's display name.
func userIdentity() laColumn {
	return colProp("Identity", func(si *graphSignIn) anyText { return si.UserDisplayName })
}

// userProperties are the columns both user tables have.
func userProperties(dynamic bool) []laColumn {
	return append(sharedProperties(dynamic),
		colProp("AlternateSignInName", func(si *graphSignIn) anyText { return si.AlternateSignInName }),
		colText("AppDisplayName", func(r *laRow) string { return r.rec.AppDisplayName }),
		colSerialized("AuthenticationDetails", true, func(si *graphSignIn) []byte { return si.AuthenticationDetails }),
		colSerialized("AuthenticationMethodsUsed", false, func(si *graphSignIn) []byte { return si.AuthenticationMethodsUsed }),
		colProp("AuthenticationProtocol", func(si *graphSignIn) anyText { return si.AuthenticationProtocol }),
		colProp("AuthenticationRequirement", func(si *graphSignIn) anyText { return si.AuthenticationRequirement }),
		colSerialized("AuthenticationRequirementPolicies", false, func(si *graphSignIn) []byte { return si.AuthenticationRequirementPolicies }),
		colProp("AutonomousSystemNumber", func(si *graphSignIn) anyText { return si.AutonomousSystemNumber }),
		colProp("ClientAppUsed", func(si *graphSignIn) anyText { return si.ClientAppUsed }),
		colProp("CrossTenantAccessType", func(si *graphSignIn) anyText { return si.CrossTenantAccessType }),
		colObject("DeviceDetail", dynamic, func(si *graphSignIn) []byte { return si.DeviceDetail }, "{}"),
		colProp("HomeTenantId", func(si *graphSignIn) anyText { return si.HomeTenantID }),
		colProp("HomeTenantName", func(si *graphSignIn) anyText { return si.HomeTenantName }),
		colProp("IncomingTokenType", func(si *graphSignIn) anyText { return si.IncomingTokenType }),
		colBool("IsInteractive", func(si *graphSignIn) anyBool { return si.IsInteractive }),
		colBool("IsRisky", func(si *graphSignIn) anyBool { return si.IsRisky }),
		colBool("IsTenantRestricted", func(si *graphSignIn) anyBool { return si.IsTenantRestricted }),
		colBool("IsThroughGlobalSecureAccess", func(si *graphSignIn) anyBool { return si.IsThroughGlobalSecureAccess }),
		colObject("MfaDetail", dynamic, func(si *graphSignIn) []byte { return si.MfaDetail }, "{}"),
		colProp("OriginalRequestId", func(si *graphSignIn) anyText { return si.OriginalRequestID }),
		colProp("ResourceTenantId", func(si *graphSignIn) anyText { return si.ResourceTenantID }),
		colProp("RiskDetail", func(si *graphSignIn) anyText { return si.RiskDetail }),
		colSerialized("RiskEventTypes", false, func(si *graphSignIn) []byte { return si.RiskEventTypes }),
		colSerialized("RiskEventTypes_V2", false, func(si *graphSignIn) []byte { return si.RiskEventTypesV2 }),
		colProp("RiskLevelAggregated", func(si *graphSignIn) anyText { return si.RiskLevelAggregated }),
		colProp("RiskLevelDuringSignIn", func(si *graphSignIn) anyText { return si.RiskLevelDuringSignIn }),
		colText("RiskState", (*laRow).riskState),
		colSerialized("SessionLifetimePolicies", false, func(si *graphSignIn) []byte { return si.SessionLifetimePolicies }),
		colProp("SignInIdentifierType", func(si *graphSignIn) anyText { return si.SignInIdentifierType }),
		colObject("Status", dynamic, func(si *graphSignIn) []byte { return si.Status }, "{}"),
		colProp("TokenIssuerName", func(si *graphSignIn) anyText { return si.TokenIssuerName }),
		colProp("TokenIssuerType", func(si *graphSignIn) anyText { return si.TokenIssuerType }),
		colProp("UserDisplayName", func(si *graphSignIn) anyText { return si.UserDisplayName }),
		colText("UserId", func(r *laRow) string { return r.rec.UserID }),
		colText("UserPrincipalName", func(r *laRow) string { return r.rec.UserPrincipalName }),
		colText("UserType", (*laRow).userType),
	)
}
