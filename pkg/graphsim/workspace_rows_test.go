package graphsim

import (
	"testing"
)

// The columns of each table, as the answer to "Table | where ..." lists
// them: the service's table reference, names and types.
const (
	wantSigninLogs = "TenantId:string,SourceSystem:string,TimeGenerated:datetime,OperationName:string,OperationVersion:string,Category:string,ResultType:string,ResultSignature:string,ResultDescription:string,DurationMs:long,CorrelationId:string,ResourceGroup:string,Identity:string,Level:string,Location:string," +
		"AADTenantId:string,AlternateSignInName:string,AppDisplayName:string,AppId:string,AppOwnerTenantId:string,AuthenticationContextClassReferences:string,AuthenticationDetails:string,AuthenticationMethodsUsed:string,AuthenticationProcessingDetails:string,AuthenticationProtocol:string,AuthenticationRequirement:string,AuthenticationRequirementPolicies:string,AutonomousSystemNumber:string,ClientAppUsed:string,ClientCredentialType:string,ConditionalAccessPolicies:dynamic,ConditionalAccessStatus:string,CreatedDateTime:datetime,CrossTenantAccessType:string,DeviceDetail:dynamic,FederatedCredentialId:string,FlaggedForReview:bool,HomeTenantId:string,HomeTenantName:string,Id:string,IncomingTokenType:string,IPAddress:string,IPAddressFromResourceProvider:string,IsInteractive:bool,IsRisky:bool,IsTenantRestricted:bool,IsThroughGlobalSecureAccess:bool,LocationDetails:dynamic,MfaDetail:dynamic,NetworkLocationDetails:string,OriginalRequestId:string,ProcessingTimeInMilliseconds:string,Resource:string,ResourceDisplayName:string,ResourceId:string,ResourceIdentity:string,ResourceOwnerTenantId:string,ResourceProvider:string,ResourceServicePrincipalId:string,ResourceTenantId:string,RiskDetail:string,RiskEventTypes:string,RiskEventTypes_V2:string,RiskLevelAggregated:string,RiskLevelDuringSignIn:string,RiskState:string,ServicePrincipalId:string,ServicePrincipalName:string,SessionId:string,SessionLifetimePolicies:string,SignInIdentifier:string,SignInIdentifierType:string,Status:dynamic,TokenIssuerName:string,TokenIssuerType:string,UniqueTokenIdentifier:string,UserAgent:string,UserDisplayName:string,UserId:string,UserPrincipalName:string,UserType:string," +
		"Type:string"
	wantNonInteractive = "TenantId:string,SourceSystem:string,TimeGenerated:datetime,OperationName:string,OperationVersion:string,Category:string,ResultType:string,ResultSignature:string,ResultDescription:string,DurationMs:long,CorrelationId:string,ResourceGroup:string,Identity:string,Level:string,Location:string," +
		"AADTenantId:string,AlternateSignInName:string,AppDisplayName:string,AppId:string,AppOwnerTenantId:string,AuthenticationContextClassReferences:string,AuthenticationDetails:string,AuthenticationMethodsUsed:string,AuthenticationProcessingDetails:string,AuthenticationProtocol:string,AuthenticationRequirement:string,AuthenticationRequirementPolicies:string,AutonomousSystemNumber:string,ClientAppUsed:string,ClientCredentialType:string,ConditionalAccessPolicies:string,ConditionalAccessStatus:string,CreatedDateTime:datetime,CrossTenantAccessType:string,DeviceDetail:string,FederatedCredentialId:string,HomeTenantId:string,HomeTenantName:string,Id:string,IncomingTokenType:string,IPAddress:string,IsInteractive:bool,IsRisky:bool,IsTenantRestricted:bool,IsThroughGlobalSecureAccess:bool,LocationDetails:string,MfaDetail:string,NetworkLocationDetails:string,OriginalRequestId:string,ProcessingTimeInMs:string,ResourceDisplayName:string,ResourceIdentity:string,ResourceOwnerTenantId:string,ResourceServicePrincipalId:string,ResourceTenantId:string,RiskDetail:string,RiskEventTypes:string,RiskEventTypes_V2:string,RiskLevelAggregated:string,RiskLevelDuringSignIn:string,RiskState:string,ServicePrincipalId:string,ServicePrincipalName:string,SessionId:string,SessionLifetimePolicies:string,SignInEventTypes:string,SignInIdentifierType:string,Status:string,TokenIssuerName:string,TokenIssuerType:string,UniqueTokenIdentifier:string,UserAgent:string,UserDisplayName:string,UserId:string,UserPrincipalName:string,UserType:string," +
		"Type:string"
	wantServicePrincipal = "TenantId:string,SourceSystem:string,TimeGenerated:datetime,OperationName:string,OperationVersion:string,Category:string,ResultType:string,ResultSignature:string,ResultDescription:string,DurationMs:long,CorrelationId:string,ResourceGroup:string,Identity:string,Level:string,Location:string," +
		"AADTenantId:string,AppId:string,AppOwnerTenantId:string,AuthenticationContextClassReferences:string,AuthenticationProcessingDetails:string,AutonomousSystemNumber:string,ClientCredentialType:string,ConditionalAccessPolicies:string,ConditionalAccessStatus:string,CreatedDateTime:datetime,FederatedCredentialId:string,Id:string,IPAddress:string,LocationDetails:string,NetworkLocationDetails:string,ResourceDisplayName:string,ResourceIdentity:string,ResourceOwnerTenantId:string,ResourceServicePrincipalId:string,ServicePrincipalCredentialKeyId:string,ServicePrincipalCredentialThumbprint:string,ServicePrincipalId:string,ServicePrincipalName:string,SessionId:string,UniqueTokenIdentifier:string,UserAgent:string," +
		"Type:string"
	wantManagedIdentity = "TenantId:string,SourceSystem:string,TimeGenerated:datetime,OperationName:string,OperationVersion:string,Category:string,ResultType:string,ResultSignature:string,ResultDescription:string,DurationMs:long,CorrelationId:string,ResourceGroup:string,Identity:string,Level:string,Location:string," +
		"AADTenantId:string,AppId:string,AppOwnerTenantId:string,AuthenticationContextClassReferences:string,AuthenticationProcessingDetails:string,ClientCredentialType:string,ConditionalAccessPolicies:string,ConditionalAccessStatus:string,CreatedDateTime:datetime,FederatedCredentialId:string,Id:string,IPAddress:string,LocationDetails:string,ManagedServiceIdentity:string,NetworkLocationDetails:string,ResourceDisplayName:string,ResourceIdentity:string,ResourceOwnerTenantId:string,ResourceServicePrincipalId:string,ServicePrincipalCredentialKeyId:string,ServicePrincipalCredentialThumbprint:string,ServicePrincipalId:string,ServicePrincipalName:string,SessionId:string,UniqueTokenIdentifier:string,UserAgent:string," +
		"Type:string"
)

// TestRowsSigninLogs: objects are dynamic values, ResultType a string,
// Location the country code; int-01 is there twice, its latest row the record.
func TestRowsSigninLogs(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	a := e.laQuery(e.token("contoso"), "SigninLogs\n"+fixtureHour, "")
	if got := a.columns(); got != wantSigninLogs {
		t.Fatalf("columns\n%s\nwant\n%s", got, wantSigninLogs)
	}
	if got := a.cells("Id"); len(got) != 3 || got[0] != `"int-01"` || got[1] != `"int-01"` || got[2] != `"int-02"` {
		t.Fatalf("ids %v; want int-01 twice, then int-02", got)
	}
	first := map[string]string{
		"TenantId": `"ws-1"`, "SourceSystem": `"Azure AD"`, "Category": `"SignInLogs"`, "Type": `"SigninLogs"`, "OperationName": `"Sign-in activity"`,
		"Id": `"int-01"`, "CreatedDateTime": `"2026-01-13T10:15:30.1234567Z"`, "TimeGenerated": `"2026-01-13T10:20:18.0307432Z"`,
		"ResultType": `"0"`, "ResultDescription": `""`, "ResultSignature": `"None"`, "DurationMs": `0`, "Level": `"4"`,
		"Identity": `"Ada Lovelace"`, "UserDisplayName": `"Ada Lovelace"`, "UserId": `"u-ada"`, "UserPrincipalName": `"ada@contoso.example"`,
		"UserType": `"Member"`, "AppId": `"app-portal"`, "AppDisplayName": `"Azure Portal"`, "AADTenantId": `"tenant-1"`,
		"ResourceIdentity": `"res-arm"`, "ResourceId": `"/tenants/tenant-1/providers/Microsoft.aadiam"`, "IPAddress": `"203.0.113.7"`,
		"AutonomousSystemNumber": `"64500"`, "ProcessingTimeInMilliseconds": `"143"`, "IsInteractive": `true`, "FlaggedForReview": `null`,
		"Location":                  `"PT"`,
		"LocationDetails":           `{"city":"Lisbon","state":"Lisboa","countryOrRegion":"PT","geoCoordinates":{"altitude":null,"latitude":38.72,"longitude":-9.14}}`,
		"DeviceDetail":              `{"deviceId":"dev-1","displayName":"ADA-LAPTOP","operatingSystem":"Windows 11","browser":"Edge 120.0","isCompliant":true,"isManaged":true,"trustType":"Azure AD joined"}`,
		"Status":                    `{"errorCode":0,"failureReason":"Other.","additionalDetails":"MFA completed in Azure AD"}`,
		"MfaDetail":                 `{"authMethod":"PhoneAppNotification","authDetail":null}`,
		"ConditionalAccessPolicies": `[{"conditionsNotSatisfied":0,"conditionsSatisfied":3,"displayName":"Require MFA","enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"id":"ca-1","result":"success"}]`,
		"AuthenticationDetails":     `"[\n  {\n    \"authenticationStepDateTime\": \"2026-01-13T10:15:31Z\",\n    \"authenticationMethod\": \"Password\",\n    \"succeeded\": true\n  }\n]"`,
		"RiskEventTypes_V2":         `"[\"unfamiliarFeatures\"]"`, "NetworkLocationDetails": `"[]"`,
		"RiskLevelDuringSignIn": `"medium"`, "RiskState": `"none"`,
	}
	checkCells(t, "int-01", a.row(0), first)
	// the update: later, at risk as the record (Graph) says, otherwise the same row
	update := a.row(1)
	checkCells(t, "int-01 update", update, map[string]string{"TimeGenerated": `"2026-01-13T10:34:06.0307432Z"`, "RiskState": `"atRisk"`})
	for col, v := range a.row(0) {
		if col != "TimeGenerated" && col != "RiskState" && update[col] != v {
			t.Errorf("int-01 update: %s = %s; the first row has %s", col, update[col], v)
		}
	}
	checkCells(t, "int-02", a.row(2), map[string]string{
		"TimeGenerated": `"2026-01-13T10:43:14.4188232Z"`, "ResultType": `"50126"`,
		"ResultDescription": `"Error validating credentials due to invalid username or password."`,
		"UserType":          `"Guest"`, "HomeTenantId": `"tenant-2"`, "Location": `"DE"`, "RiskState": `"none"`,
		"RiskLevelDuringSignIn": `"low"`, // spelt riskLevelDuringsignIn in the record
		"DeviceDetail":          `{}`, "MfaDetail": `{}`, "ConditionalAccessPolicies": `[]`, "AuthenticationDetails": `""`,
	})
}

// TestRowsNonInteractive: the same objects as JSON text in string columns,
// and the processing time under its other name.
func TestRowsNonInteractive(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	a := e.laQuery(e.token("contoso"), "AADNonInteractiveUserSignInLogs\n"+fixtureHour, "")
	if got := a.columns(); got != wantNonInteractive {
		t.Fatalf("columns\n%s\nwant\n%s", got, wantNonInteractive)
	}
	if got := a.cells("Id"); len(got) != 3 || got[0] != `"nonint-30"` || got[1] != `"nonint-30"` || got[2] != `"nonint-31"` {
		t.Fatalf("ids %v; want nonint-30 twice, then nonint-31", got)
	}
	checkCells(t, "nonint-30", a.row(0), map[string]string{
		"Category": `"NonInteractiveUserSignInLogs"`, "Type": `"AADNonInteractiveUserSignInLogs"`,
		"TimeGenerated": `"2026-01-13T10:21:05.2881294Z"`, "CreatedDateTime": `"2026-01-13T10:20:00.5Z"`,
		"ResultType": `"0"`, "IsInteractive": `false`, "ProcessingTimeInMs": `"61"`, "Location": `"PT"`, "RiskState": `"atRisk"`,
		"DeviceDetail":              `"{\"deviceId\":\"dev-1\",\"operatingSystem\":\"Windows 11\",\"browser\":\"\",\"isCompliant\":true,\"isManaged\":true,\"trustType\":\"Azure AD joined\"}"`,
		"LocationDetails":           `"{\"city\":\"Lisbon\",\"countryOrRegion\":\"PT\"}"`,
		"Status":                    `"{\"errorCode\":0}"`,
		"ConditionalAccessPolicies": `"[]"`, "MfaDetail": `""`,
		"SignInEventTypes": `"[\"nonInteractiveUser\"]"`,
	})
	checkCells(t, "nonint-30 update", a.row(1), map[string]string{"TimeGenerated": `"2026-01-13T10:31:12.2881294Z"`, "RiskState": `"none"`})
	checkCells(t, "nonint-31", a.row(2), map[string]string{
		"ResultType": `"50173"`, "ResultDescription": `"The provided grant has expired due to it being revoked."`,
		"Status":       `"{\"errorCode\":50173,\"failureReason\":\"The provided grant has expired due to it being revoked.\"}"`,
		"DeviceDetail": `""`, "LocationDetails": `""`, "Location": `""`, "UserType": `""`, "Identity": `""`,
	})
}

// TestRowsWorkloads: no user or device columns, the credential columns, and
// in the managed-identity table the identity's type and resource as JSON
// text in ManagedServiceIdentity. Workload sign-ins are never re-emitted.
func TestRowsWorkloads(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	tok := e.token("contoso")
	a := e.laQuery(tok, "AADServicePrincipalSignInLogs\n"+fixtureHour, "")
	if got := a.columns(); got != wantServicePrincipal {
		t.Fatalf("service principal columns\n%s\nwant\n%s", got, wantServicePrincipal)
	}
	if len(a.Tables[0].Rows) != 1 {
		t.Fatalf("%d service principal rows; want 1", len(a.Tables[0].Rows))
	}
	checkCells(t, "sp-01", a.row(0), map[string]string{
		"Category": `"ServicePrincipalSignInLogs"`, "Id": `"sp-01"`, "TimeGenerated": `"2026-01-13T10:09:55.0745971Z"`,
		"ResultType": `"7000215"`, "ResultDescription": `"Invalid client secret is provided."`, "Identity": `"billing-sync-prod"`,
		"ServicePrincipalId": `"sp-obj-1"`, "ServicePrincipalName": `"billing-sync-prod"`, "AppId": `"app-billing"`,
		"ClientCredentialType": `"clientAssertion"`, "ServicePrincipalCredentialKeyId": `"key-1"`,
		"ServicePrincipalCredentialThumbprint": `"ABCDEF0123456789"`, "ResourceIdentity": `"00000003-0000-0000-c000-000000000000"`,
		"Location": `"NL"`, "LocationDetails": `"{\"city\":\"Amsterdam\",\"countryOrRegion\":\"NL\"}"`,
	})
	a = e.laQuery(tok, "AADManagedIdentitySignInLogs\n"+fixtureHour, "")
	if got := a.columns(); got != wantManagedIdentity {
		t.Fatalf("managed identity columns\n%s\nwant\n%s", got, wantManagedIdentity)
	}
	checkCells(t, "mi-01", a.row(0), map[string]string{
		"Category": `"ManagedIdentitySignInLogs"`, "Id": `"mi-01"`, "TimeGenerated": `"2026-01-13T10:10:49.6334308Z"`, "ResultType": `"0"`,
		"Identity": `"vm-payments-prod"`, "ClientCredentialType": `"managedIdentity"`, "LocationDetails": `""`,
		"ManagedServiceIdentity": `"{\"msiType\":\"systemAssigned\",\"associatedResourceId\":\"/subscriptions/sub-1/resourceGroups/rg-pay/providers/Microsoft.Compute/virtualMachines/vm-payments-prod\"}"`,
	})
}

// TestRowsContractProjection: the contract's project over each table gives
// the column's type where the table has it and an empty string where not.
func TestRowsContractProjection(t *testing.T) {
	e := newWorkspaceEnv(t, Options{})
	e2 := newWorkspaceEnv(t, Options{Workspace: WorkspaceOptions{OmitColumns: map[string][]string{"AADManagedIdentitySignInLogs": {"ManagedServiceIdentity"}}}})
	project := "| summarize arg_max(TimeGenerated, *) by Id\n| project Id, UserType = column_ifexists(\"UserType\", \"\"), DeviceDetail = column_ifexists(\"DeviceDetail\", \"\"), ManagedServiceIdentity = column_ifexists(\"ManagedServiceIdentity\", \"\")"
	f := func(e *testEnv, table, wantCols string, wantRow []string) {
		t.Helper()
		a := e.laQuery(e.token("contoso"), table+"\n"+fixtureHour+project, "")
		if got := a.columns(); got != wantCols {
			t.Errorf("%s: columns %s; want %s", table, got, wantCols)
		}
		var got []string
		for _, c := range a.Tables[0].Rows[0] {
			got = append(got, string(c))
		}
		if len(got) != len(wantRow) {
			t.Fatalf("%s: row %v; want %v", table, got, wantRow)
		}
		for i := range got {
			if got[i] != wantRow[i] {
				t.Errorf("%s: cell %d = %s; want %s", table, i, got[i], wantRow[i])
			}
		}
	}
	dev := `{"deviceId":"dev-1","displayName":"ADA-LAPTOP","operatingSystem":"Windows 11","browser":"Edge 120.0","isCompliant":true,"isManaged":true,"trustType":"Azure AD joined"}`
	f(e, "SigninLogs", "Id:string,UserType:string,DeviceDetail:dynamic,ManagedServiceIdentity:string", []string{`"int-01"`, `"Member"`, dev, `""`})
	f(e, "AADServicePrincipalSignInLogs", "Id:string,UserType:string,DeviceDetail:string,ManagedServiceIdentity:string", []string{`"sp-01"`, `""`, `""`, `""`})
	msi := `"{\"msiType\":\"systemAssigned\",\"associatedResourceId\":\"/subscriptions/sub-1/resourceGroups/rg-pay/providers/Microsoft.Compute/virtualMachines/vm-payments-prod\"}"`
	f(e, "AADManagedIdentitySignInLogs", "Id:string,UserType:string,DeviceDetail:string,ManagedServiceIdentity:string", []string{`"mi-01"`, `""`, `""`, msi})
	// a workspace whose schema predates the column answers the default
	f(e2, "AADManagedIdentitySignInLogs", "Id:string,UserType:string,DeviceDetail:string,ManagedServiceIdentity:string", []string{`"mi-01"`, `""`, `""`, `""`})
}
