package synth

import "time"

// SignIn is a sign-in in the shape of a Microsoft Graph beta signIn resource, as
// the simulator serves it. Field names and nesting follow Graph exactly, so a
// client that reads these reads real Graph pages too.
type SignIn struct {
	ID                                   string            `json:"id"`
	CreatedDateTime                      string            `json:"createdDateTime"` // RFC 3339, UTC, "Z"
	UserDisplayName                      string            `json:"userDisplayName"`
	UserPrincipalName                    string            `json:"userPrincipalName"`
	UserID                               string            `json:"userId"`
	UserType                             string            `json:"userType"`
	AppID                                string            `json:"appId"`
	AppDisplayName                       string            `json:"appDisplayName"`
	IPAddress                            string            `json:"ipAddress"`
	AutonomousSystemNumber               int               `json:"autonomousSystemNumber"`
	ClientAppUsed                        string            `json:"clientAppUsed"`
	UserAgent                            string            `json:"userAgent"`
	CorrelationID                        string            `json:"correlationId"`
	ConditionalAccessStatus              string            `json:"conditionalAccessStatus"`
	IsInteractive                        bool              `json:"isInteractive"`
	TokenIssuerType                      string            `json:"tokenIssuerType"`
	ProcessingTimeInMilliseconds         int               `json:"processingTimeInMilliseconds"`
	RiskDetail                           string            `json:"riskDetail"`
	RiskLevelAggregated                  string            `json:"riskLevelAggregated"`
	RiskLevelDuringSignIn                string            `json:"riskLevelDuringSignIn"`
	RiskState                            string            `json:"riskState"`
	RiskEventTypes                       []string          `json:"riskEventTypes"`
	RiskEventTypesV2                     []string          `json:"riskEventTypes_v2"`
	ResourceDisplayName                  string            `json:"resourceDisplayName"`
	ResourceID                           string            `json:"resourceId"`
	ResourceTenantID                     string            `json:"resourceTenantId"`
	HomeTenantID                         string            `json:"homeTenantId"`
	AuthenticationRequirement            string            `json:"authenticationRequirement"`
	SignInEventTypes                     []string          `json:"signInEventTypes"`
	ServicePrincipalID                   string            `json:"servicePrincipalId"`
	ServicePrincipalName                 string            `json:"servicePrincipalName"`
	ClientCredentialType                 string            `json:"clientCredentialType"`
	ServicePrincipalCredentialKeyID      string            `json:"servicePrincipalCredentialKeyId"`
	ServicePrincipalCredentialThumbprint string            `json:"servicePrincipalCredentialThumbprint"`
	FederatedCredentialID                string            `json:"federatedCredentialId"`
	CrossTenantAccessType                string            `json:"crossTenantAccessType"`
	IncomingTokenType                    string            `json:"incomingTokenType"`
	AuthenticationProtocol               string            `json:"authenticationProtocol"`
	TokenIssuerName                      string            `json:"tokenIssuerName"`
	IsThroughGlobalSecureAccess          *bool             `json:"isThroughGlobalSecureAccess"` // null for workloads
	MfaDetail                            *MfaDetail        `json:"mfaDetail"`
	ManagedServiceIdentity               ManagedIdentity   `json:"managedServiceIdentity"`
	Status                               Status            `json:"status"`
	DeviceDetail                         DeviceDetail      `json:"deviceDetail"`
	Location                             Location          `json:"location"`
	AppliedConditionalAccess             []AppliedCAPolicy `json:"appliedConditionalAccessPolicies"`
	AuthenticationDetails                []AuthDetail      `json:"authenticationDetails"`
	NetworkLocationDetails               []NetworkLocation `json:"networkLocationDetails"`

	// Revision, when not nil, is how Identity Protection changes the
	// sign-in after the fact (Revised). It is not marshalled: Graph serves
	// one version at a time.
	Revision *Revision `json:"-"`

	auth *authProfile // the user's way of signing in; nil for workloads and guests
}

// Revision is a change Identity Protection makes to a sign-in's risk some
// time after it happened: a remediation, a dismissal. Graph serves the
// sign-in with RiskState and RiskDetail from After past its createdDateTime
// on; nothing else changes.
type Revision struct {
	After      time.Duration
	RiskState  string
	RiskDetail string
}

// Revised returns the sign-in as Graph serves it once its Revision is made:
// the same, with the revision's risk state and detail and no Revision. It
// returns the sign-in unchanged when it has none.
func (s *SignIn) Revised() SignIn {
	out := *s
	if r := s.Revision; r != nil {
		out.RiskState, out.RiskDetail = r.RiskState, r.RiskDetail
	}
	out.Revision = nil
	return out
}

// ManagedIdentity is Graph's managedIdentity complex type.
type ManagedIdentity struct {
	MsiType              string  `json:"msiType"` // none, systemAssigned, userAssigned
	AssociatedResourceID *string `json:"associatedResourceId"`
}

// Status is Graph's signInStatus.
type Status struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}

// DeviceDetail is Graph's deviceDetail.
type DeviceDetail struct {
	DeviceID        string `json:"deviceId"`
	DisplayName     string `json:"displayName"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     bool   `json:"isCompliant"`
	IsManaged       bool   `json:"isManaged"`
	TrustType       string `json:"trustType"`
}

// Location is Graph's signInLocation.
type Location struct {
	City            string         `json:"city"`
	State           string         `json:"state"`
	CountryOrRegion string         `json:"countryOrRegion"`
	GeoCoordinates  GeoCoordinates `json:"geoCoordinates"`
}

// GeoCoordinates is Graph's geoCoordinates; all fields may be null.
type GeoCoordinates struct {
	Altitude  *float64 `json:"altitude"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
}

// AppliedCAPolicy is Graph's appliedConditionalAccessPolicy.
type AppliedCAPolicy struct {
	ID                      string   `json:"id"`
	DisplayName             string   `json:"displayName"`
	EnforcedGrantControls   []string `json:"enforcedGrantControls"`
	EnforcedSessionControls []string `json:"enforcedSessionControls"`
	Result                  string   `json:"result"` // success, failure, notApplied, notEnabled, reportOnly...
}

// AuthDetail is Graph's authenticationDetail.
type AuthDetail struct {
	AuthenticationStepDateTime     string `json:"authenticationStepDateTime"`
	AuthenticationMethod           string `json:"authenticationMethod"`
	AuthenticationMethodDetail     string `json:"authenticationMethodDetail"`
	Succeeded                      bool   `json:"succeeded"`
	AuthenticationStepResultDetail string `json:"authenticationStepResultDetail"`
	AuthenticationStepRequirement  string `json:"authenticationStepRequirement"`
}

// NetworkLocation is Graph's networkLocationDetail.
type NetworkLocation struct {
	NetworkType  string   `json:"networkType"`
	NetworkNames []string `json:"networkNames"`
}
