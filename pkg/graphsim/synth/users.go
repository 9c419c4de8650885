package synth

import "strings"

// user is a member or a B2B guest with everything that stays the same from day
// to day: identity, home, devices and the applications they use. The three
// base records are the user's sign-in with the application, network and status
// still to fill in, built once so that a record costs a struct copy.
type user struct {
	index      int
	upn        string
	first      string
	guest      bool
	role       role
	home       *city
	offset     int64       // the home city's UTC offset, in ticks
	office     *netContext // nil for remote workers and guests
	officeDays float64     // share of working days spent at the office
	homeNet    *netContext
	mobileNet  *netContext // nil without a phone
	windows    bool

	deskBrowser *SignIn
	deskNative  *SignIn
	mobile      *SignIn // nil without a phone

	sessions       []*appPair // desktop sessions, refreshed through the working day
	coreSessions   int        // sessions[:coreSessions] start with the day and last until its end
	mobileSessions []*appPair
}

// newUser builds user index from its own stream, so users are independent of
// one another (only user principal names are deduplicated in order).
func (p *population) newUser(r *rng, index int, guest bool, taken map[string]int) *user {
	first := firstNames[r.intn(len(firstNames))]
	last := lastNames[r.intn(len(lastNames))]
	u := &user{index: index, first: first, guest: guest}
	id := r.uuid().String()
	ident := SignIn{UserDisplayName: first + " " + last, UserID: id, UserType: "member"}
	constantFields(&ident, p.tenantID)
	ident.SignInEventTypes = evNonInteractive
	ident.ClientCredentialType = "none"
	ident.AppliedConditionalAccess = p.ca.none
	ident.ProcessingTimeInMilliseconds = 40 + r.intn(160)
	ident.IsThroughGlobalSecureAccess = notThroughGSA

	if guest {
		p.makeGuest(r, u, &ident, last, taken)
	} else {
		p.makeMember(r, u, last, taken)
	}
	ident.UserPrincipalName = u.upn
	return p.finishUser(r, u, &ident)
}

// makeMember places a member in a home city, at an office there for most,
// and gives them a role.
func (p *population) makeMember(r *rng, u *user, last string, taken map[string]int) {
	u.upn = uniqueName(strings.ToLower(u.first+"."+last), taken) + "@" + tenantDomain
	home := homeCities[r.pick(p.homeWeights)]
	u.home = home
	u.offset = home.offset
	u.homeNet = consumerNet(r, home)
	if office := p.offices[home.name]; office != nil && r.chance(0.85) {
		u.office = office
		u.officeDays = 0.4 + 0.5*r.float()
	}
	switch x := r.float(); {
	case x < 0.02:
		u.role = roleAdmin
	case x < 0.10:
		u.role = roleDeveloper
	case x < 0.25:
		u.role = roleAnalyst
	}
}

// makeGuest makes a B2B guest from a partner tenant, with the user principal
// name Entra ID gives invited users.
func (p *population) makeGuest(r *rng, u *user, ident *SignIn, last string, taken map[string]int) {
	partner := r.intn(len(partnerDomains))
	local := strings.ToLower(u.first+"."+last) + "_" + partnerDomains[partner]
	u.upn = uniqueName(local, taken) + "#EXT#@" + guestDomain
	home := guestCities[r.pick(p.guestWeights)]
	u.home = home
	u.offset = home.offset
	u.homeNet = consumerNet(r, home)
	ident.UserType = "guest"
	ident.HomeTenantID = p.partnerTenants[partner]
	ident.CrossTenantAccessType = "b2bCollaboration"
}

// finishUser gives the user devices, base records and sessions.
func (p *population) finishUser(r *rng, u *user, ident *SignIn) *user {
	var desk device
	if u.guest {
		desk = guestDevice(r)
	} else {
		var plat *platform
		desk, plat = newDesktop(r, u.first)
		u.windows = plat.os == "Windows 10"
		ident.auth = authProfileOf(ident.UserID, u.windows, u.role)
		if ident.auth.gsa {
			ident.IsThroughGlobalSecureAccess = throughGSA
		}
	}
	u.deskBrowser = withDevice(ident, desk.browser, desk.ua, clientBrowser)
	u.deskNative = withDevice(ident, desk.native, desk.nativeUA, clientModern)
	if u.windows { // Windows desktops sign in to apps with their primary refresh token
		u.deskNative.IncomingTokenType = "primaryRefreshToken"
	}
	if !u.guest && r.chance(0.75) {
		phone := newPhone(r)
		u.mobile = withDevice(ident, phone.native, phone.nativeUA, clientModern)
		u.mobileNet = consumerNet(r, u.home)
	}
	u.sessions, u.coreSessions = deskSessions(r, u)
	u.mobileSessions = phoneSessions(r, u)
	return u
}

func withDevice(ident *SignIn, d DeviceDetail, ua, clientApp string) *SignIn {
	rec := *ident
	rec.DeviceDetail = d
	rec.UserAgent = ua
	rec.ClientAppUsed = clientApp
	return &rec
}

// deskSessions picks the desktop sessions: the core apps for everyone, then
// the browser tabs and tools that depend on habits and role.
func deskSessions(r *rng, u *user) ([]*appPair, int) {
	if u.guest {
		return guestSessions[:1+r.intn(len(guestSessions))], 0
	}
	s := append([]*appPair(nil), deskCoreSessions...)
	if u.windows {
		s = append(s, deskWindowsSessions...)
	}
	core := len(s)
	optional := []struct {
		pair *appPair
		p    float64
	}{{sessOfficeHome, 0.5}, {sessOutlookWeb, 0.25}, {sessTeamsWeb, 0.15}}
	for _, o := range optional {
		if r.chance(o.p) {
			s = append(s, o.pair)
		}
	}
	switch u.role {
	case roleAnalyst:
		s = append(s, sessPowerBI)
	case roleDeveloper:
		s = append(s, sessPortal, sessCLI)
	case roleAdmin:
		s = append(s, sessPortal)
	}
	return s, core
}

// phoneSessions are the apps on the phone; a few users still read mail with
// the phone's built-in Exchange ActiveSync client instead of Outlook.
func phoneSessions(r *rng, u *user) []*appPair {
	if u.mobile == nil {
		return nil
	}
	s := []*appPair{sessOutlookMobile}
	if r.chance(0.06) {
		s[0] = sessActiveSync
	}
	if r.chance(0.8) {
		s = append(s, sessTeamsMobile)
	}
	if r.chance(0.4) {
		s = append(s, sessBrokerMobile)
	}
	return s
}

// uniqueName returns base, or base with a number appended if it is taken, as
// directories do for the second John Smith.
func uniqueName(base string, taken map[string]int) string {
	taken[base]++
	if n := taken[base]; n > 1 {
		return base + string(appendUint(nil, uint64(n)))
	}
	return base
}
