package synth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Well-known resource ids the workloads may use.
const (
	idGraph    = "00000003-0000-0000-c000-000000000000"
	idKeyVault = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"
	idStorage  = "e406a681-f3d4-42a8-90b6-c2b029497af1"
	idARM      = "797f4846-ba00-4fd7-ba43-dac1f8f63013"
	idSQL      = "022907d3-0f1b-48f7-badc-1ba6abab6d66"
)

// smallDay returns a whole Wednesday of the small tenant, per log type.
func smallDay(t *testing.T, tn *Tenant) map[signin.LogType][]SignIn {
	t.Helper()
	out := map[signin.LogType][]SignIn{}
	for _, lt := range signin.LogTypes {
		out[lt] = tn.Range(lt, wednesday, wednesday.Add(24*time.Hour))
	}
	return out
}

func TestUserRecordFields(t *testing.T) {
	day := smallDay(t, mustQuiet(t, 7, "small"))
	f := func(lt signin.LogType, eventType string, interactive bool) {
		t.Helper()
		for _, r := range day[lt] {
			switch {
			case !slices.Equal(r.SignInEventTypes, []string{eventType}) || r.IsInteractive != interactive:
				t.Fatalf("%s: unexpected signInEventTypes %q, isInteractive %v", lt, r.SignInEventTypes, r.IsInteractive)
			case r.UserID == "" || r.UserPrincipalName == "" || r.UserDisplayName == "":
				t.Fatalf("%s: user missing in %+v", lt, r)
			case r.ServicePrincipalID != "" || r.ServicePrincipalName != "" || r.ClientCredentialType != "none":
				t.Fatalf("%s: workload fields set: %q %q %q", lt, r.ServicePrincipalID, r.ServicePrincipalName, r.ClientCredentialType)
			case r.ManagedServiceIdentity.MsiType != "none" || r.ManagedServiceIdentity.AssociatedResourceID != nil:
				t.Fatalf("%s: unexpected managedServiceIdentity %+v", lt, r.ManagedServiceIdentity)
			case r.UserType != "member" && r.UserType != "guest":
				t.Fatalf("%s: unexpected userType %q", lt, r.UserType)
			case (r.UserType == "guest") != (r.CrossTenantAccessType == "b2bCollaboration"):
				t.Fatalf("%s: userType %q with crossTenantAccessType %q", lt, r.UserType, r.CrossTenantAccessType)
			case r.IPAddress == "" || r.AppID == "" || r.ResourceID == "" || r.IsThroughGlobalSecureAccess == nil:
				t.Fatalf("%s: incomplete record %+v", lt, r)
			case (r.TokenIssuerType == "ADFederationServices") != (r.TokenIssuerName != "") ||
				(r.TokenIssuerType != "AzureAD" && (!interactive || r.TokenIssuerType != "ADFederationServices")):
				// Only interactive sign-ins of federated users come from AD FS.
				t.Fatalf("%s: token issuer %q %q", lt, r.TokenIssuerType, r.TokenIssuerName)
			}
		}
	}
	f(signin.Interactive, "interactiveUser", true)
	f(signin.NonInteractive, "nonInteractiveUser", false)
}

func TestServicePrincipalFields(t *testing.T) {
	day := smallDay(t, mustQuiet(t, 7, "small"))
	resources := []string{idGraph, idKeyVault, idStorage, idARM, idSQL}
	credentials := []string{"clientSecret", "clientAssertion", "federatedIdentityCredential"}
	for _, r := range day[signin.ServicePrincipal] {
		switch {
		case !slices.Equal(r.SignInEventTypes, []string{"servicePrincipal"}) || r.IsInteractive:
			t.Fatalf("unexpected signInEventTypes %q, isInteractive %v", r.SignInEventTypes, r.IsInteractive)
		case r.ServicePrincipalID == "" || r.ServicePrincipalName == "" || r.AppID == "" || r.AppDisplayName != r.ServicePrincipalName:
			t.Fatalf("service principal missing in %+v", r)
		case r.UserID != "" || r.UserPrincipalName != "":
			t.Fatalf("user set on a service principal sign-in: %q", r.UserPrincipalName)
		case !slices.Contains(resources, r.ResourceID) || !slices.Contains(credentials, r.ClientCredentialType):
			t.Fatalf("unexpected resource %q or credential %q", r.ResourceID, r.ClientCredentialType)
		case r.ManagedServiceIdentity.MsiType != "none":
			t.Fatalf("unexpected msiType %q", r.ManagedServiceIdentity.MsiType)
		case (r.ClientCredentialType == "clientAssertion") != (len(r.ServicePrincipalCredentialThumbprint) == 40):
			t.Fatalf("credential %q with thumbprint %q", r.ClientCredentialType, r.ServicePrincipalCredentialThumbprint)
		}
	}
}

func TestManagedIdentityFields(t *testing.T) {
	day := smallDay(t, mustQuiet(t, 7, "small"))
	resources := []string{idKeyVault, idStorage, idSQL}
	for _, r := range day[signin.ManagedIdentity] {
		msi := r.ManagedServiceIdentity
		switch {
		case !slices.Equal(r.SignInEventTypes, []string{"managedIdentity"}) || r.IsInteractive:
			t.Fatalf("unexpected signInEventTypes %q, isInteractive %v", r.SignInEventTypes, r.IsInteractive)
		case r.ServicePrincipalID == "" || r.ServicePrincipalName == "" || r.UserID != "":
			t.Fatalf("unexpected identity fields in %+v", r)
		case r.ClientCredentialType != "managedIdentity" || !slices.Contains(resources, r.ResourceID):
			t.Fatalf("unexpected credential %q or resource %q", r.ClientCredentialType, r.ResourceID)
		case msi.AssociatedResourceID == nil || !strings.HasPrefix(*msi.AssociatedResourceID, "/subscriptions/"):
			t.Fatalf("unexpected associatedResourceId in %+v", msi)
		}
		resource := *msi.AssociatedResourceID
		switch msi.MsiType {
		case "userAssigned":
			if !strings.HasSuffix(resource, "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"+r.ServicePrincipalName) {
				t.Fatalf("user-assigned identity %q has resource %q", r.ServicePrincipalName, resource)
			}
		case "systemAssigned":
			if !strings.HasSuffix(resource, "/"+r.ServicePrincipalName) || strings.Contains(resource, "Microsoft.ManagedIdentity") {
				t.Fatalf("system-assigned identity %q has resource %q", r.ServicePrincipalName, resource)
			}
		default:
			t.Fatalf("unexpected msiType %q", msi.MsiType)
		}
	}
}

// The portal groups non-interactive sign-ins by user, app, address, status
// and resource: refreshes of one session must be identical but for id and time.
func TestRefreshesAreIdenticalButForTimeAndID(t *testing.T) {
	day := smallDay(t, mustQuiet(t, 7, "small"))[signin.NonInteractive]
	groups := map[string]string{}
	for _, r := range day {
		r.ID, r.CreatedDateTime = "", ""
		text := mustJSON(t, r)
		if prev, ok := groups[r.CorrelationID]; ok && prev != text {
			t.Fatalf("refreshes of session %s differ:\n%s\n%s", r.CorrelationID, prev, text)
		}
		groups[r.CorrelationID] = text
	}
	// Sessions refresh about hourly for hours, so groups are large.
	if perGroup := float64(len(day)) / float64(len(groups)); perGroup < 5 {
		t.Fatalf("unexpected refreshes per session; got %.1f; want at least 5", perGroup)
	}
}

// Interactive authentication steps are dated with their own sign-in.
func TestAuthenticationStepsAreDated(t *testing.T) {
	steps := 0
	for _, r := range smallDay(t, mustNew(t, 7, "small"))[signin.Interactive] {
		for _, s := range r.AuthenticationDetails {
			steps++
			if s.AuthenticationStepDateTime != r.CreatedDateTime {
				t.Fatalf("step dated %q in a sign-in created %q", s.AuthenticationStepDateTime, r.CreatedDateTime)
			}
		}
	}
	if steps == 0 {
		t.Fatalf("no authentication steps in a day")
	}
}

func TestStatusesMatchConditionalAccess(t *testing.T) {
	for _, r := range smallDay(t, mustNew(t, 7, "small"))[signin.Interactive] {
		code, ca := r.Status.ErrorCode, r.ConditionalAccessStatus
		switch {
		case (code == 53003 || code == 53000) != (ca == "failure"):
			t.Fatalf("errorCode %d with conditionalAccessStatus %q", code, ca)
		case ca == "success" && (code != 0 || r.AuthenticationRequirement != "multiFactorAuthentication"):
			t.Fatalf("conditionalAccessStatus success with errorCode %d, %q", code, r.AuthenticationRequirement)
		case len(r.AppliedConditionalAccess) != len(caPolicies):
			t.Fatalf("unexpected number of policies: %d", len(r.AppliedConditionalAccess))
		}
	}
}
