package signin

import (
	"math"
	"slices"
	"testing"
)

func TestBrowserFamily(t *testing.T) {
	f := func(raw, want string) {
		t.Helper()
		if got := BrowserFamily(raw); got != want {
			t.Fatalf("unexpected family for %q; got %q; want %q", raw, got, want)
		}
	}
	f("Chrome 99.0.4844", "Chrome")
	f("Edge 120.0.2210", "Edge")
	f("Rich Client 5.2.9.0", "Rich Client")
	f("Mobile Safari", "Mobile Safari")
	f("Chrome Mobile 120.0.6099", "Chrome Mobile")
	f("IE 11.0", "IE")
	f("", "")
}

func TestOSFamily(t *testing.T) {
	f := func(raw, want string) {
		t.Helper()
		if got := OSFamily(raw); got != want {
			t.Fatalf("unexpected family for %q; got %q; want %q", raw, got, want)
		}
	}
	f("Windows 10", "Windows")
	f("Windows10", "Windows")
	f("Windows 11", "Windows")
	f("MacOs", "macOS")
	f("Ios", "iOS")
	f("Android", "Android")
	f("Linux", "Linux")
	f("Windows Phone 8", "Windows Phone")
	f("", "")
	f("Solaris 11", "Solaris")
}

func TestDimensions(t *testing.T) {
	e := &Event{LogType: ManagedIdentity, ServicePrincipalName: "vm-01", ErrorCode: 50140, ClientAppUsed: "IMAP4",
		Browser: "Firefox 121.0", Latitude: 47.5, Longitude: math.NaN(), DeviceCompliant: True}
	f := func(name, want string) {
		t.Helper()
		d, err := ParseDimension(name)
		if err != nil {
			t.Fatal(err)
		}
		if d.String() != name {
			t.Fatalf("unexpected name %q; want %q", d.String(), name)
		}
		if got := d.Value(e); got != want {
			t.Fatalf("unexpected %s; got %q; want %q", name, got, want)
		}
	}
	f("logType", "managedIdentity")
	f("managedIdentity", "vm-01")
	f("servicePrincipal", "vm-01")
	f("status", "interrupted")
	f("errorCode", "50140")
	f("legacyAuth", "true")
	f("browser", "Firefox")
	f("latitude", "47.5")
	f("longitude", "")
	f("deviceCompliant", "true")
	f("deviceManaged", "")
	if len(Dimensions()) != 48 {
		t.Fatalf("unexpected dimension count %d; want 48", len(Dimensions()))
	}
	if _, err := ParseDimension("password"); err == nil {
		t.Fatal("expected an error for an unknown dimension")
	}
}

func TestEveryDimensionHasAValue(t *testing.T) {
	var e Event
	for _, d := range Dimensions() {
		if dimensionValues[d] == nil {
			t.Fatalf("dimension %s has no reader", d)
		}
		_ = d.Value(&e) // a zero sign-in reads without a panic
	}
	if got := numDimensions.Value(&Event{UserPrincipalName: "a@b"}); got != "" {
		t.Fatalf("unexpected value %q for an unknown dimension; want \"\"", got)
	}
}

func TestListDimensions(t *testing.T) {
	e := &Event{AuthMethods: JoinList([]string{"Password", " Mobile app notification", "", "Password"}), GlobalSecureAccess: False}
	f := func(d Dimension, want ...string) {
		t.Helper()
		if got := d.Values(e); !slices.Equal(got, want) {
			t.Fatalf("unexpected %s values; got %q; want %q", d, got, want)
		}
	}
	f(DimAuthMethod, "Mobile app notification", "Password")
	f(DimRiskEventType, "") // no values: one empty value, the (empty) group
	f(DimMfaMethod, "")
	f(DimGlobalSecureAccess, "false")
	if !DimAuthMethod.IsList() || !DimRiskEventType.IsList() || DimRiskState.IsList() {
		t.Fatal("unexpected IsList")
	}
	if got, want := DimAuthMethod.Text(e), "Mobile app notification, Password"; got != want {
		t.Fatalf("unexpected text %q; want %q", got, want)
	}
	if got := SplitList(JoinList(nil)); got != nil {
		t.Fatalf("unexpected split of an empty list: %q", got)
	}
}
