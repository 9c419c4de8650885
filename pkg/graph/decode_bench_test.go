package graph

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// fullSignIn is every field of a beta signIn resource as of 2026, the baseline a
// plain encoding/json client would decode into. Fields that service-principal
// sign-ins leave empty are omitted when empty, which brings a record to the
// ≈2.9 KB of real ones.
type fullSignIn struct {
	ID                                   string                       `json:"id"`
	CreatedDateTime                      time.Time                    `json:"createdDateTime"`
	UserDisplayName                      string                       `json:"userDisplayName"`
	UserPrincipalName                    string                       `json:"userPrincipalName"`
	UserID                               string                       `json:"userId"`
	UserType                             string                       `json:"userType"`
	AppID                                string                       `json:"appId"`
	AppDisplayName                       string                       `json:"appDisplayName"`
	AppOwnerTenantID                     string                       `json:"appOwnerTenantId,omitempty"`
	IPAddress                            string                       `json:"ipAddress"`
	IPAddressFromResourceProvider        *string                      `json:"ipAddressFromResourceProvider"`
	ClientAppUsed                        string                       `json:"clientAppUsed"`
	UserAgent                            string                       `json:"userAgent,omitempty"`
	CorrelationID                        string                       `json:"correlationId"`
	ConditionalAccessStatus              string                       `json:"conditionalAccessStatus"`
	OriginalRequestID                    string                       `json:"originalRequestId,omitempty"`
	IsInteractive                        bool                         `json:"isInteractive"`
	TokenIssuerName                      string                       `json:"tokenIssuerName,omitempty"`
	TokenIssuerType                      string                       `json:"tokenIssuerType"`
	ProcessingTimeInMilliseconds         int                          `json:"processingTimeInMilliseconds"`
	RiskDetail                           string                       `json:"riskDetail"`
	RiskLevelAggregated                  string                       `json:"riskLevelAggregated"`
	RiskLevelDuringSignIn                string                       `json:"riskLevelDuringSignIn"`
	RiskState                            string                       `json:"riskState"`
	RiskEventTypesV2                     []string                     `json:"riskEventTypes_v2"`
	ResourceDisplayName                  string                       `json:"resourceDisplayName"`
	ResourceID                           string                       `json:"resourceId"`
	ResourceTenantID                     string                       `json:"resourceTenantId"`
	ResourceOwnerTenantID                string                       `json:"resourceOwnerTenantId,omitempty"`
	HomeTenantID                         string                       `json:"homeTenantId"`
	HomeTenantName                       string                       `json:"homeTenantName,omitempty"`
	AuthenticationMethodsUsed            []string                     `json:"authenticationMethodsUsed"`
	AuthenticationRequirement            string                       `json:"authenticationRequirement"`
	SignInIdentifier                     string                       `json:"signInIdentifier,omitempty"`
	SignInIdentifierType                 *string                      `json:"signInIdentifierType"`
	ServicePrincipalName                 string                       `json:"servicePrincipalName"`
	SignInEventTypes                     []string                     `json:"signInEventTypes"`
	ServicePrincipalID                   string                       `json:"servicePrincipalId"`
	FederatedCredentialID                string                       `json:"federatedCredentialId,omitempty"`
	FlaggedForReview                     bool                         `json:"flaggedForReview"`
	IsTenantRestricted                   bool                         `json:"isTenantRestricted"`
	AutonomousSystemNumber               int                          `json:"autonomousSystemNumber"`
	CrossTenantAccessType                string                       `json:"crossTenantAccessType"`
	ServicePrincipalCredentialKeyID      string                       `json:"servicePrincipalCredentialKeyId"`
	ServicePrincipalCredentialThumbprint string                       `json:"servicePrincipalCredentialThumbprint,omitempty"`
	UniqueTokenIdentifier                string                       `json:"uniqueTokenIdentifier"`
	IncomingTokenType                    string                       `json:"incomingTokenType"`
	AuthenticationProtocol               string                       `json:"authenticationProtocol"`
	ResourceServicePrincipalID           string                       `json:"resourceServicePrincipalId"`
	ClientCredentialType                 string                       `json:"clientCredentialType"`
	AzureResourceID                      string                       `json:"azureResourceId,omitempty"`
	SessionID                            string                       `json:"sessionId,omitempty"`
	ManagedServiceIdentity               fullMSI                      `json:"managedServiceIdentity"`
	MfaDetail                            *struct{ AuthMethod string } `json:"mfaDetail"`
	Status                               fullStatus                   `json:"status"`
	DeviceDetail                         fullDevice                   `json:"deviceDetail"`
	Location                             fullLocation                 `json:"location"`
	AppliedConditionalAccessPolicies     []fullCAPolicy               `json:"appliedConditionalAccessPolicies"`
	AuthenticationProcessingDetails      []keyValue                   `json:"authenticationProcessingDetails"`
	NetworkLocationDetails               []networkLocation            `json:"networkLocationDetails"`
	AuthenticationDetails                []authDetail                 `json:"authenticationDetails"`
	AuthenticationRequirementPolicies    []authReqPolicy              `json:"authenticationRequirementPolicies"`
	SessionLifetimePolicies              []sessionPolicy              `json:"sessionLifetimePolicies"`
	PrivateLinkDetails                   privateLink                  `json:"privateLinkDetails"`
	AppliedEventListeners                []any                        `json:"appliedEventListeners,omitempty"`
	AuthenticationAppDeviceDetails       *any                         `json:"authenticationAppDeviceDetails,omitempty"`
	AuthenticationContextClassReferences []keyValue                   `json:"authenticationContextClassReferences,omitempty"`
}

type fullMSI struct {
	MsiType              string  `json:"msiType"`
	AssociatedResourceID *string `json:"associatedResourceId"`
	FederatedTokenID     *string `json:"federatedTokenId"`
	FederatedTokenIssuer *string `json:"federatedTokenIssuer"`
}
type fullStatus struct {
	ErrorCode         int     `json:"errorCode"`
	FailureReason     string  `json:"failureReason"`
	AdditionalDetails *string `json:"additionalDetails"`
}
type fullDevice struct {
	DeviceID        string `json:"deviceId"`
	DisplayName     string `json:"displayName"`
	OperatingSystem string `json:"operatingSystem"`
	Browser         string `json:"browser"`
	IsCompliant     *bool  `json:"isCompliant"`
	IsManaged       *bool  `json:"isManaged"`
	TrustType       string `json:"trustType"`
}
type fullLocation struct {
	City            string `json:"city"`
	State           string `json:"state"`
	CountryOrRegion string `json:"countryOrRegion"`
	GeoCoordinates  struct {
		Altitude  *float64 `json:"altitude"`
		Latitude  *float64 `json:"latitude"`
		Longitude *float64 `json:"longitude"`
	} `json:"geoCoordinates"`
}
type fullCAPolicy struct {
	ID                      string   `json:"id"`
	DisplayName             string   `json:"displayName"`
	EnforcedGrantControls   []string `json:"enforcedGrantControls"`
	EnforcedSessionControls []string `json:"enforcedSessionControls"`
	Result                  string   `json:"result"`
	ConditionsSatisfied     string   `json:"conditionsSatisfied"`
	ConditionsNotSatisfied  string   `json:"conditionsNotSatisfied"`
	IncludeRulesSatisfied   []any    `json:"includeRulesSatisfied"`
	ExcludeRulesSatisfied   []any    `json:"excludeRulesSatisfied"`
}
type keyValue struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}
type networkLocation struct {
	NetworkType  string   `json:"networkType"`
	NetworkNames []string `json:"networkNames"`
}
type authDetail struct {
	AuthenticationStepDateTime     time.Time `json:"authenticationStepDateTime"`
	AuthenticationMethod           string    `json:"authenticationMethod"`
	AuthenticationMethodDetail     *string   `json:"authenticationMethodDetail"`
	Succeeded                      bool      `json:"succeeded"`
	AuthenticationStepResultDetail string    `json:"authenticationStepResultDetail"`
	AuthenticationStepRequirement  string    `json:"authenticationStepRequirement"`
}
type authReqPolicy struct {
	RequirementProvider string `json:"requirementProvider"`
	Detail              string `json:"detail"`
}
type sessionPolicy struct {
	ExpirationRequirement string `json:"expirationRequirement"`
	Detail                string `json:"detail"`
}
type privateLink struct {
	PolicyID       string `json:"policyId"`
	PolicyName     string `json:"policyName"`
	ResourceID     string `json:"resourceId"`
	PolicyTenantID string `json:"policyTenantId"`
}

type fullPage struct {
	Context  string       `json:"@odata.context"`
	NextLink string       `json:"@odata.nextLink"`
	Value    []fullSignIn `json:"value"`
}

// benchPage builds a compact 1000-item page of service-principal sign-ins shaped
// like real beta records: most bytes are Conditional Access policies and
// processing details the client does not keep.
func benchPage(n int) []byte {
	rng := rand.New(rand.NewSource(1))
	start := time.Date(2026, 1, 13, 15, 0, 0, 0, time.UTC)
	p := fullPage{Context: "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
		NextLink: "https://graph.microsoft.com/beta/auditLogs/signIns?$top=1000&$skiptoken=186ac5626b89ae2a991ff26b674ac381be50b941a40542cb66f8136f2887275b"}
	for i := range n {
		p.Value = append(p.Value, benchSignIn(rng, i, start.Add(-time.Duration(i)*1234567*time.Microsecond)))
	}
	b, err := json.Marshal(p)
	if err != nil {
		panic(err)
	}
	return b
}

func benchSignIn(rng *rand.Rand, i int, created time.Time) fullSignIn {
	// A tenant has a few dozen service principals, each signing in from a few
	// addresses; ids of the sign-in itself are unique.
	k := rng.Intn(40)
	app := fmt.Sprintf("%s %d", []string{"Reporting Daemon", "Backup Agent", "CI Pipeline", "Inventory Sync", "Log Shipper"}[k%5], k)
	appID := fmt.Sprintf("f3a9b1c2-0000-4000-8000-%012x", k)
	id := func() string {
		return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.Intn(1<<16), rng.Intn(1<<12), rng.Intn(1<<12), rng.Int63n(1<<48))
	}
	lat, lon := 52.37+float64(k%3), 4.89+float64(k%3)
	s := fullSignIn{
		ID: id(), CreatedDateTime: created, AppID: appID, AppDisplayName: app, IPAddress: fmt.Sprintf("20.%d.%d.%d", k, k%7, rng.Intn(4)),
		CorrelationID: id(), ConditionalAccessStatus: "notApplied", TokenIssuerType: "AzureAD", ProcessingTimeInMilliseconds: rng.Intn(300),
		RiskDetail: "none", RiskLevelAggregated: "none", RiskLevelDuringSignIn: "none", RiskState: "none", RiskEventTypesV2: []string{},
		ResourceDisplayName: "Microsoft Graph", ResourceID: "00000003-0000-0000-c000-000000000000", ResourceTenantID: "84841066-274d-4ec0-a5c1-276be684bdd3",
		HomeTenantID: "84841066-274d-4ec0-a5c1-276be684bdd3", AuthenticationMethodsUsed: []string{}, AuthenticationRequirement: "singleFactorAuthentication",
		ServicePrincipalName: app, SignInEventTypes: []string{"servicePrincipal"}, ServicePrincipalID: fmt.Sprintf("9e8d7c6b-0000-4000-8000-%012x", k), AutonomousSystemNumber: 8075,
		CrossTenantAccessType: "none", ServicePrincipalCredentialKeyID: fmt.Sprintf("5c1d0000-0000-4000-8000-%012x", k), UniqueTokenIdentifier: "ZWYxZTFmY2MtODBiZC00ODliLTgyYzUtMTZhZDgwNzcwZTAw",
		IncomingTokenType: "none", AuthenticationProtocol: "none", ResourceServicePrincipalID: "943603e4-e787-4fe9-93d1-e30f749aae39", ClientCredentialType: "clientSecret",
		ManagedServiceIdentity: fullMSI{MsiType: "none"},
		Status:                 fullStatus{ErrorCode: []int{0, 0, 0, 7000215, 50126}[rng.Intn(5)]},
		Location:               fullLocation{City: "Amsterdam", State: "Noord-Holland", CountryOrRegion: "NL"},
		AuthenticationProcessingDetails: []keyValue{{"Azure AD App Authentication Library", "Family: MSAL Library: MSAL.NET 4.59.0 Platform: .NET"},
			{"Root Key Type", "Unknown"}, {"Is CAE Token", "False"}, {"Oauth Scope Info", `["AuditLog.Read.All","Directory.Read.All"]`}},
		NetworkLocationDetails: []networkLocation{}, AuthenticationDetails: []authDetail{}, AuthenticationRequirementPolicies: []authReqPolicy{},
		SessionLifetimePolicies: []sessionPolicy{}, AppliedEventListeners: []any{}, AuthenticationContextClassReferences: []keyValue{},
	}
	s.Location.GeoCoordinates.Latitude, s.Location.GeoCoordinates.Longitude = &lat, &lon
	policies := []string{"Require MFA for admins", "Workload identities: trusted locations", "Block legacy authentication"}
	for j, name := range policies {
		s.AppliedConditionalAccessPolicies = append(s.AppliedConditionalAccessPolicies, fullCAPolicy{
			ID: fmt.Sprintf("6551c58c-e5da-4036-a6ea-c2c3fad264f%d", j), DisplayName: name, EnforcedGrantControls: []string{},
			EnforcedSessionControls: []string{}, Result: "notEnabled", ConditionsSatisfied: "none", ConditionsNotSatisfied: "none",
			IncludeRulesSatisfied: []any{}, ExcludeRulesSatisfied: []any{}})
	}
	if i%10 == 0 {
		s.Status.FailureReason = "Invalid client secret is provided."
	}
	return s
}

var (
	sinkEvents []signin.Event
	sinkPage   fullPage
)

func BenchmarkDecodePage(b *testing.B) {
	data := benchPage(1000)
	b.SetBytes(int64(len(data)))
	b.ReportMetric(float64(len(data))/1000, "B/item")
	b.ReportAllocs()
	for b.Loop() {
		events, _, err := decodePage(data, signin.ServicePrincipal)
		if err != nil {
			b.Fatal(err)
		}
		sinkEvents = events
	}
}

func BenchmarkDecodePageStdlib(b *testing.B) {
	data := benchPage(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var p fullPage
		if err := json.Unmarshal(data, &p); err != nil {
			b.Fatal(err)
		}
		sinkPage = p
	}
}

// TestBenchPageDecodes keeps the benchmark's page honest: it must decode to the
// values it was built from.
func TestBenchPageDecodes(t *testing.T) {
	data := benchPage(3)
	var want fullPage
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	events, next, err := decodePage(data, signin.ServicePrincipal)
	if err != nil {
		t.Fatal(err)
	}
	if next != want.NextLink || len(events) != 3 {
		t.Fatalf("unexpected page; got %d events, %q", len(events), next)
	}
	for i, w := range want.Value {
		e := events[i]
		if e.ID != w.ID || !e.Created.Equal(w.CreatedDateTime) || e.ServicePrincipalName != w.ServicePrincipalName ||
			e.ErrorCode != int32(w.Status.ErrorCode) || e.Latitude != *w.Location.GeoCoordinates.Latitude || e.LogType != signin.ServicePrincipal {
			t.Errorf("event %d differs from its source: %+v", i, e)
		}
	}
}
