package signin

import "time"

// Event is one sign-in reduced to what SignInLens queries: the dimensions of the
// query contract (README, "Query reference") and nothing else. Strings are kept as Graph sent
// them; normalisation (browser family, OS family, country names) happens when a
// dimension is read, so the store keeps the raw values and new rules apply to
// cached data too.
type Event struct {
	ID      string
	Created time.Time // createdDateTime, UTC
	LogType LogType

	UserID            string
	UserPrincipalName string
	UserDisplayName   string
	UserType          string // member, guest

	AppID          string
	AppDisplayName string

	ResourceID          string
	ResourceDisplayName string

	ServicePrincipalID   string
	ServicePrincipalName string
	MsiType              string // managedServiceIdentity.msiType: systemAssigned, userAssigned
	AssociatedResourceID string // managedServiceIdentity.associatedResourceId

	IPAddress     string
	ErrorCode     int32 // status.errorCode; 0 is success
	FailureReason string
	ClientAppUsed string

	Browser         string // deviceDetail.browser, e.g. "Chrome 99.0.4844"
	OperatingSystem string // deviceDetail.operatingSystem, e.g. "Windows 10"
	DeviceCompliant Tristate
	DeviceManaged   Tristate
	TrustType       string

	CountryOrRegion string // ISO 3166-1 alpha-2
	State           string
	City            string
	Latitude        float64 // NaN when unknown
	Longitude       float64 // NaN when unknown

	ConditionalAccessStatus   string // success, failure, notApplied, unknownFutureValue
	AuthenticationRequirement string // singleFactorAuthentication, multiFactorAuthentication
	RiskLevelDuringSignIn     string
	ClientCredentialType      string
	TokenIssuerType           string
	CrossTenantAccessType     string

	// How the sign-in authenticated and what Identity Protection made of it:
	// the fields of the Usage & insights and risky sign-ins reports.
	AuthMethods          string // distinct authenticationDetails[].authenticationMethod, a list (JoinList)
	MfaMethod            string // mfaDetail.authMethod
	CredentialKeyID      string // servicePrincipalCredentialKeyId
	CredentialThumbprint string // servicePrincipalCredentialThumbprint
	RiskState            string // none, atRisk, remediated, dismissed, confirmedCompromised
	RiskDetail           string
	RiskLevelAggregated  string
	RiskEventTypes       string // riskEventTypes_v2, a list (JoinList)
	IncomingTokenType    string
	AuthProtocol         string   // authenticationProtocol
	TokenIssuerName      string   // the federation server (AD FS) that issued the token
	GlobalSecureAccess   Tristate // isThroughGlobalSecureAccess
}

// Tristate is a boolean that Graph may leave null.
type Tristate uint8

// Tristate values.
const (
	Unknown Tristate = iota
	False
	True
)

// String returns "true", "false" or "" for unknown.
func (t Tristate) String() string {
	switch t {
	case True:
		return "true"
	case False:
		return "false"
	}
	return ""
}

// TristateOf converts a nullable boolean.
func TristateOf(b *bool) Tristate {
	switch {
	case b == nil:
		return Unknown
	case *b:
		return True
	}
	return False
}

// Strings returns pointers to every string field of the event but ID, for code
// that rewrites them all, such as interning the strings of cached profiles.
func (e *Event) Strings() []*string {
	return []*string{
		&e.UserID, &e.UserPrincipalName, &e.UserDisplayName, &e.UserType,
		&e.AppID, &e.AppDisplayName, &e.ResourceID, &e.ResourceDisplayName,
		&e.ServicePrincipalID, &e.ServicePrincipalName, &e.MsiType, &e.AssociatedResourceID,
		&e.IPAddress, &e.FailureReason, &e.ClientAppUsed,
		&e.Browser, &e.OperatingSystem, &e.TrustType,
		&e.CountryOrRegion, &e.State, &e.City,
		&e.ConditionalAccessStatus, &e.AuthenticationRequirement, &e.RiskLevelDuringSignIn,
		&e.ClientCredentialType, &e.TokenIssuerType, &e.CrossTenantAccessType,
		&e.AuthMethods, &e.MfaMethod, &e.CredentialKeyID, &e.CredentialThumbprint,
		&e.RiskState, &e.RiskDetail, &e.RiskLevelAggregated, &e.RiskEventTypes,
		&e.IncomingTokenType, &e.AuthProtocol, &e.TokenIssuerName,
	}
}
