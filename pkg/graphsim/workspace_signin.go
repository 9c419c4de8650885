package graphsim

import (
	"bytes"
	"encoding/json"
)

// graphSignIn holds the Graph beta signIn properties the workspace's columns
// come from. encoding/json matches keys without regard to case, which also
// reads exports that spell riskLevelDuringsignIn. Text fields take whatever
// JSON type a replayed file has; objects and arrays stay raw.
type graphSignIn struct {
	UserDisplayName                      anyText         `json:"userDisplayName"`
	UserType                             anyText         `json:"userType"`
	AppOwnerTenantID                     anyText         `json:"appOwnerTenantId"`
	IPAddress                            anyText         `json:"ipAddress"`
	IPAddressFromResourceProvider        anyText         `json:"ipAddressFromResourceProvider"`
	AutonomousSystemNumber               anyText         `json:"autonomousSystemNumber"`
	ClientAppUsed                        anyText         `json:"clientAppUsed"`
	UserAgent                            anyText         `json:"userAgent"`
	CorrelationID                        anyText         `json:"correlationId"`
	OriginalRequestID                    anyText         `json:"originalRequestId"`
	ConditionalAccessStatus              anyText         `json:"conditionalAccessStatus"`
	IsInteractive                        anyBool         `json:"isInteractive"`
	IsRisky                              anyBool         `json:"isRisky"`
	FlaggedForReview                     anyBool         `json:"flaggedForReview"`
	IsTenantRestricted                   anyBool         `json:"isTenantRestricted"`
	IsThroughGlobalSecureAccess          anyBool         `json:"isThroughGlobalSecureAccess"`
	TokenIssuerName                      anyText         `json:"tokenIssuerName"`
	TokenIssuerType                      anyText         `json:"tokenIssuerType"`
	IncomingTokenType                    anyText         `json:"incomingTokenType"`
	ProcessingTimeInMilliseconds         anyText         `json:"processingTimeInMilliseconds"`
	RiskDetail                           anyText         `json:"riskDetail"`
	RiskLevelAggregated                  anyText         `json:"riskLevelAggregated"`
	RiskLevelDuringSignIn                anyText         `json:"riskLevelDuringSignIn"`
	RiskState                            anyText         `json:"riskState"`
	RiskEventTypes                       json.RawMessage `json:"riskEventTypes"`
	RiskEventTypesV2                     json.RawMessage `json:"riskEventTypes_v2"`
	ResourceDisplayName                  anyText         `json:"resourceDisplayName"`
	ResourceID                           anyText         `json:"resourceId"`
	ResourceServicePrincipalID           anyText         `json:"resourceServicePrincipalId"`
	ResourceTenantID                     anyText         `json:"resourceTenantId"`
	ResourceOwnerTenantID                anyText         `json:"resourceOwnerTenantId"`
	HomeTenantID                         anyText         `json:"homeTenantId"`
	HomeTenantName                       anyText         `json:"homeTenantName"`
	AuthenticationRequirement            anyText         `json:"authenticationRequirement"`
	AuthenticationProtocol               anyText         `json:"authenticationProtocol"`
	AuthenticationMethodsUsed            json.RawMessage `json:"authenticationMethodsUsed"`
	AuthenticationRequirementPolicies    json.RawMessage `json:"authenticationRequirementPolicies"`
	AuthenticationProcessingDetails      json.RawMessage `json:"authenticationProcessingDetails"`
	AuthenticationContextClassReferences json.RawMessage `json:"authenticationContextClassReferences"`
	SessionLifetimePolicies              json.RawMessage `json:"sessionLifetimePolicies"`
	SignInEventTypes                     json.RawMessage `json:"signInEventTypes"`
	SignInIdentifier                     anyText         `json:"signInIdentifier"`
	SignInIdentifierType                 anyText         `json:"signInIdentifierType"`
	AlternateSignInName                  anyText         `json:"alternateSignInName"`
	ServicePrincipalID                   anyText         `json:"servicePrincipalId"`
	ServicePrincipalName                 anyText         `json:"servicePrincipalName"`
	ClientCredentialType                 anyText         `json:"clientCredentialType"`
	ServicePrincipalCredentialKeyID      anyText         `json:"servicePrincipalCredentialKeyId"`
	ServicePrincipalCredentialThumbprint anyText         `json:"servicePrincipalCredentialThumbprint"`
	FederatedCredentialID                anyText         `json:"federatedCredentialId"`
	CrossTenantAccessType                anyText         `json:"crossTenantAccessType"`
	UniqueTokenIdentifier                anyText         `json:"uniqueTokenIdentifier"`
	SessionID                            anyText         `json:"sessionId"`
	ManagedServiceIdentity               json.RawMessage `json:"managedServiceIdentity"`
	Status                               json.RawMessage `json:"status"`
	DeviceDetail                         json.RawMessage `json:"deviceDetail"`
	Location                             json.RawMessage `json:"location"`
	AppliedConditionalAccessPolicies     json.RawMessage `json:"appliedConditionalAccessPolicies"`
	AuthenticationDetails                json.RawMessage `json:"authenticationDetails"`
	NetworkLocationDetails               json.RawMessage `json:"networkLocationDetails"`
	MfaDetail                            json.RawMessage `json:"mfaDetail"`
}

// decodeSignIn reads the properties of a record's JSON. A record the decoder
// cannot read (a property of a shape no export has) yields what was read
// before the problem: the columns that come from Record stay right.
func decodeSignIn(raw []byte) *graphSignIn {
	var si graphSignIn
	_ = json.Unmarshal(raw, &si)
	return &si
}

// anyText is a property read as text: a string as is, null as "", any other
// JSON value (a number, a bool) as written.
type anyText string

func (t *anyText) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0:
		*t = anyText(b[1 : len(b)-1]) // no escapes: the text is as written
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = anyText(s)
	case bytes.Equal(b, []byte("null")):
		*t = ""
	default:
		*t = anyText(b)
	}
	return nil
}

// anyBool is a bool property that may be missing or null (set false), or
// written as a string ("True", as some exports do).
type anyBool struct{ value, set bool }

func (v *anyBool) UnmarshalJSON(b []byte) error {
	switch string(bytes.ToLower(bytes.Trim(b, `"`))) {
	case "true":
		*v = anyBool{value: true, set: true}
	case "false":
		*v = anyBool{set: true}
	default:
		*v = anyBool{}
	}
	return nil
}

// locationFields and statusFields are the parts of location and status some
// scalar columns come from.
type locationFields struct {
	CountryOrRegion anyText `json:"countryOrRegion"`
}

type statusFields struct {
	FailureReason anyText `json:"failureReason"`
}
