package synth

import (
	"slices"
	"time"
)

// IncidentKind names an attack the generator injects into the interactive log.
type IncidentKind string

// The injected incidents. Each happens once a week, in the week starting
// Monday 00:00 UTC, at an offset fixed by the seed alone (so all sizes of a
// seed share the schedule): the first five kinds fall on the five weekdays
// (Monday to Friday), one each; the later four on any weekday. Each starts
// between 01:00 and 22:00 UTC and is over within an hour. What each looks like:
//
//   - PasswordSpray: one attacker address tries one password against 25-40
//     distinct members within 8-14 minutes, every attempt failing with 50126
//     (client "Azure Active Directory PowerShell", as spray tools use).
//   - BruteForce: one address tries one member 10-14 times with 50126, then
//     gets 50053 (account locked) 3-5 times; about a quarter of an hour.
//   - LegacyAuth: two or three addresses make 25-40 IMAP4, POP3,
//     Authenticated SMTP and "Other clients" attempts (user agent BAV2ROPC)
//     over 30-55 minutes: 50126, 53003 (blocked by the legacy-authentication
//     policy) and 50034 for made-up names such as admin@. A few minutes after
//     the last, one of the addresses signs in successfully over IMAP4 as
//     another member, one excluded from the legacy-authentication block: the
//     only interactive legacy-authentication success of the week.
//   - ImpossibleTravel: a member signs in from home, then 20-50 minutes later
//     successfully from a city at least 6,000 km away (risk "medium",
//     event unlikelyTravel, at risk), then 3-10 minutes later from a far
//     city in yet another country (the attacker's VPN changed exits): three
//     countries within the hour. Two to six hours after the far sign-in the
//     member performs a secured password reset, and Identity Protection
//     remediates it: it is the one sign-in with a Revision (riskState
//     "remediated", riskDetail "userPerformedSecuredPasswordReset"), which
//     Graph serves from then on and the workspace re-emits hours after the
//     sign-in. The third sign-in stays at risk.
//   - HighRiskSignIn: a member signs in successfully with a password alone
//     from an anonymizing address far away: Identity Protection rates it high
//     (anonymizedIPAddress, unfamiliarFeatures) and it stays at risk — no
//     policy remediated it. The ordinary stream never leaves a high-risk
//     sign-in at risk, so this is the one the risky sign-in rule fires on.
//   - DisabledAccounts: one address works through a list of old credentials:
//     three or four disabled accounts of former employees (identities that
//     sign in nowhere else), each tried against three or four applications
//     (50057, user account disabled), 20-60 seconds apart; a few minutes
//     later it signs in successfully, with MFA, as a member whose password
//     was on the list.
//   - MFADenied: an attacker who has a member's password (a far address,
//     browser) triggers three to five MFA push notifications 2-5 minutes
//     apart; the member declines each (500121, "MFA denied; user declined
//     the authentication") and reports the last as fraud ("MFA denied; Phone
//     App Reported Fraud").
//   - DistributedCracking: 32-40 password attempts against one member from
//     six to nine addresses in far countries, rotating over four web
//     applications, 50-85 seconds apart: 50126, and after the tenth mostly
//     50053 (smart lockout) — slow and spread enough that no address and no
//     application sees a burst.
//   - MFAFatigue: MFA push bombing. An attacker who has a member's password
//     (a far address, browser, Office Home) triggers four to eight MFA push
//     notifications 30-90 seconds apart; the member, who uses app
//     notifications, declines them or lets them time out (500121, "MFA
//     denied; user declined the authentication" or "... user did not respond
//     to mobile app notification"), then approves the next one: a success
//     with MFA from the same address (risk "medium", unfamiliarFeatures),
//     the only success after a 500121 of the week. Its denials are 500121
//     too, so the MFA-denied rule fires on it as well as on MFADenied.
//
// Attack addresses are from the documentation blocks 203.0.113.0/24 and
// 198.51.100.0/24. Tenant.Incidents lists them; NewQuiet makes a tenant
// without them, for showing that alert rules stay silent. The ordinary
// stream has none of their signatures: no interactive legacy-authentication
// success, no 500121 (so no success after one), no user signing in from three countries within hours;
// its rare 50057s and wrong passwords are single attempts of working members
// (TestOrdinaryStreamHasNoAttackSignatures).
const (
	PasswordSpray    IncidentKind = "passwordSpray"
	BruteForce       IncidentKind = "bruteForce"
	LegacyAuth       IncidentKind = "legacyAuth"
	ImpossibleTravel IncidentKind = "impossibleTravel"
	HighRiskSignIn   IncidentKind = "highRiskSignIn"

	DisabledAccounts    IncidentKind = "disabledAccounts"
	MFADenied           IncidentKind = "mfaDenied"
	DistributedCracking IncidentKind = "distributedCracking"
	MFAFatigue          IncidentKind = "mfaFatigue"
)

// incidentKinds is the order of the schedule's offsets. Kinds added later
// come after the first five (weekdayKinds), so that adding them moved none of
// the first five's offsets, sign-ins or ids.
var incidentKinds = [...]IncidentKind{PasswordSpray, BruteForce, LegacyAuth, ImpossibleTravel, HighRiskSignIn,
	DisabledAccounts, MFADenied, DistributedCracking, MFAFatigue}

// weekdayKinds is how many of incidentKinds get a weekday of their own.
const weekdayKinds = 5

// incidentSpan bounds how long after its start an incident's last sign-in comes.
const incidentSpan = hourTk

// Incident describes one injected attack: its first and last sign-in and who
// and what was involved, in order of first appearance.
type Incident struct {
	Kind               IncidentKind
	Start, End         time.Time
	IPAddresses        []string
	UserPrincipalNames []string
	SignIns            int
}

// incidentEvent is one sign-in of an incident, at an absolute tick.
type incidentEvent struct {
	at   int64
	rec  *SignIn
	corr uuid
}

// scheduleOf places the incidents in the week: the first five a weekday each
// (a shuffle of Monday to Friday), the later ones any weekday; each an hour
// from 01 to 21 and any minute. It depends on the seed only. The later kinds'
// draws come after the first five's, which therefore kept their offsets.
func scheduleOf(seed int64) [len(incidentKinds)]int64 {
	r := newRng(derive(rootKey(seed, ""), streamSchedule))
	days := []int64{0, 1, 2, 3, 4}
	for i := len(days) - 1; i > 0; i-- {
		k := r.intn(i + 1)
		days[i], days[k] = days[k], days[i]
	}
	var offsets [len(incidentKinds)]int64
	for i := range weekdayKinds {
		offsets[i] = days[i]*dayTk + int64(1+r.intn(21))*hourTk + r.span(0, hourTk)
	}
	for i := weekdayKinds; i < len(offsets); i++ {
		offsets[i] = int64(r.intn(5))*dayTk + int64(1+r.intn(21))*hourTk + r.span(0, hourTk)
	}
	return offsets
}

// weekStart returns the tick of the Monday 00:00 UTC at or before k.
func weekStart(k int64) int64 {
	day := floorDiv(k, dayTk)
	return (day - weekday(day)) * dayTk
}

// Incidents returns the injected incidents that start in [from, to), oldest
// first; none for a quiet tenant.
func (t *Tenant) Incidents(from, to time.Time) []Incident {
	if t.quiet {
		return nil
	}
	lo, hi := tickCeil(from), tickCeil(to)
	var out []Incident
	for ws := weekStart(lo); ws < hi; ws += weekTk {
		for i, kind := range incidentKinds {
			start := ws + t.schedule[i]
			if start < lo || start >= hi {
				continue
			}
			out = append(out, describe(kind, t.incidentEvents(i, ws)))
		}
	}
	slices.SortFunc(out, func(a, b Incident) int { return a.Start.Compare(b.Start) })
	return out
}

func describe(kind IncidentKind, evs []incidentEvent) Incident {
	inc := Incident{Kind: kind, SignIns: len(evs), Start: timeOf(evs[0].at), End: timeOf(evs[len(evs)-1].at)}
	for _, e := range evs {
		if !slices.Contains(inc.IPAddresses, e.rec.IPAddress) {
			inc.IPAddresses = append(inc.IPAddresses, e.rec.IPAddress)
		}
		if !slices.Contains(inc.UserPrincipalNames, e.rec.UserPrincipalName) {
			inc.UserPrincipalNames = append(inc.UserPrincipalNames, e.rec.UserPrincipalName)
		}
	}
	return inc
}

// incidentDrafts returns the drafts of the incidents' sign-ins in hour h.
func (t *Tenant) incidentDrafts(h int64) []draft {
	if t.quiet {
		return nil
	}
	var ds []draft
	for ws := weekStart(h) - weekTk; ws <= h; ws += weekTk {
		for i := range incidentKinds {
			start := ws + t.schedule[i]
			if start >= h+hourTk || start+incidentSpan < h {
				continue
			}
			for _, e := range t.incidentEvents(i, ws) {
				ds = appendEvent(ds, e.rec, e.corr, e.at, h)
			}
		}
	}
	return ds
}

// incidentEvents builds incident i of the week starting at ws, in time order.
// It depends on the population, so on the size too.
func (t *Tenant) incidentEvents(i int, ws int64) []incidentEvent {
	r := newRng(derive(t.key, streamIncident, uint64(i), uint64(ws))) // #nosec G115 -- a key's bit pattern
	start := ws + t.schedule[i]
	switch incidentKinds[i] {
	case PasswordSpray:
		return t.passwordSpray(&r, start)
	case BruteForce:
		return t.bruteForce(&r, start)
	case LegacyAuth:
		return t.legacyAuth(&r, start)
	case ImpossibleTravel:
		return t.impossibleTravel(&r, start)
	case HighRiskSignIn:
		return t.highRiskSignIn(&r, start)
	case DisabledAccounts:
		return t.disabledAccounts(&r, start)
	case MFADenied:
		return t.mfaDenied(&r, start)
	case DistributedCracking:
		return t.distributedCracking(&r, start)
	default:
		return t.mfaFatigue(&r, start)
	}
}
