package graphsim

// cellKind says how a CSV cell becomes the value of a Graph property.
type cellKind uint8

const (
	// textCell is a JSON string, "" when the cell is empty: Log Analytics
	// stores null and empty strings alike, and Graph mostly writes "".
	textCell cellKind = iota
	// intCell is a JSON number; an empty cell omits the property.
	intCell
	// boolCell is true or false, in any case (the portal writes TRUE); an
	// empty cell omits the property.
	boolCell
	// objectCell and arrayCell hold JSON text of that shape (dynamic columns,
	// and string columns that carry serialised JSON); an empty or null cell
	// omits the property. Anything else is an error: these are the objects
	// clients read (status, device, location, policies).
	objectCell
	arrayCell
	// looseJSONCell is JSON when the text parses and a string otherwise, for
	// string columns whose content Microsoft does not document.
	looseJSONCell
)

// csvField maps the columns of the SigninLogs family of tables to one Graph
// beta signIn property.
type csvField struct {
	graph   string   // Graph property name
	kind    cellKind // how its cell converts
	columns []string // column base names, tried in order (each with its union twins)
}

// csvFields lists the columns carried over, in Graph's property order. Columns
// describing the Log Analytics record rather than the sign-in (TenantId is the
// workspace, ResourceId the Azure resource of the log, Location the country
// code also found in LocationDetails) have no Graph property and are dropped,
// like any column not listed. id, createdDateTime, status, signInEventTypes and
// managedServiceIdentity need more than one column and are built apart.
var csvFields = []csvField{
	{"userDisplayName", textCell, []string{"UserDisplayName"}},
	{"userPrincipalName", textCell, []string{"UserPrincipalName"}},
	{"userId", textCell, []string{"UserId"}},
	{"userType", textCell, []string{"UserType"}},
	{"appId", textCell, []string{"AppId"}},
	{"appDisplayName", textCell, []string{"AppDisplayName"}},
	{"ipAddress", textCell, []string{"IPAddress"}},
	{"ipAddressFromResourceProvider", textCell, []string{"IPAddressFromResourceProvider"}},
	{"clientAppUsed", textCell, []string{"ClientAppUsed"}},
	{"clientCredentialType", textCell, []string{"ClientCredentialType"}},
	{"userAgent", textCell, []string{"UserAgent"}},
	{"correlationId", textCell, []string{"CorrelationId"}},
	{"originalRequestId", textCell, []string{"OriginalRequestId"}},
	{"conditionalAccessStatus", textCell, []string{"ConditionalAccessStatus"}},
	{"isInteractive", boolCell, []string{"IsInteractive"}},
	{"tokenIssuerName", textCell, []string{"TokenIssuerName"}},
	{"tokenIssuerType", textCell, []string{"TokenIssuerType"}},
	{"processingTimeInMilliseconds", intCell, []string{"ProcessingTimeInMilliseconds", "ProcessingTimeInMs"}},
	{"riskDetail", textCell, []string{"RiskDetail"}},
	{"riskLevelAggregated", textCell, []string{"RiskLevelAggregated"}},
	{"riskLevelDuringSignIn", textCell, []string{"RiskLevelDuringSignIn"}},
	{"riskState", textCell, []string{"RiskState"}},
	{"riskEventTypes", looseJSONCell, []string{"RiskEventTypes"}},
	{"riskEventTypes_v2", looseJSONCell, []string{"RiskEventTypes_V2"}},
	{"resourceDisplayName", textCell, []string{"ResourceDisplayName"}},
	{"resourceId", textCell, []string{"ResourceIdentity"}},
	{"resourceServicePrincipalId", textCell, []string{"ResourceServicePrincipalId"}},
	{"resourceTenantId", textCell, []string{"ResourceTenantId"}},
	{"homeTenantId", textCell, []string{"HomeTenantId"}},
	{"authenticationMethodsUsed", looseJSONCell, []string{"AuthenticationMethodsUsed"}},
	{"authenticationRequirement", textCell, []string{"AuthenticationRequirement"}},
	{"authenticationProtocol", textCell, []string{"AuthenticationProtocol"}},
	{"incomingTokenType", textCell, []string{"IncomingTokenType"}},
	{"alternateSignInName", textCell, []string{"AlternateSignInName"}},
	{"signInIdentifier", textCell, []string{"SignInIdentifier"}},
	{"signInIdentifierType", textCell, []string{"SignInIdentifierType"}},
	{"servicePrincipalId", textCell, []string{"ServicePrincipalId"}},
	{"servicePrincipalName", textCell, []string{"ServicePrincipalName"}},
	{"servicePrincipalCredentialKeyId", textCell, []string{"ServicePrincipalCredentialKeyId"}},
	{"servicePrincipalCredentialThumbprint", textCell, []string{"ServicePrincipalCredentialThumbprint"}},
	{"federatedCredentialId", textCell, []string{"FederatedCredentialId"}},
	{"uniqueTokenIdentifier", textCell, []string{"UniqueTokenIdentifier"}},
	{"crossTenantAccessType", textCell, []string{"CrossTenantAccessType"}},
	{"flaggedForReview", boolCell, []string{"FlaggedForReview"}},
	{"isTenantRestricted", boolCell, []string{"IsTenantRestricted"}},
	{"isThroughGlobalSecureAccess", boolCell, []string{"IsThroughGlobalSecureAccess"}},
	{"autonomousSystemNumber", intCell, []string{"AutonomousSystemNumber"}},
	{"deviceDetail", objectCell, []string{"DeviceDetail"}},
	{"location", objectCell, []string{"LocationDetails"}},
	{"mfaDetail", objectCell, []string{"MfaDetail"}},
	{"appliedConditionalAccessPolicies", arrayCell, []string{"ConditionalAccessPolicies", "AppliedConditionalAccessPolicies"}},
	{"authenticationDetails", arrayCell, []string{"AuthenticationDetails"}},
	{"authenticationProcessingDetails", arrayCell, []string{"AuthenticationProcessingDetails"}},
	{"networkLocationDetails", arrayCell, []string{"NetworkLocationDetails"}},
	{"authenticationRequirementPolicies", looseJSONCell, []string{"AuthenticationRequirementPolicies"}},
	{"authenticationContextClassReferences", looseJSONCell, []string{"AuthenticationContextClassReferences"}},
	{"sessionLifetimePolicies", looseJSONCell, []string{"SessionLifetimePolicies"}},
	{"appliedEventListeners", looseJSONCell, []string{"AppliedEventListeners"}},
}
