package loganalytics

import (
	"context"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The four tables' column sets, as Microsoft's table reference lists them
// (the columns the query asks for): the user tables have user, device and
// status columns; the service-principal and managed-identity tables do not.
var (
	userColumns = columnSet("CreatedDateTime", "UserId", "UserPrincipalName", "UserDisplayName", "UserType",
		"AppId", "AppDisplayName", "ResourceIdentity", "ResourceDisplayName", "ServicePrincipalId", "ServicePrincipalName",
		"IPAddress", "ResultType", "ResultDescription", "Status", "ClientAppUsed", "DeviceDetail", "Location", "LocationDetails",
		"ConditionalAccessStatus", "AuthenticationRequirement", "RiskLevelDuringSignIn", "TokenIssuerType", "CrossTenantAccessType",
		"AuthenticationDetails", "MfaDetail", "RiskState", "RiskDetail", "RiskLevelAggregated", "RiskEventTypes_V2",
		"IncomingTokenType", "AuthenticationProtocol", "TokenIssuerName", "IsThroughGlobalSecureAccess")
	spColumns = columnSet("CreatedDateTime", "AppId", "ResourceIdentity", "ResourceDisplayName", "ServicePrincipalId",
		"ServicePrincipalName", "IPAddress", "ResultType", "ResultDescription", "Location", "LocationDetails",
		"ConditionalAccessStatus", "ClientCredentialType", "ServicePrincipalCredentialKeyId", "ServicePrincipalCredentialThumbprint")
	miColumns = columnSet("CreatedDateTime", "AppId", "ResourceIdentity", "ResourceDisplayName", "ServicePrincipalId",
		"ServicePrincipalName", "IPAddress", "ResultType", "ResultDescription", "Location", "LocationDetails", "ManagedServiceIdentity")
)

const t0 = "2026-03-02T00:12:03.1234567Z"

// fourTables is a workspace with one sign-in in each table, in each table's
// own shape: objects for SigninLogs' dynamic columns, JSON text elsewhere.
func fourTables() *workspaceData {
	return &workspaceData{
		columns: map[string]map[string]bool{
			"SigninLogs": userColumns, "AADNonInteractiveUserSignInLogs": userColumns,
			"AADServicePrincipalSignInLogs": spColumns, "AADManagedIdentitySignInLogs": miColumns,
		},
		rows: map[string][]row{
			"SigninLogs": {{
				"Id": "i-1", "CreatedDateTime": t0, "TimeGenerated": "2026-03-02T00:14:00Z",
				"UserId": "u-1", "UserPrincipalName": "ada@contoso.com", "UserDisplayName": "Ada", "UserType": "Member",
				"AppId": "app-1", "AppDisplayName": "Outlook", "ResourceIdentity": "res-1", "ResourceDisplayName": "Exchange",
				"ServicePrincipalId": "", "ServicePrincipalName": "",
				"IPAddress": "203.0.113.7", "ResultType": "50126", "ResultDescription": "Invalid username or password.",
				"Status":        map[string]any{"errorCode": 50126, "failureReason": "Invalid password"},
				"ClientAppUsed": "Browser",
				"DeviceDetail":  map[string]any{"browser": "Edge 120.0", "operatingSystem": "Windows 10", "isCompliant": true, "isManaged": false, "trustType": "Azure AD joined"},
				"Location":      "FR",
				"LocationDetails": map[string]any{"city": "Paris", "state": "Paris", "countryOrRegion": "FR",
					"geoCoordinates": map[string]any{"latitude": 48.8566, "longitude": 2.3522}},
				"ConditionalAccessStatus": "failure", "AuthenticationRequirement": "singleFactorAuthentication",
				"RiskLevelDuringSignIn": "none", "TokenIssuerType": "AzureAD", "CrossTenantAccessType": "none",
				// Text spread over lines, as the portal shows it; a repeated method counts once.
				"AuthenticationDetails": "[\n  {\"authenticationMethod\": \"Password\", \"succeeded\": false},\n  {\"authenticationMethod\": \"Password\"}\n]",
				"MfaDetail":             map[string]any{"authMethod": "PhoneAppOTP"},
				"RiskState":             "atRisk", "RiskDetail": "none", "RiskLevelAggregated": "high",
				"RiskEventTypes_V2": `["unfamiliarFeatures","anonymizedIPAddress"]`,
				"IncomingTokenType": "none", "AuthenticationProtocol": "ropc", "TokenIssuerName": "",
				"IsThroughGlobalSecureAccess": false,
			}},
			"AADNonInteractiveUserSignInLogs": {{
				"Id": "n-1", "CreatedDateTime": t0, "TimeGenerated": "2026-03-02T00:20:00Z",
				"UserId": "u-2", "UserPrincipalName": "bob@fabrikam.com", "UserDisplayName": "Bob", "UserType": "Guest",
				"AppId": "app-2", "AppDisplayName": "Teams", "ResourceIdentity": "res-2", "ResourceDisplayName": "Graph",
				"ServicePrincipalId": "", "ServicePrincipalName": "",
				"IPAddress": "2001:db8::1", "ResultType": "0", "ResultDescription": "",
				"Status":                  `{"errorCode":0,"additionalDetails":"MFA requirement satisfied by claim in the token"}`,
				"ClientAppUsed":           "Mobile Apps and Desktop clients",
				"DeviceDetail":            `{"deviceId":"","operatingSystem":"Ios","browser":"","isCompliant":"false"}`,
				"Location":                "DE",
				"LocationDetails":         `{"city":"Berlin","state":"Berlin","countryOrRegion":"DE","geoCoordinates":{"latitude":52.52,"longitude":13.405}}`,
				"ConditionalAccessStatus": "notApplied", "AuthenticationRequirement": "multiFactorAuthentication",
				"RiskLevelDuringSignIn": "low", "TokenIssuerType": "AzureAD", "CrossTenantAccessType": "b2bCollaboration",
			}},
			"AADServicePrincipalSignInLogs": {{
				"Id": "s-1", "CreatedDateTime": t0, "TimeGenerated": "2026-03-02T00:13:00Z",
				"AppId": "app-3", "ResourceIdentity": "res-3", "ResourceDisplayName": "Key Vault",
				"ServicePrincipalId": "sp-3", "ServicePrincipalName": "backup-job",
				"IPAddress": "198.51.100.4", "ResultType": "7000215", "ResultDescription": "Invalid client secret provided.",
				"Location": "US", "LocationDetails": `{"city":"Boydton","state":"Virginia","geoCoordinates":{}}`,
				"ConditionalAccessStatus": "notApplied", "ClientCredentialType": "clientSecret", "ServicePrincipalCredentialKeyId": "k-1",
				"ServicePrincipalCredentialThumbprint": "0A1B",
			}},
			"AADManagedIdentitySignInLogs": {{
				"Id": "m-1", "CreatedDateTime": t0, "TimeGenerated": "2026-03-02T00:12:30Z",
				"AppId": "app-4", "ResourceIdentity": "res-4", "ResourceDisplayName": "Azure Storage",
				"ServicePrincipalId": "sp-4", "ServicePrincipalName": "vm-web-01",
				"IPAddress": "", "ResultType": "0", "ResultDescription": "",
				"Location": "", "LocationDetails": "{}",
				"ManagedServiceIdentity": `{"msiType":"userAssigned","associatedResourceId":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web-01"}`,
			}},
		},
	}
}

func TestDecodeFourTables(t *testing.T) {
	data := fourTables()
	env := newTestEnv(t, func(w http.ResponseWriter, req fakeRequest, _ int) { data.answer(w, req) })
	created := time.Date(2026, 3, 2, 0, 12, 3, 123456700, time.UTC)
	nan := math.NaN()
	want := map[signin.LogType]signin.Event{
		signin.Interactive: {ID: "i-1", Created: created, LogType: signin.Interactive,
			UserID: "u-1", UserPrincipalName: "ada@contoso.com", UserDisplayName: "Ada", UserType: "member",
			AppID: "app-1", AppDisplayName: "Outlook", ResourceID: "res-1", ResourceDisplayName: "Exchange",
			IPAddress: "203.0.113.7", ErrorCode: 50126, FailureReason: "Invalid username or password.", ClientAppUsed: "Browser",
			Browser: "Edge 120.0", OperatingSystem: "Windows 10", DeviceCompliant: signin.True, DeviceManaged: signin.False, TrustType: "Azure AD joined",
			CountryOrRegion: "FR", State: "Paris", City: "Paris", Latitude: 48.8566, Longitude: 2.3522,
			ConditionalAccessStatus: "failure", AuthenticationRequirement: "singleFactorAuthentication", RiskLevelDuringSignIn: "none",
			TokenIssuerType: "AzureAD", CrossTenantAccessType: "none", MsiType: "none",
			AuthMethods: "Password", MfaMethod: "PhoneAppOTP", RiskState: "atRisk", RiskDetail: "none", RiskLevelAggregated: "high",
			RiskEventTypes:    "anonymizedIPAddress" + signin.ListSep + "unfamiliarFeatures",
			IncomingTokenType: "none", AuthProtocol: "ropc", GlobalSecureAccess: signin.False},
		signin.NonInteractive: {ID: "n-1", Created: created, LogType: signin.NonInteractive,
			UserID: "u-2", UserPrincipalName: "bob@fabrikam.com", UserDisplayName: "Bob", UserType: "guest",
			AppID: "app-2", AppDisplayName: "Teams", ResourceID: "res-2", ResourceDisplayName: "Graph",
			IPAddress: "2001:db8::1", ClientAppUsed: "Mobile Apps and Desktop clients",
			OperatingSystem: "Ios", DeviceCompliant: signin.False,
			CountryOrRegion: "DE", State: "Berlin", City: "Berlin", Latitude: 52.52, Longitude: 13.405,
			ConditionalAccessStatus: "notApplied", AuthenticationRequirement: "multiFactorAuthentication", RiskLevelDuringSignIn: "low",
			TokenIssuerType: "AzureAD", CrossTenantAccessType: "b2bCollaboration", MsiType: "none"},
		signin.ServicePrincipal: {ID: "s-1", Created: created, LogType: signin.ServicePrincipal,
			AppID: "app-3", AppDisplayName: "backup-job", ResourceID: "res-3", ResourceDisplayName: "Key Vault", ServicePrincipalID: "sp-3", ServicePrincipalName: "backup-job",
			IPAddress: "198.51.100.4", ErrorCode: 7000215, FailureReason: "Invalid client secret provided.",
			CountryOrRegion: "US", State: "Virginia", City: "Boydton", Latitude: nan, Longitude: nan,
			ConditionalAccessStatus: "notApplied", ClientCredentialType: "clientSecret", MsiType: "none",
			CredentialKeyID: "k-1", CredentialThumbprint: "0A1B",
			// No risk columns in the workload tables: "none", as Graph says.
			RiskLevelDuringSignIn: "none", RiskState: "none", RiskDetail: "none", RiskLevelAggregated: "none",
			IncomingTokenType: "none", AuthProtocol: "none"},
		signin.ManagedIdentity: {ID: "m-1", Created: created, LogType: signin.ManagedIdentity,
			AppID: "app-4", AppDisplayName: "vm-web-01", ResourceID: "res-4", ResourceDisplayName: "Azure Storage", ServicePrincipalID: "sp-4", ServicePrincipalName: "vm-web-01",
			MsiType: "userAssigned", AssociatedResourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web-01",
			Latitude: nan, Longitude: nan,
			RiskLevelDuringSignIn: "none", RiskState: "none", RiskDetail: "none", RiskLevelAggregated: "none",
			IncomingTokenType: "none", AuthProtocol: "none"},
	}
	for _, lt := range signin.LogTypes {
		got, _, err := list(context.Background(), env.c, lt, winFrom, winTo)
		if err != nil {
			t.Fatalf("%s: %v", lt, err)
		}
		if len(got) != 1 {
			t.Fatalf("%s: %d sign-ins, want 1", lt, len(got))
		}
		assertEvent(t, got[0], want[lt])
	}
	if got := env.c.cfg.Observer.(*recorder).decoded; len(got) != 4 || got[0] != [2]int{1, 1} {
		t.Errorf("decoded %v", got)
	}
}

// assertEvent compares two events, NaN coordinates equal.
func assertEvent(t *testing.T, got, want signin.Event) {
	t.Helper()
	for _, p := range []*signin.Event{&got, &want} {
		if math.IsNaN(p.Latitude) {
			p.Latitude = -999
		}
		if math.IsNaN(p.Longitude) {
			p.Longitude = -999
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sign-in %s:\n got %+v\nwant %+v", want.ID, got, want)
	}
}

func TestDecodeRowValues(t *testing.T) {
	cols := []string{"Id", "CreatedDateTime", "TimeGenerated", "ResultType", "Status", "DeviceDetail", "LocationDetails", "Location", "UserType"}
	base := func(vals ...any) []any {
		return append([]any{"x", "2026-03-02T00:00:00Z", "2026-03-02T00:01:00Z"}, vals...)
	}
	cases := []struct {
		name string
		row  []any
		code int32
	}{
		{"zero", base("0"), 0},
		{"code", base("50126"), 50126},
		{"spaced", base(" 50074 "), 50074},
		{"number", base(50140.0), 50140},
		{"empty, status object", base("", map[string]any{"errorCode": 53003.0}), 53003},
		{"empty, status text", base("", `{"errorCode":"50058"}`), 50058},
		{"success text", base("Success"), 0},
		{"failure text", base("Failure"), unknownFailure},
		{"failure text, status", base("Failure", map[string]any{"errorCode": 50053.0}), 50053},
		{"missing", base(), 0},
		{"null", base(nil, nil), 0},
		{"too big", base("99999999999"), unknownFailure},
	}
	for _, c := range cases {
		e, err := DecodeRow(cols, c.row, signin.Interactive)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if e.ErrorCode != c.code {
			t.Errorf("%s: errorCode %d, want %d", c.name, e.ErrorCode, c.code)
		}
	}

	// Dynamic columns: object or JSON text; anything else reads as empty.
	e, _ := DecodeRow(cols, base("0", nil, `  {"isManaged":true,"isCompliant":null}`, `{"geoCoordinates":{"latitude":"47.6","longitude":0}}`, "NL", "member"), signin.Interactive)
	if e.DeviceManaged != signin.True || e.DeviceCompliant != signin.Unknown || e.Latitude != 47.6 || e.Longitude != 0 || e.CountryOrRegion != "NL" || e.UserType != "member" {
		t.Errorf("decoded %+v", e)
	}
	e, _ = DecodeRow(cols, base("0", "not json", "[1,2]", `{"geoCoordinates":"x"`, 7.0, "Guest"), signin.Interactive)
	if e.DeviceManaged != signin.Unknown || !math.IsNaN(e.Latitude) || e.CountryOrRegion != "7" || e.UserType != "guest" {
		t.Errorf("decoded %+v", e)
	}

	// Missing columns read as empty; a row without any readable time fails.
	e, err := DecodeRow([]string{"Id", "TimeGenerated"}, []any{"y", "2026-03-02T00:01:00.5Z"}, signin.ManagedIdentity)
	if err != nil || !e.Created.Equal(time.Date(2026, 3, 2, 0, 1, 0, 5e8, time.UTC)) || e.UserID != "" || !math.IsNaN(e.Longitude) {
		t.Errorf("no CreatedDateTime: %+v, %v", e, err)
	}
	if _, err := DecodeRow(cols, []any{"z", "yesterday", nil}, signin.Interactive); err == nil || !strings.Contains(err.Error(), `"z"`) {
		t.Errorf("unreadable time: %v", err)
	}
	if _, err := DecodeRow(cols, []any{"z"}, signin.Interactive); err == nil {
		t.Error("a short row without times decoded")
	}
}

// TestDuplicateIdsKeepLatest: arg_max is the service's job, but two rows of
// one Id in an answer still give one sign-in, the latest TimeGenerated's.
func TestDuplicateIdsKeepLatest(t *testing.T) {
	cols := []column{{"Id", "string"}, {"CreatedDateTime", "datetime"}, {"TimeGenerated", "datetime"}, {"RiskLevelDuringSignIn", "string"}}
	env := newTestEnv(t, func(w http.ResponseWriter, _ fakeRequest, _ int) {
		writeResult(w, cols, [][]any{
			{"a", t0, "2026-03-02T00:20:00Z", "high"},
			{"b", t0, "2026-03-02T00:15:00Z", "none"},
			{"a", t0, "2026-03-02T02:00:00Z", "none"},
			{"a", t0, "2026-03-02T00:30:00Z", "medium"},
		}, false)
	})
	got, _, err := list(context.Background(), env.c, signin.Interactive, winFrom, winTo)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != "b" || got[1].ID != "a" || got[1].RiskLevelDuringSignIn != "none" {
		t.Errorf("got %+v", got)
	}
	if d := env.rec.decoded; len(d) != 1 || d[0] != [2]int{4, 2} {
		t.Errorf("decoded %v, want [[4 2]]", d)
	}
}
