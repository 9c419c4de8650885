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
	if d >= numDimensions {
		return ""
	}
	return dimensionValues[d](e)
}

// dimensionValues reads each dimension of a sign-in: one table, so adding a
// dimension without a reader fails TestEveryDimensionHasAValue. The
// list-valued ones (IsList) read as the list's one string; Values splits it.
var dimensionValues = [numDimensions]func(e *Event) string{
	DimLogType:              func(e *Event) string { return e.LogType.String() },
	DimUser:                 func(e *Event) string { return e.UserPrincipalName },
	DimUserID:               func(e *Event) string { return e.UserID },
	DimUserDisplayName:      func(e *Event) string { return e.UserDisplayName },
	DimUserType:             func(e *Event) string { return e.UserType },
	DimApp:                  func(e *Event) string { return e.AppDisplayName },
	DimAppID:                func(e *Event) string { return e.AppID },
	DimResource:             func(e *Event) string { return e.ResourceDisplayName },
	DimResourceID:           func(e *Event) string { return e.ResourceID },
	DimServicePrincipal:     func(e *Event) string { return e.ServicePrincipalName },
	DimServicePrincipalID:   func(e *Event) string { return e.ServicePrincipalID },
	DimManagedIdentity:      func(e *Event) string { return e.ManagedIdentityName() },
	DimMsiType:              func(e *Event) string { return e.MsiType },
	DimAssociatedResource:   func(e *Event) string { return e.AssociatedResourceID },
	DimIPAddress:            func(e *Event) string { return e.IPAddress },
	DimStatus:               func(e *Event) string { return e.Outcome().String() },
	DimErrorCode:            func(e *Event) string { return strconv.Itoa(int(e.ErrorCode)) },
	DimFailureReason:        func(e *Event) string { return e.FailureReason },
	DimClientApp:            func(e *Event) string { return e.ClientAppUsed },
	DimLegacyAuth:           func(e *Event) string { return strconv.FormatBool(IsLegacyAuth(e.ClientAppUsed)) },
	DimBrowser:              func(e *Event) string { return BrowserFamily(e.Browser) },
	DimOS:                   func(e *Event) string { return OSFamily(e.OperatingSystem) },
	DimDeviceCompliant:      func(e *Event) string { return e.DeviceCompliant.String() },
	DimDeviceManaged:        func(e *Event) string { return e.DeviceManaged.String() },
	DimTrustType:            func(e *Event) string { return e.TrustType },
	DimCountry:              func(e *Event) string { return e.CountryOrRegion },
	DimState:                func(e *Event) string { return e.State },
	DimCity:                 func(e *Event) string { return e.City },
	DimLatitude:             func(e *Event) string { return formatCoordinate(e.Latitude) },
	DimLongitude:            func(e *Event) string { return formatCoordinate(e.Longitude) },
	DimConditionalAccess:    func(e *Event) string { return e.ConditionalAccessStatus },
	DimAuthRequirement:      func(e *Event) string { return e.AuthenticationRequirement },
	DimRiskLevel:            func(e *Event) string { return e.RiskLevelDuringSignIn },
	DimCredentialType:       func(e *Event) string { return e.ClientCredentialType },
	DimTokenIssuerType:      func(e *Event) string { return e.TokenIssuerType },
	DimCrossTenantAccess:    func(e *Event) string { return e.CrossTenantAccessType },
	DimAuthMethod:           func(e *Event) string { return e.AuthMethods },
	DimMfaMethod:            func(e *Event) string { return e.MfaMethod },
	DimCredentialKeyID:      func(e *Event) string { return e.CredentialKeyID },
	DimCredentialThumbprint: func(e *Event) string { return e.CredentialThumbprint },
	DimRiskState:            func(e *Event) string { return e.RiskState },
	DimRiskDetail:           func(e *Event) string { return e.RiskDetail },
	DimRiskLevelAggregated:  func(e *Event) string { return e.RiskLevelAggregated },
	DimRiskEventType:        func(e *Event) string { return e.RiskEventTypes },
	DimIncomingTokenType:    func(e *Event) string { return e.IncomingTokenType },
	DimAuthProtocol:         func(e *Event) string { return e.AuthProtocol },
	DimTokenIssuerName:      func(e *Event) string { return e.TokenIssuerName },
	DimGlobalSecureAccess:   func(e *Event) string { return e.GlobalSecureAccess.String() },
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
