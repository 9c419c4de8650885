package synth

// app is an application (client) or a resource (API) with its well-known id.
// The ids are Microsoft's first-party application ids, the same in every
// tenant, so dashboards built on the demo work unchanged on a real tenant.
type app struct{ name, id string }

// Resources that tokens are issued for.
var (
	resGraph      = app{"Microsoft Graph", "00000003-0000-0000-c000-000000000000"}
	resExchange   = app{"Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"}
	resSharePoint = app{"Office 365 SharePoint Online", "00000003-0000-0ff1-ce00-000000000000"}
	resTeams      = app{"Microsoft Teams Services", "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"}
	resAAD        = app{"Windows Azure Active Directory", "00000002-0000-0000-c000-000000000000"}
	resARM        = app{"Windows Azure Service Management API", "797f4846-ba00-4fd7-ba43-dac1f8f63013"}
	resPowerBI    = app{"Power BI Service", "00000009-0000-0000-c000-000000000000"}
	resDRS        = app{"Device Registration Service", "01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9"}
	resKeyVault   = app{"Azure Key Vault", "cfa8b339-82a2-471a-a3c9-0fc0be7a4093"}
	resStorage    = app{"Azure Storage", "e406a681-f3d4-42a8-90b6-c2b029497af1"}
	resSQL        = app{"Azure SQL Database", "022907d3-0f1b-48f7-badc-1ba6abab6d66"}
)

// First-party client applications.
var (
	appOffice        = app{"Microsoft Office", "d3590ed6-52b3-4102-aeff-aad2292ab01c"}
	appTeams         = app{"Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264"}
	appTeamsWeb      = app{"Microsoft Teams Web Client", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346"}
	appOutlook       = app{"Microsoft Outlook", "5d661950-3475-41cd-a2c3-d671a3162bc1"}
	appOutlookWeb    = app{"One Outlook Web", "9199bf20-a13f-4107-85dc-02114787ef48"}
	appOutlookMob    = app{"Outlook Mobile", "27922004-5251-4030-b22d-91ecd9a37ea4"}
	appOneDrive      = app{"OneDrive SyncEngine", "ab9b8c07-8f02-4f72-87fa-80105867a763"}
	appWindows       = app{"Windows Sign In", "38aa3b87-a06d-4817-b275-7a316988d93b"}
	appEdge          = app{"Microsoft Edge", "ecd6b820-32c2-49b6-98a6-444530e5a77a"}
	appOfficeHome    = app{"OfficeHome", "4765445b-32c6-49b0-83e6-1d93765276ca"}
	appAzurePortal   = app{"Azure Portal", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"}
	appAzureCLI      = app{"Microsoft Azure CLI", "04b07795-8ddb-461a-bbee-02f9e1bf7b46"}
	appPowerBI       = app{"Power BI Desktop", "7f67af8a-fedc-4b08-8b4e-37c4d127b6cf"}
	appBroker        = app{"Microsoft Authentication Broker", "29d9ed98-a469-4536-ade2-f981bc1d605e"}
	appAADPowerShell = app{"Azure Active Directory PowerShell", "1b730954-1685-4b74-9bfd-dac224a7b894"}
)

// Graph's clientAppUsed values.
const (
	clientBrowser = "Browser"
	clientModern  = "Mobile Apps and Desktop clients"
	clientEAS     = "Exchange ActiveSync"
	clientIMAP    = "IMAP4"
	clientPOP     = "POP3"
	clientSMTP    = "Authenticated SMTP"
	clientOther   = "Other clients"
)

// appPair is a client application asking for a token to a resource: the unit
// that non-interactive sessions refresh and interactive sign-ins target.
type appPair struct {
	client    app
	resource  app
	native    bool   // a desktop or mobile app (MSAL, WAM), not a browser
	clientApp string // overrides the device's clientAppUsed (legacy protocols) when set
}

// Sessions every member's desktop keeps open all working day.
var deskCoreSessions = []*appPair{
	{client: appOffice, resource: resGraph, native: true},
	{client: appOffice, resource: resSharePoint, native: true},
	{client: appTeams, resource: resTeams, native: true},
	{client: appTeams, resource: resGraph, native: true},
	{client: appOffice, resource: resExchange, native: true},
	{client: appOutlook, resource: resExchange, native: true},
	{client: appOutlook, resource: resGraph, native: true},
	{client: appOneDrive, resource: resSharePoint, native: true},
}

// Sessions only Windows devices have: the primary refresh token and Edge's
// profile sign-in.
var deskWindowsSessions = []*appPair{
	{client: appWindows, resource: resAAD, native: true},
	{client: appEdge, resource: resGraph, native: true},
}

// Browser sessions some members keep open in a tab.
var (
	sessOfficeHome = &appPair{client: appOfficeHome, resource: resGraph}
	sessOutlookWeb = &appPair{client: appOutlookWeb, resource: resExchange}
	sessTeamsWeb   = &appPair{client: appTeamsWeb, resource: resTeams}
	sessSharePoint = &appPair{client: resSharePoint, resource: resSharePoint}
	sessPowerBI    = &appPair{client: appPowerBI, resource: resPowerBI, native: true}
	sessPortal     = &appPair{client: appAzurePortal, resource: resARM}
	sessCLI        = &appPair{client: appAzureCLI, resource: resARM, native: true}
)

// Sessions on phones, refreshed from morning to night, workday or not.
var (
	sessOutlookMobile = &appPair{client: appOutlookMob, resource: resExchange, native: true}
	sessTeamsMobile   = &appPair{client: appTeams, resource: resTeams, native: true}
	sessBrokerMobile  = &appPair{client: appBroker, resource: resDRS, native: true}
	sessActiveSync    = &appPair{client: resExchange, resource: resExchange, native: true, clientApp: clientEAS}
)

// guestSessions are what B2B guests use: the collaboration apps, in a browser.
var guestSessions = []*appPair{sessTeamsWeb, sessSharePoint, sessOfficeHome}

// lobAppNames are the tenant's own and gallery applications; their ids are
// tenant-specific, so the population draws them from the seed.
var lobAppNames = []string{
	"Salesforce", "ServiceNow", "Workday", "Zoom", "Contoso Expenses", "Contoso HR Portal",
}

// interactiveChoice is an application a user signs into interactively, with
// its share of such sign-ins and who can use it.
type interactiveChoice struct {
	pair   *appPair
	weight float64
	needs  role // zero: everyone
}

// role is what a member does, which decides the admin and developer tools.
type role uint8

const (
	roleStaff role = iota
	roleAnalyst
	roleDeveloper
	roleAdmin
)

// deskInteractive are the interactive sign-ins from desktops, after the first
// of the day. The line-of-business apps are added per tenant.
var deskInteractive = []interactiveChoice{
	{pair: sessOfficeHome, weight: 20},
	{pair: sessSharePoint, weight: 10},
	{pair: sessOutlookWeb, weight: 8},
	{pair: sessTeamsWeb, weight: 6},
	{pair: &appPair{client: appTeams, resource: resTeams, native: true}, weight: 8},
	{pair: &appPair{client: appOffice, resource: resGraph, native: true}, weight: 6},
	{pair: &appPair{client: appOutlook, resource: resExchange, native: true}, weight: 5},
	{pair: sessPowerBI, weight: 6, needs: roleAnalyst},
	{pair: sessPortal, weight: 12, needs: roleDeveloper},
	{pair: sessCLI, weight: 8, needs: roleDeveloper},
}

// mobileInteractive are the interactive sign-ins from phones.
var mobileInteractive = []interactiveChoice{
	{pair: sessOutlookMobile, weight: 5},
	{pair: sessTeamsMobile, weight: 4},
	{pair: &appPair{client: appOfficeHome, resource: resGraph}, weight: 1},
}

// Workload resources: where service principals and managed identities get
// tokens for, with their shares.
var (
	spResources = []app{resGraph, resARM, resKeyVault, resStorage, resSQL}
	spWeights   = []float64{35, 25, 20, 15, 5}
	miResources = []app{resKeyVault, resStorage, resSQL}
	miWeights   = []float64{45, 35, 20}
)
