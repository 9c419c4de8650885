package graph

import (
	"math"
	"os"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// checkEvent compares every field; NaN coordinates compare equal to NaN.
func checkEvent(t *testing.T, got, want signin.Event) {
	t.Helper()
	if !got.Created.Equal(want.Created) {
		t.Errorf("%s: unexpected Created; got %s; want %s", want.ID, got.Created, want.Created)
	}
	if !sameFloat(got.Latitude, want.Latitude) || !sameFloat(got.Longitude, want.Longitude) {
		t.Errorf("%s: unexpected coordinates; got %v,%v; want %v,%v", want.ID, got.Latitude, got.Longitude, want.Latitude, want.Longitude)
	}
	got.Created, want.Created = time.Time{}, time.Time{}
	got.Latitude, got.Longitude, want.Latitude, want.Longitude = 0, 0, 0, 0
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unexpected event\ngot  %+v\nwant %+v", got, want)
	}
}

func sameFloat(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }

func TestDecodePageQuirks(t *testing.T) {
	data := readFixture(t, "quirks.json")
	events, next, err := decodePage(data, signin.NonInteractive)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	wantNext := "https://graph.microsoft.com/beta/auditLogs/signIns?$filter=createdDateTime+ge+2026-01-13T00%3a00%3a00Z&$top=5&$skiptoken=9f2c1d0e4b7a"
	if next != wantNext {
		t.Fatalf("unexpected nextLink; got %q; want %q", next, wantNext)
	}
	if len(events) != 5 {
		t.Fatalf("unexpected event count; got %d; want 5", len(events))
	}
	nan := math.NaN()
	// 1: full record, duplicate keys (last wins), unknown nested field, 7 digits.
	checkEvent(t, events[0], signin.Event{
		ID: "7c1e52a0-3b41-4e8f-9d2a-000000000001", Created: mustTime(t, "2026-01-13T14:05:09.1234567Z"), LogType: signin.NonInteractive,
		UserID: "0b5f6d7e-1111-4c2d-8e9f-aaaaaaaaaaaa", UserPrincipalName: "ada.oneil@fabrikam.example", UserDisplayName: "Ada O'Neil", UserType: "guest",
		AppID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", AppDisplayName: "Azure Portal",
		ResourceID: "797f4846-ba00-4fd7-ba43-dac1f8f63013", ResourceDisplayName: "Windows Azure Service Management API",
		IPAddress: "203.0.113.7", ErrorCode: 50126, FailureReason: "Error validating credentials due to invalid username or password.",
		ClientAppUsed: "Browser", Browser: "Edge 120.0.0", OperatingSystem: "Windows 10",
		DeviceCompliant: signin.False, DeviceManaged: signin.True, TrustType: "Hybrid Azure AD joined",
		CountryOrRegion: "CH", State: "Zurich", City: "Zürich", Latitude: 47.36667, Longitude: 8.55,
		ConditionalAccessStatus: "failure", AuthenticationRequirement: "multiFactorAuthentication", RiskLevelDuringSignIn: "medium",
		ClientCredentialType: "none", TokenIssuerType: "AzureAD", CrossTenantAccessType: "b2bCollaboration",
		// Lists: each distinct value once, whatever the order or repeats.
		AuthMethods: "Mobile app notification" + signin.ListSep + "Password", MfaMethod: "PhoneAppNotification",
		RiskState: "none", RiskDetail: "none", RiskLevelAggregated: "none",
		RiskEventTypes:    "anonymizedIPAddress" + signin.ListSep + "unfamiliarFeatures",
		IncomingTokenType: "primaryRefreshToken", AuthProtocol: "oAuth2", GlobalSecureAccess: signin.True,
	})
	// 2: "status":{}, nulls, misspelt riskLevelDuringsignIn, empty geoCoordinates, no fraction.
	checkEvent(t, events[1], signin.Event{
		ID: "7c1e52a0-3b41-4e8f-9d2a-000000000002", Created: mustTime(t, "2026-01-13T14:05:09Z"), LogType: signin.NonInteractive,
		UserID: "d7cc485d-2c1b-422c-98fd-5ce52859a4a3", UserPrincipalName: "jdoe@fabrikam.example", UserDisplayName: "Jon Doe",
		AppID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", AppDisplayName: "Azure Portal",
		ResourceID: "797f4846-ba00-4fd7-ba43-dac1f8f63013", ResourceDisplayName: "Windows Azure Service Management API",
		IPAddress: "2001:db8::1", ClientAppUsed: "Browser", Browser: "Chrome 90.0.4430", OperatingSystem: "Windows 10",
		CountryOrRegion: "US", State: "Washington", City: "Redmond", Latitude: nan, Longitude: nan,
		ConditionalAccessStatus: "notApplied", RiskLevelDuringSignIn: "none", TokenIssuerType: "AzureAD",
	})
	// 3: errorCode as a string, UnknownFutureValue kept as sent, null objects.
	checkEvent(t, events[2], signin.Event{
		ID: "7c1e52a0-3b41-4e8f-9d2a-000000000003", Created: mustTime(t, "2026-01-13T14:04:58.12Z"), LogType: signin.NonInteractive,
		UserID: "4562bcc8-c436-4f95-b7c0-4f8ce89dca5e", UserPrincipalName: "admin@fabrikam.example", UserDisplayName: "MOD Administrator", UserType: "member",
		AppID: "de8bc8b5-d9f9-48b1-a8ad-b748da725064", AppDisplayName: "Graph Explorer",
		ResourceID: "00000003-0000-0000-c000-000000000000", ResourceDisplayName: "Microsoft Graph", MsiType: "none",
		IPAddress: "198.51.100.20", ErrorCode: 50076, ClientAppUsed: "Mobile Apps and Desktop clients",
		Latitude: nan, Longitude: nan, ConditionalAccessStatus: "unknownFutureValue",
		AuthenticationRequirement: "singleFactorAuthentication", TokenIssuerType: "UnknownFutureValue",
	})
	// 4: service principal, empty strings, null coordinates, one fractional digit.
	checkEvent(t, events[3], signin.Event{
		ID: "7c1e52a0-3b41-4e8f-9d2a-000000000004", Created: mustTime(t, "2026-01-13T14:04:00.5Z"), LogType: signin.NonInteractive,
		AppID: "f3a9b1c2-0000-4000-8000-00000000beef", AppDisplayName: "Contoso Reporting Daemon",
		ResourceID: "00000003-0000-0000-c000-000000000000", ResourceDisplayName: "Microsoft Graph",
		ServicePrincipalID: "9e8d7c6b-0000-4000-8000-0000000000sp", ServicePrincipalName: "Contoso Reporting Daemon",
		IPAddress: "192.0.2.44", ErrorCode: 7000215, FailureReason: "Invalid client secret is provided.",
		CountryOrRegion: "NL", State: "Noord-Holland", City: "Amsterdam", Latitude: nan, Longitude: nan,
		ClientCredentialType: "clientSecret",
	})
	// 5: managed identity, offset time, coordinates 0,0 are a place, not unknown.
	checkEvent(t, events[4], signin.Event{
		ID: "7c1e52a0-3b41-4e8f-9d2a-000000000005", Created: mustTime(t, "2026-01-13T14:03:59.0000001Z"), LogType: signin.NonInteractive,
		AppID: "a1b2c3d4-0000-4000-8000-0000000000mi", ResourceID: "cfa8b339-82a2-471a-a3c9-0fc0be7a4093", ResourceDisplayName: "Azure Key Vault",
		ServicePrincipalID: "a1b2c3d4-0000-4000-8000-0000000000mi", ServicePrincipalName: "vm-build-01",
		MsiType: "systemAssigned", AssociatedResourceID: "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-build-01",
	})
	if loc := events[4].Created.Location(); loc != time.UTC {
		t.Errorf("unexpected location of Created; got %s; want UTC", loc)
	}
}

func TestDecodePageBareArray(t *testing.T) {
	events, next, err := DecodePage(readFixture(t, "bare.json"))
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if next != "" || len(events) != 2 {
		t.Fatalf("unexpected result; got %d events, nextLink %q; want 2 events, no nextLink", len(events), next)
	}
	nan := math.NaN()
	checkEvent(t, events[0], signin.Event{ID: "b-1", Created: mustTime(t, "2026-01-13T10:00:00.1Z"), AppDisplayName: "Teams",
		DeviceCompliant: signin.True, DeviceManaged: signin.False, Latitude: nan, Longitude: nan})
	// A mistyped field reads as zero instead of losing the page.
	checkEvent(t, events[1], signin.Event{ID: "b-2", Created: mustTime(t, "2026-01-13T09:59:59.99Z"), AppDisplayName: "Teams",
		ErrorCode: 50058, DeviceCompliant: signin.False, Latitude: nan, Longitude: nan})
}

func TestDecodePageErrors(t *testing.T) {
	f := func(in, want string) {
		t.Helper()
		_, _, err := DecodePage([]byte(in))
		if err == nil {
			t.Fatalf("expected an error for %s", in)
		}
		if want != "" && err.Error() != want {
			t.Fatalf("unexpected error; got %q; want %q", err, want)
		}
	}
	f(`{"value":[{"id":"x","createdDateTime":"13/01/2026 14:00"}]}`, `bad sign-in record: sign-in "x": createdDateTime "13/01/2026 14:00": not an RFC 3339 date-time`)
	f(`{"value":[{"id":"y","createdDateTime":null}]}`, `bad sign-in record: sign-in "y": createdDateTime "": not an RFC 3339 date-time`)
	f(`{"value":[{"id":"z","createdDateTime":"2026-01-13T14:00:00Z","status":{"errorCode":"abc"}}]}`, "")
	f(`{"value":{"id":"x"}}`, "")
	f(`{"value":[{"id":"x","createdDateTime":"2026-01-13T14:00:00Z"},{"id":"y","crea`, "")
	f(``, "")
}

func TestDecodePageEmpty(t *testing.T) {
	events, next, err := DecodePage([]byte(`{"@odata.context":"c","value":[]}`))
	if err != nil || len(events) != 0 || next != "" {
		t.Fatalf("unexpected result; got %d events, %q, %v; want none", len(events), next, err)
	}
}

// TestDecodePageSharesNoMemory makes sure the events do not keep the page body
// alive (no-copy decoding must be followed by copying every string out).
func TestDecodePageSharesNoMemory(t *testing.T) {
	data := readFixture(t, "quirks.json")
	events, next, err := DecodePage(data)
	if err != nil {
		t.Fatal(err)
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	hi := lo + uintptr(len(data))
	check := func(s string) {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); len(s) > 0 && p >= lo && p < hi {
			t.Errorf("string %q points into the page body", s)
		}
	}
	check(next)
	for _, e := range events {
		v := reflect.ValueOf(e)
		for i := 0; i < v.NumField(); i++ {
			if f := v.Field(i); f.Kind() == reflect.String {
				check(f.String())
			}
		}
	}
}
