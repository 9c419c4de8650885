package store

import "github.com/signinlens/signinlens-entra-datasource/pkg/signin"

// profileStrings lists the string fields of a profile in the order the codec
// writes them, one dictionary-coded column each. The order is part of the format:
// adding, removing or reordering a field means bumping formatVersion, so entries
// written by an older build become misses instead of being read with shifted
// columns. TestProfileStringsCoverEvent fails when signin.Event gains a string
// field this table does not list.
var profileStrings = [...]func(e *signin.Event) *string{
	func(e *signin.Event) *string { return &e.UserID },
	func(e *signin.Event) *string { return &e.UserPrincipalName },
	func(e *signin.Event) *string { return &e.UserDisplayName },
	func(e *signin.Event) *string { return &e.UserType },
	func(e *signin.Event) *string { return &e.AppID },
	func(e *signin.Event) *string { return &e.AppDisplayName },
	func(e *signin.Event) *string { return &e.ResourceID },
	func(e *signin.Event) *string { return &e.ResourceDisplayName },
	func(e *signin.Event) *string { return &e.ServicePrincipalID },
	func(e *signin.Event) *string { return &e.ServicePrincipalName },
	func(e *signin.Event) *string { return &e.MsiType },
	func(e *signin.Event) *string { return &e.AssociatedResourceID },
	func(e *signin.Event) *string { return &e.IPAddress },
	func(e *signin.Event) *string { return &e.FailureReason },
	func(e *signin.Event) *string { return &e.ClientAppUsed },
	func(e *signin.Event) *string { return &e.Browser },
	func(e *signin.Event) *string { return &e.OperatingSystem },
	func(e *signin.Event) *string { return &e.TrustType },
	func(e *signin.Event) *string { return &e.CountryOrRegion },
	func(e *signin.Event) *string { return &e.State },
	func(e *signin.Event) *string { return &e.City },
	func(e *signin.Event) *string { return &e.ConditionalAccessStatus },
	func(e *signin.Event) *string { return &e.AuthenticationRequirement },
	func(e *signin.Event) *string { return &e.RiskLevelDuringSignIn },
	func(e *signin.Event) *string { return &e.ClientCredentialType },
	func(e *signin.Event) *string { return &e.TokenIssuerType },
	func(e *signin.Event) *string { return &e.CrossTenantAccessType },
}

// profileFloats lists the coordinate fields, dictionary-coded by their bits: a
// tenant's sign-ins come from a few hundred places, so an index of one or two
// bytes replaces eight, and NaN (unknown) round-trips bit for bit.
var profileFloats = [...]func(e *signin.Event) *float64{
	func(e *signin.Event) *float64 { return &e.Latitude },
	func(e *signin.Event) *float64 { return &e.Longitude },
}
