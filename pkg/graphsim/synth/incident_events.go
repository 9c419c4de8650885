package synth

import "math"

// Attackers' devices are unknown to the directory; tools report little or nothing.
var (
	sprayDevice  = DeviceDetail{OperatingSystem: "Windows 10", Browser: "Chrome 120.0.0"}
	pythonDevice = DeviceDetail{Browser: "Python Requests 2.31"}
	sprayTarget  = &appPair{client: appAADPowerShell, resource: resAAD, native: true}
	legacyTarget = &appPair{client: resExchange, resource: resExchange, native: true}
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
	return evs
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
	rec := t.pop.attackRecord(r, victim.deskBrowser, sprayDevice, uaSprayTool, clientBrowser, sessOfficeHome, attackNet(r, far), stSuccess)
	rec.Status = *stSuccessSSO
	rec.AppliedConditionalAccess = t.pop.ca.mfa
	rec.ConditionalAccessStatus = "success"
	rec.AuthenticationRequirement = multiFactor
	rec.AuthenticationDetails = steps(stepClaim)
	setRisk(rec, "medium")
	rec.RiskEventTypes, rec.RiskEventTypesV2 = unlikelyTravel, unlikelyTravel
	return []incidentEvent{
		{at: start, rec: home, corr: r.uuid()},
		{at: start + r.span(20*minute, 50*minute), rec: rec, corr: r.uuid()},
	}
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
	rec.Status = *stSuccess
	rec.AuthenticationRequirement = singleFactor
	rec.ConditionalAccessStatus = "notApplied"
	rec.AppliedConditionalAccess = t.pop.ca.none
	rec.AuthenticationDetails = steps(stepPassword)
	rec.MfaDetail = nil
	setRisk(rec, "high")
	rec.RiskEventTypes, rec.RiskEventTypesV2 = anonymousLogin, anonymousLogin
	return []incidentEvent{{at: start, rec: rec, corr: r.uuid()}}
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
func pickMembers(r *rng, members []*user, n int) []*user {
	pool := append([]*user(nil), members...)
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
