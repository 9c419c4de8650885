package signin

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/signinlens/signinlens-entra-datasource/pkg/clip"
)

// Dimension is a property of a sign-in that queries group and filter by. Names
// are the query contract's (README, "Query reference").
type Dimension uint8

// The dimensions, in the contract's order.
const (
	DimLogType Dimension = iota
	DimUser
	DimUserID
	DimUserDisplayName
	DimUserType
	DimApp
	DimAppID
	DimResource
	DimResourceID
	DimServicePrincipal
	DimServicePrincipalID
	DimManagedIdentity
	DimMsiType
	DimAssociatedResource
	DimIPAddress
	DimStatus
	DimErrorCode
	DimFailureReason
	DimClientApp
	DimLegacyAuth
	DimBrowser
	DimOS
	DimDeviceCompliant
	DimDeviceManaged
	DimTrustType
	DimCountry
	DimState
	DimCity
	DimLatitude
	DimLongitude
	DimConditionalAccess
	DimAuthRequirement
	DimRiskLevel
	DimCredentialType
	DimTokenIssuerType
	DimCrossTenantAccess
	DimAuthMethod
	DimMfaMethod
	DimCredentialKeyID
	DimCredentialThumbprint
	DimRiskState
	DimRiskDetail
	DimRiskLevelAggregated
	DimRiskEventType
	DimIncomingTokenType
	DimAuthProtocol
	DimTokenIssuerName
	DimGlobalSecureAccess
	numDimensions
)

var dimensionNames = [numDimensions]string{
	"logType", "user", "userId", "userDisplayName", "userType", "app", "appId", "resource", "resourceId",
	"servicePrincipal", "servicePrincipalId", "managedIdentity", "msiType", "associatedResource",
	"ipAddress", "status", "errorCode", "failureReason", "clientApp", "legacyAuth", "browser", "os",
	"deviceCompliant", "deviceManaged", "trustType", "country", "state", "city", "latitude", "longitude",
	"conditionalAccess", "authRequirement", "riskLevel", "credentialType", "tokenIssuerType", "crossTenantAccess",
	"authMethod", "mfaMethod", "credentialKeyId", "credentialThumbprint", "riskState", "riskDetail", "riskLevelAggregated",
	"riskEventType", "incomingTokenType", "authProtocol", "tokenIssuerName", "globalSecureAccess",
}

// Dimensions lists every dimension.
func Dimensions() []Dimension {
	ds := make([]Dimension, numDimensions)
	for i := range ds {
		ds[i] = Dimension(i) // #nosec G115 -- i indexes the few dimensions
	}
	return ds
}

// String returns the contract name ("ipAddress").
func (d Dimension) String() string {
	if d < numDimensions {
		return dimensionNames[d]
	}
	return fmt.Sprintf("Dimension(%d)", d)
}

// ParseDimension parses a contract name.
func ParseDimension(s string) (Dimension, error) {
	for i, name := range dimensionNames {
		if s == name {
			return Dimension(i), nil // #nosec G115 -- i indexes the few dimensions
		}
	}
	return 0, fmt.Errorf("unknown dimension %s; want one of %s", clip.Quote(s), strings.Join(dimensionNames[:], ", "))
}

// Value returns the dimension's value for a sign-in; "" when Graph left it empty.
// Browser and OS are reduced to their family and status to the outcome, because
// that is what people group by; the raw strings stay in the event.
func (d Dimension) Value(e *Event) string {
	switch d {
	case DimLogType:
		return e.LogType.String()
	case DimUser:
		return e.UserPrincipalName
	case DimUserID:
		return e.UserID
	case DimUserDisplayName:
		return e.UserDisplayName
	case DimUserType:
		return e.UserType
	case DimApp:
		return e.AppDisplayName
	case DimAppID:
		return e.AppID
	case DimResource:
		return e.ResourceDisplayName
	case DimResourceID:
		return e.ResourceID
	case DimServicePrincipal:
		return e.ServicePrincipalName
	case DimServicePrincipalID:
		return e.ServicePrincipalID
	case DimManagedIdentity:
		return e.ManagedIdentityName()
	case DimMsiType:
		return e.MsiType
	case DimAssociatedResource:
		return e.AssociatedResourceID
	case DimIPAddress:
		return e.IPAddress
	}
	return d.valueHow(e)
}

// valueHow covers the outcome, client and device dimensions.
func (d Dimension) valueHow(e *Event) string {
	switch d {
	case DimStatus:
		return e.Outcome().String()
	case DimErrorCode:
		return strconv.Itoa(int(e.ErrorCode))
	case DimFailureReason:
		return e.FailureReason
	case DimClientApp:
		return e.ClientAppUsed
	case DimLegacyAuth:
		return strconv.FormatBool(IsLegacyAuth(e.ClientAppUsed))
	case DimBrowser:
		return BrowserFamily(e.Browser)
	case DimOS:
		return OSFamily(e.OperatingSystem)
	case DimDeviceCompliant:
		return e.DeviceCompliant.String()
	case DimDeviceManaged:
		return e.DeviceManaged.String()
	case DimTrustType:
		return e.TrustType
	}
	return d.valueWhere(e)
}

// valueWhere covers location, policy and credential dimensions.
func (d Dimension) valueWhere(e *Event) string {
	switch d {
	case DimCountry:
		return e.CountryOrRegion
	case DimState:
		return e.State
	case DimCity:
		return e.City
	case DimLatitude:
		return formatCoordinate(e.Latitude)
	case DimLongitude:
		return formatCoordinate(e.Longitude)
	case DimConditionalAccess:
		return e.ConditionalAccessStatus
	case DimAuthRequirement:
		return e.AuthenticationRequirement
	case DimRiskLevel:
		return e.RiskLevelDuringSignIn
	case DimCredentialType:
		return e.ClientCredentialType
	case DimTokenIssuerType:
		return e.TokenIssuerType
	case DimCrossTenantAccess:
		return e.CrossTenantAccessType
	}
	return d.valueAuth(e)
}

// valueAuth covers the authentication and risk dimensions. The list-valued
// ones (IsList) read as the list's one string; Values splits it.
func (d Dimension) valueAuth(e *Event) string {
	switch d {
	case DimAuthMethod:
		return e.AuthMethods
	case DimMfaMethod:
		return e.MfaMethod
	case DimCredentialKeyID:
		return e.CredentialKeyID
	case DimCredentialThumbprint:
		return e.CredentialThumbprint
	case DimRiskState:
		return e.RiskState
	case DimRiskDetail:
		return e.RiskDetail
	case DimRiskLevelAggregated:
		return e.RiskLevelAggregated
	case DimRiskEventType:
		return e.RiskEventTypes
	case DimIncomingTokenType:
		return e.IncomingTokenType
	case DimAuthProtocol:
		return e.AuthProtocol
	case DimTokenIssuerName:
		return e.TokenIssuerName
	case DimGlobalSecureAccess:
		return e.GlobalSecureAccess.String()
	}
	return ""
}

// IsList reports whether a sign-in may have several values of the dimension
// (its authentication methods, its risk event types). Such a sign-in counts
// once in the group of each of its values.
func (d Dimension) IsList() bool { return d == DimAuthMethod || d == DimRiskEventType }

// Values returns the dimension's values for a sign-in: one for most
// dimensions, each value of a list-valued one, and [""] when it has none.
func (d Dimension) Values(e *Event) []string {
	v := d.Value(e)
	if !d.IsList() || v == "" {
		return []string{v}
	}
	return SplitList(v)
}

// Text is the value as people read it: a list's values separated by commas.
func (d Dimension) Text(e *Event) string {
	v := d.Value(e)
	if d.IsList() {
		return strings.ReplaceAll(v, ListSep, ", ")
	}
	return v
}

func formatCoordinate(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ManagedIdentityName is the managed identity's name: Graph puts it in
// servicePrincipalName of managed identity sign-ins.
func (e *Event) ManagedIdentityName() string {
	if e.LogType == ManagedIdentity || e.MsiType == "systemAssigned" || e.MsiType == "userAssigned" {
		return e.ServicePrincipalName
	}
	return ""
}
