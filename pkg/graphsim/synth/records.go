package synth

// Values shared by many records. Records alias these slices instead of
// allocating their own, so the slices in returned sign-ins must be treated as
// read-only (encoding them is fine; appending to them is not).
var (
	evInteractive    = []string{"interactiveUser"}
	evNonInteractive = []string{"nonInteractiveUser"}
	evSP             = []string{"servicePrincipal"}
	evMI             = []string{"managedIdentity"}
	noAuth           = []AuthDetail{}
	noMSI            = ManagedIdentity{MsiType: "none"}
	noRiskEvents     = []string{}
	notThroughGSA    = new(bool)
	throughGSA       = func() *bool { b := true; return &b }()
)

// Graph's authenticationRequirement values.
const (
	singleFactor = "singleFactorAuthentication"
	multiFactor  = "multiFactorAuthentication"
)

// constantFields fills what every synthetic sign-in has in common; the
// builders for each kind of identity then fill in the rest.
func constantFields(rec *SignIn, tenantID string) {
	rec.TokenIssuerType = "AzureAD"
	rec.RiskDetail = "none"
	rec.RiskLevelAggregated = "none"
	rec.RiskLevelDuringSignIn = "none"
	rec.RiskState = "none"
	rec.ResourceTenantID = tenantID
	rec.HomeTenantID = tenantID
	rec.AuthenticationRequirement = singleFactor
	rec.CrossTenantAccessType = "none"
	rec.ManagedServiceIdentity = noMSI
	rec.Status = *stSuccess
	rec.ConditionalAccessStatus = "notApplied"
	rec.AppliedConditionalAccess = noPolicies
	rec.AuthenticationDetails = noAuth
	rec.NetworkLocationDetails = noNetworks
	rec.RiskEventTypes, rec.RiskEventTypesV2 = noRiskEvents, noRiskEvents
	rec.IncomingTokenType = "none"
	rec.AuthenticationProtocol = "none"
}

// setApp sets the client application and the resource of a record.
func setApp(rec *SignIn, p *appPair) {
	rec.AppID = p.client.id
	rec.AppDisplayName = p.client.name
	rec.ResourceID = p.resource.id
	rec.ResourceDisplayName = p.resource.name
	if p.clientApp != "" {
		rec.ClientAppUsed = p.clientApp
	}
}

// setNet sets where a record comes from.
func setNet(rec *SignIn, n *netContext) {
	rec.IPAddress = n.ip
	rec.AutonomousSystemNumber = n.asn
	rec.Location = n.loc
	rec.NetworkLocationDetails = n.net
}
