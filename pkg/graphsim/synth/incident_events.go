package synth

import (
	"math"
	"slices"
	"strings"
	"time"
)

// Attackers' devices are unknown to the directory; tools report little or nothing.
var (
	sprayDevice  = DeviceDetail{OperatingSystem: "Windows 10", Browser: "Chrome 120.0.0"}
	pythonDevice = DeviceDetail{Browser: "Python Requests 2.31"}
	sprayTarget  = &appPair{client: appAADPowerShell, resource: resAAD, native: true}
	legacyTarget = &appPair{client: resExchange, resource: resExchange, native: true}
)

// The web applications the DisabledAccounts and DistributedCracking attackers
// try their passwords on.
var (
	disabledTargets = []*appPair{sessOfficeHome, sessOutlookWeb, sessTeamsWeb, sessSharePoint, sessPortal}
	crackTargets    = []*appPair{sessOfficeHome, sessOutlookWeb, sessPortal, sessTeamsWeb}
)

// ghostNames are the made-up accounts legacy-protocol attackers try.
var ghostNames = []string{"admin", "info", "test", "scanner", "office"}

// legacyClients are the protocols of the legacy-authentication attempts.
var (
	legacyClients = []string{clientIMAP, clientSMTP, clientPOP, clientOther}
	legacyWeights = []float64{45, 30, 20, 5}
)

func (t *Tenant) passwordSpray(r *rng, start int64) []incidentEvent {
	net := attackNet(r, farCities[r.intn(len(farCities))])
	victims := pickMembers(r, t.pop.members, 25+r.intn(16))
	step := (8*minute + r.span(0, 6*minute)) / int64(len(victims))
	evs := make([]incidentEvent, len(victims))
	at := start
	for i, u := range victims {
		rec := t.pop.attackRecord(r, u.deskBrowser, sprayDevice, uaSprayTool, clientModern, sprayTarget, net, st50126)
		evs[i] = incidentEvent{at: at, rec: rec, corr: r.uuid()}
		at += r.span(step/2, step)
	}
	return evs
}

func (t *Tenant) bruteForce(r *rng, start int64) []incidentEvent {
	net := attackNet(r, farCities[r.intn(len(farCities))])
	victim := t.pop.members[r.intn(len(t.pop.members))]
	fails, locks := 10+r.intn(5), 3+r.intn(3)
	evs := make([]incidentEvent, 0, fails+locks)
	at := start
	for i := range fails + locks {
		st, gap := st50126, r.span(15*second, 45*second)
		if i >= fails {
			st, gap = st50053, r.span(20*second, 60*second)
		}
		rec := t.pop.attackRecord(r, victim.deskBrowser, pythonDevice, uaPython, clientModern, sessOfficeHome, net, st)
		evs = append(evs, incidentEvent{at: at, rec: rec, corr: r.uuid()})
		at += gap
	}
	return evs
}

func (t *Tenant) legacyAuth(r *rng, start int64) []incidentEvent {
	nets := make([]*netContext, 2+r.intn(2))
	for i := range nets {
		nets[i] = attackNet(r, farCities[r.intn(len(farCities))])
	}
	victims := pickMembers(r, t.pop.members, 8+r.intn(7))
	n := 25 + r.intn(16)
	step := (30*minute + r.span(0, 25*minute)) / int64(n)
	evs := make([]incidentEvent, n)
	for i := range evs {
		at := start + int64(i)*step
		if i > 0 {
			at += r.span(0, step/2)
		}
		ident, st := t.legacyVictim(r, victims)
		client := legacyClients[r.pick(legacyWeights)]
		rec := t.pop.attackRecord(r, ident, DeviceDetail{}, uaLegacyROPC, client, legacyTarget, nets[r.intn(len(nets))], st)
		rec.AuthenticationProtocol = "ropc"
		if st == st53003 {
			rec.AppliedConditionalAccess = t.pop.ca.legacy
		}
		evs[i] = incidentEvent{at: at, rec: rec, corr: r.uuid()}
	}
	// One password works: a member excluded from the legacy-authentication
	// block (a mailbox an old scanner still reads over IMAP) signs in.
	excluded := t.pop.members[r.intn(len(t.pop.members))]
	for try := 0; try < 8 && slices.Contains(victims, excluded); try++ {
		excluded = t.pop.members[r.intn(len(t.pop.members))]
	}
	rec := t.pop.attackRecord(r, excluded.deskBrowser, DeviceDetail{}, uaLegacyROPC, clientIMAP, legacyTarget, nets[r.intn(len(nets))], stSuccess)
	rec.AuthenticationProtocol = "ropc"
	passwordOnly(rec, t.pop.ca.none)
	return append(evs, incidentEvent{at: evs[n-1].at + r.span(2*minute, 4*minute), rec: rec, corr: r.uuid()})
}

// legacyVictim picks who a legacy attempt targets: a made-up name (50034) or
// a member, whose wrong password fails (50126) and right one is blocked by
// Conditional Access (53003).
func (t *Tenant) legacyVictim(r *rng, victims []*user) (*SignIn, *Status) {
	if r.chance(0.15) {
		rec := &SignIn{UserPrincipalName: ghostNames[r.intn(len(ghostNames))] + "@" + tenantDomain}
		constantFields(rec, t.pop.tenantID)
		rec.ClientCredentialType = "none"
		rec.AppliedConditionalAccess = t.pop.ca.none
		return rec, st50034
	}
	u := victims[r.intn(len(victims))]
	if r.chance(0.7) {
		return u.deskBrowser, st50126
	}
	return u.deskBrowser, st53003
}

func (t *Tenant) impossibleTravel(r *rng, start int64) []incidentEvent {
	victim := t.pop.members[r.intn(len(t.pop.members))]
	home := t.pop.interactiveRecord(r, victim.deskBrowser, sessOfficeHome, victim.homeNet, stSuccess, false)
	far := farFrom(r, victim.home, 6000)
	rec := t.travelRecord(r, victim, far)
	evs := []incidentEvent{
		{at: start, rec: home, corr: r.uuid()},
		{at: start + r.span(20*minute, 50*minute), rec: rec, corr: r.uuid()},
	}
	// The attacker's VPN changes exits: a third country minutes later.
	first := r.intn(len(farCities))
	next := far
	for i := range farCities {
		if c := farCities[(first+i)%len(farCities)]; c.country != far.country {
			next = c
			break
		}
	}
	evs = append(evs, incidentEvent{at: evs[1].at + r.span(3*minute, 10*minute), rec: t.travelRecord(r, victim, next), corr: r.uuid()})
	// Drawn last, so that the revision moved none of the draws before it.
	rec.Revision = remediatedAfter(time.Duration(r.span(2*hourTk, 6*hourTk)) * tick)
	return evs
}

// remediatedAfter is the revision of a sign-in whose user performed a
// secured password reset (self-service, after MFA) some time after it:
// Identity Protection remediates the risk.
func remediatedAfter(d time.Duration) *Revision {
	return &Revision{After: d, RiskState: "remediated", RiskDetail: "userPerformedSecuredPasswordReset"}
}

// travelRecord is the impossible traveller's session used from city c: a
// success whose MFA was satisfied by the claim in a stolen token, rated
// medium risk (unlikelyTravel) and left at risk.
func (t *Tenant) travelRecord(r *rng, victim *user, c *city) *SignIn {
	rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, sessOfficeHome, attackNet(r, c), stSuccess)
	rec.Status = *stSuccessSSO
	rec.AppliedConditionalAccess = t.pop.ca.mfa
	rec.ConditionalAccessStatus = "success"
	rec.AuthenticationRequirement = multiFactor
	rec.AuthenticationDetails = steps(stepClaim)
	setRisk(rec, "medium")
	rec.RiskEventTypes, rec.RiskEventTypesV2 = unlikelyTravel, unlikelyTravel
	return rec
}

var (
	unlikelyTravel = []string{"unlikelyTravel"}
	anonymousLogin = []string{"anonymizedIPAddress", "unfamiliarFeatures"}
)

// highRiskSignIn is a member's password used from an anonymizing address:
// a success, with a password alone (the address is outside the trusted
// networks, yet the attacker's client satisfies no MFA prompt: a legacy
// exclusion), rated high and left at risk.
func (t *Tenant) highRiskSignIn(r *rng, start int64) []incidentEvent {
	victim := t.pop.members[r.intn(len(t.pop.members))]
	rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, sessOfficeHome,
		attackNet(r, farCities[r.intn(len(farCities))]), stSuccess)
	passwordOnly(rec, t.pop.ca.none)
	setRisk(rec, "high")
	rec.RiskEventTypes, rec.RiskEventTypesV2 = anonymousLogin, anonymousLogin
	return []incidentEvent{{at: start, rec: rec, corr: r.uuid()}}
}

// passwordOnly makes a success one that took a password alone: no
// Conditional Access policy applied (the account is excluded), no MFA.
func passwordOnly(rec *SignIn, none []AppliedCAPolicy) {
	rec.Status = *stSuccess
	rec.AuthenticationRequirement = singleFactor
	rec.ConditionalAccessStatus = "notApplied"
	rec.AppliedConditionalAccess = none
	rec.AuthenticationDetails = steps(stepPassword)
	rec.MfaDetail = nil
}

// disabledAccounts is a credential list worked through from one address: the
// disabled accounts of former employees, each on several applications (50057),
// then a member whose password is on the list too, who approves the MFA push.
func (t *Tenant) disabledAccounts(r *rng, start int64) []incidentEvent {
	net := attackNet(r, farCities[r.intn(len(farCities))])
	leavers := 3 + r.intn(2)
	taken := map[string]bool{}
	var evs []incidentEvent
	at := start
	for range leavers {
		ident := t.leaver(r, taken)
		for _, pair := range pickDistinct(r, disabledTargets, 3+r.intn(2)) {
			rec := t.pop.attackRecord(r, ident, sprayDevice, uaSprayTool, clientBrowser, pair, net, st50057)
			evs = append(evs, incidentEvent{at: at, rec: rec, corr: r.uuid()})
			at += r.span(20*second, 60*second)
		}
	}
	victim := t.pop.members[r.intn(len(t.pop.members))]
	rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, sessOfficeHome, net, stSuccess)
	rec.AuthenticationDetails = steps(stepPassword, stepMFA) // the member approved a push
	rec.MfaDetail = mfaOptions[0].detail
	setRisk(rec, "medium")
	rec.RiskEventTypes, rec.RiskEventTypesV2 = unfamiliarFeatures, unfamiliarFeatures
	return append(evs, incidentEvent{at: at + r.span(2*minute, 5*minute), rec: rec, corr: r.uuid()})
}

// leaver makes the identity of a former employee whose account is disabled
// but not deleted yet: a member who signs in nowhere else, with a user
// principal name no member has (nor another leaver in taken).
func (t *Tenant) leaver(r *rng, taken map[string]bool) *SignIn {
	first, last := firstNames[r.intn(len(firstNames))], lastNames[r.intn(len(lastNames))]
	base := strings.ToLower(first + "." + last)
	upn := base + "@" + tenantDomain
	for k := uint64(2); taken[upn] || t.pop.hasUPN(upn); k++ {
		upn = base + string(appendUint(nil, k)) + "@" + tenantDomain
	}
	taken[upn] = true
	rec := &SignIn{UserDisplayName: first + " " + last, UserPrincipalName: upn, UserID: r.uuid().String(), UserType: "member"}
	constantFields(rec, t.pop.tenantID)
	rec.ClientCredentialType = "none"
	rec.AppliedConditionalAccess = t.pop.ca.none
	rec.IsThroughGlobalSecureAccess = notThroughGSA
	return rec
}

// hasUPN reports whether a user of the tenant has the user principal name.
func (p *population) hasUPN(upn string) bool {
	return slices.ContainsFunc(p.users, func(u *user) bool { return u.upn == upn })
}

// MFA denied by the user: the authentication step of a declined push and of
// one reported as fraud.
var (
	stepPushDeclined = AuthDetail{AuthenticationMethod: "Mobile app notification",
		AuthenticationStepResultDetail: "MFA denied; user declined the authentication", AuthenticationStepRequirement: "Multi-factor authentication"}
	stepPushFraud = AuthDetail{AuthenticationMethod: "Mobile app notification",
		AuthenticationStepResultDetail: "MFA denied; Phone App Reported Fraud", AuthenticationStepRequirement: "Multi-factor authentication"}
	stepPushNoResponse = AuthDetail{AuthenticationMethod: "Mobile app notification",
		AuthenticationStepResultDetail: "MFA denied; user did not respond to mobile app notification", AuthenticationStepRequirement: "Multi-factor authentication"}
	unfamiliarFeatures = []string{"unfamiliarFeatures"}
)

// mfaDenied is an attacker with a member's password pushing MFA prompts: the
// member, who uses app notifications, declines them and reports the last.
func (t *Tenant) mfaDenied(r *rng, start int64) []incidentEvent {
	net := attackNet(r, farCities[r.intn(len(farCities))])
	victim := t.pushVictim(r)
	n := 3 + r.intn(3)
	evs := make([]incidentEvent, n)
	at := start
	for i := range evs {
		st, step := st500121Declined, stepPushDeclined
		if i == n-1 {
			st, step = st500121Fraud, stepPushFraud
		}
		evs[i] = incidentEvent{at: at, rec: t.deniedPush(r, victim, net, st, step), corr: r.uuid()}
		at += r.span(2*minute, 5*minute)
	}
	return evs
}

// pushVictim picks a member who approves app notifications (pushUser), or
// after 16 tries any member.
func (t *Tenant) pushVictim(r *rng) *user {
	victim := t.pop.members[r.intn(len(t.pop.members))]
	for try := 0; try < 16 && !pushUser(victim); try++ {
		victim = t.pop.members[r.intn(len(t.pop.members))]
	}
	return victim
}

// deniedPush is an attacker's sign-in as victim from net, password right,
// its MFA push refused (status st, authentication step step).
func (t *Tenant) deniedPush(r *rng, victim *user, net *netContext, st *Status, step AuthDetail) *SignIn {
	rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, sessOfficeHome, net, st)
	rec.AuthenticationRequirement = multiFactor
	rec.ConditionalAccessStatus = "failure"
	rec.AppliedConditionalAccess = t.pop.ca.mfaDeny
	rec.AuthenticationDetails = steps(stepPassword, step)
	rec.MfaDetail = mfaOptions[0].detail
	return rec
}

// mfaFatigue is MFA push bombing: an attacker with a member's password sends
// push after push within minutes; the member, who uses app notifications,
// declines some and lets the others time out (500121), then approves one to
// make them stop, and the attacker is in.
func (t *Tenant) mfaFatigue(r *rng, start int64) []incidentEvent {
	net := attackNet(r, farCities[r.intn(len(farCities))])
	victim := t.pushVictim(r)
	evs := make([]incidentEvent, 4+r.intn(5))
	at := start
	for i := range evs {
		st, step := st500121Declined, stepPushDeclined
		if r.chance(0.5) {
			st, step = st500121NoResponse, stepPushNoResponse
		}
		evs[i] = incidentEvent{at: at, rec: t.deniedPush(r, victim, net, st, step), corr: r.uuid()}
		at += r.span(30*second, 90*second)
	}
	rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, sessOfficeHome, net, stSuccess)
	rec.AuthenticationDetails = steps(stepPassword, stepMFA) // the push the member gave in to
	rec.MfaDetail = mfaOptions[0].detail
	setRisk(rec, "medium")
	rec.RiskEventTypes, rec.RiskEventTypesV2 = unfamiliarFeatures, unfamiliarFeatures
	return append(evs, incidentEvent{at: at, rec: rec, corr: r.uuid()})
}

// pushUser reports whether a member signs in with a password and approves
// app notifications.
func pushUser(u *user) bool {
	a := u.deskBrowser.auth
	return a != nil && a.passwordless == nil && a.mfa == &mfaOptions[0]
}

// distributedCracking is one member's password guessed from many addresses,
// slowly, rotating over the web applications.
func (t *Tenant) distributedCracking(r *rng, start int64) []incidentEvent {
	victim := t.pop.members[r.intn(len(t.pop.members))]
	nets := distinctAttackNets(r, 6+r.intn(4))
	evs := make([]incidentEvent, 32+r.intn(9))
	at := start
	for i := range evs {
		st := st50126
		if i >= 10 && r.chance(0.7) {
			st = st50053
		}
		pair := crackTargets[i%len(crackTargets)]
		rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, pair, nets[r.intn(len(nets))], st)
		evs[i] = incidentEvent{at: at, rec: rec, corr: r.uuid()}
		at += r.span(50*second, 85*second)
	}
	return evs
}

// distinctAttackNets draws n attackers' addresses, no two the same, in the
// far cities in turn (so n of 3 or more cover three countries or more).
func distinctAttackNets(r *rng, n int) []*netContext {
	nets := make([]*netContext, 0, n)
	first := r.intn(len(farCities))
	for len(nets) < n {
		c := attackNet(r, farCities[(first+len(nets))%len(farCities)])
		if !slices.ContainsFunc(nets, func(o *netContext) bool { return o.ip == c.ip }) {
			nets = append(nets, c)
		}
	}
	return nets
}

// attackRecord builds an attacker's interactive sign-in as a user: the user's
// identity with the attacker's device, client, address and outcome.
func (p *population) attackRecord(r *rng, ident *SignIn, dev DeviceDetail, ua, client string, pair *appPair, net *netContext, st *Status) *SignIn {
	rec := *ident
	rec.DeviceDetail, rec.UserAgent, rec.ClientAppUsed = dev, ua, client
	rec.IsInteractive = true
	rec.SignInEventTypes = evInteractive
	setApp(&rec, pair)
	setNet(&rec, net)
	rec.ProcessingTimeInMilliseconds = 60 + r.intn(400)
	p.applyOutcome(&rec, st, false, false)
	return &rec
}

// pickMembers draws n distinct members (all of them if there are fewer).
func pickMembers(r *rng, members []*user, n int) []*user { return pickDistinct(r, members, n) }

// pickDistinct draws n distinct elements (all of them if there are fewer).
func pickDistinct[T any](r *rng, from []T, n int) []T {
	pool := append([]T(nil), from...)
	n = min(n, len(pool))
	for i := range n {
		k := i + r.intn(len(pool)-i)
		pool[i], pool[k] = pool[k], pool[i]
	}
	return pool[:n]
}

// farFrom picks a far city at least minKm from c, starting from a random one;
// Sydney is that far from every home city, so the search always succeeds.
func farFrom(r *rng, c *city, minKm float64) *city {
	first := r.intn(len(farCities))
	for i := range farCities {
		f := farCities[(first+i)%len(farCities)]
		if distanceKm(c, f) >= minKm {
			return f
		}
	}
	return farCities[len(farCities)-1]
}

// distanceKm is the great-circle distance between two cities.
func distanceKm(a, b *city) float64 {
	const earthKm = 6371
	rad := math.Pi / 180
	dLat, dLon := (b.lat-a.lat)*rad, (b.lon-a.lon)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthKm * math.Asin(math.Sqrt(h))
}
