package synth

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// Every week has the nine incidents at the same offsets: the first five on
// the five weekdays, the later four on weekdays too; the schedule depends on
// the seed, not the size.
func TestIncidentSchedule(t *testing.T) {
	small, medium := mustNew(t, 7, "small"), mustNew(t, 7, "medium")
	var offsets []time.Duration
	for w := range 3 {
		from := monday.AddDate(0, 0, 7*w)
		incs := small.Incidents(from, from.AddDate(0, 0, 7))
		if len(incs) != len(incidentKinds) {
			t.Fatalf("week %d: unexpected number of incidents; got %d; want %d", w, len(incs), len(incidentKinds))
		}
		var kinds []IncidentKind
		days := map[time.Weekday]bool{}
		for i, inc := range incs {
			kinds = append(kinds, inc.Kind)
			if slices.Index(incidentKinds[:], inc.Kind) < weekdayKinds {
				days[inc.Start.Weekday()] = true
			}
			off := inc.Start.Sub(from)
			if w == 0 {
				offsets = append(offsets, off)
			} else if off != offsets[i] {
				t.Fatalf("week %d: %s moved; got offset %s; want %s", w, inc.Kind, off, offsets[i])
			}
			if h := inc.Start.Hour(); h < 1 || h > 21 || inc.End.Sub(inc.Start) > time.Hour ||
				inc.Start.Weekday() < time.Monday || inc.Start.Weekday() > time.Friday {
				t.Fatalf("week %d: %s from %s to %s is outside its window", w, inc.Kind, inc.Start, inc.End)
			}
		}
		slices.Sort(kinds)
		want := []IncidentKind{BruteForce, DisabledAccounts, DistributedCracking, HighRiskSignIn, ImpossibleTravel, LegacyAuth, MFADenied, MFAFatigue, PasswordSpray}
		if !slices.Equal(kinds, want) {
			t.Fatalf("week %d: unexpected kinds; got %q; want %q", w, kinds, want)
		}
		if len(days) != weekdayKinds {
			t.Fatalf("week %d: the first five incidents share weekdays: %v", w, days)
		}
		for i, inc := range medium.Incidents(from, from.AddDate(0, 0, 7)) {
			if !inc.Start.Equal(incs[i].Start) {
				t.Fatalf("week %d: medium %s starts at %s; small at %s", w, inc.Kind, inc.Start, incs[i].Start)
			}
		}
	}
}

// The first five kinds kept the offsets they had before the later ones were
// added (seed 7's, as the golden files and the end-to-end tests know them).
func TestIncidentScheduleKeptTheFirstFive(t *testing.T) {
	want := []string{"2026-01-14T04:25:37Z", "2026-01-15T21:43:24Z", "2026-01-16T11:14:22Z", "2026-01-12T16:20:00Z", "2026-01-13T06:56:41Z"}
	got := map[IncidentKind]string{}
	for _, inc := range mustNew(t, 7, "small").Incidents(monday, monday.AddDate(0, 0, 7)) {
		got[inc.Kind] = inc.Start.Truncate(time.Second).Format(time.RFC3339)
	}
	for i, kind := range []IncidentKind{BruteForce, PasswordSpray, HighRiskSignIn, LegacyAuth, ImpossibleTravel} {
		if got[kind] != want[i] {
			t.Errorf("%s starts at %s; want %s", kind, got[kind], want[i])
		}
	}
}

// findIncident returns the first incident of a kind in the week of monday.
func findIncident(t *testing.T, tn *Tenant, kind IncidentKind) Incident {
	t.Helper()
	for _, inc := range tn.Incidents(monday, monday.AddDate(0, 0, 7)) {
		if inc.Kind == kind {
			return inc
		}
	}
	t.Fatalf("no %s incident in the week of %s", kind, monday)
	return Incident{}
}

// around returns the interactive sign-ins from an hour before an incident to
// an hour after it, oldest first, from the given addresses only.
func around(tn *Tenant, inc Incident, ips []string) []SignIn {
	var out []SignIn
	for _, r := range tn.Range(signin.Interactive, inc.Start.Add(-time.Hour), inc.End.Add(time.Hour)) {
		if slices.Contains(ips, r.IPAddress) {
			out = append(out, r)
		}
	}
	slices.Reverse(out)
	return out
}

func createdAt(t *testing.T, r SignIn) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, r.CreatedDateTime)
	if err != nil {
		t.Fatalf("bad createdDateTime: %v", err)
	}
	return at
}

func TestPasswordSpray(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, PasswordSpray)
	if len(inc.IPAddresses) != 1 || len(inc.UserPrincipalNames) < 25 || inc.SignIns != len(inc.UserPrincipalNames) {
		t.Fatalf("unexpected spray: %d addresses, %d users, %d sign-ins", len(inc.IPAddresses), len(inc.UserPrincipalNames), inc.SignIns)
	}
	recs := around(tn, inc, inc.IPAddresses)
	users := map[string]bool{}
	for _, r := range recs {
		if r.Status.ErrorCode != 50126 || r.ClientAppUsed != "Mobile Apps and Desktop clients" {
			t.Fatalf("unexpected spray attempt: errorCode %d, client %q", r.Status.ErrorCode, r.ClientAppUsed)
		}
		users[r.UserPrincipalName] = true
	}
	if len(recs) != inc.SignIns || len(users) != len(inc.UserPrincipalNames) {
		t.Fatalf("unexpected spray in the log; got %d sign-ins, %d users; want %d, %d", len(recs), len(users), inc.SignIns, len(inc.UserPrincipalNames))
	}
	if spread := createdAt(t, recs[len(recs)-1]).Sub(createdAt(t, recs[0])); spread > 15*time.Minute {
		t.Fatalf("spray spread over %s; want at most 15 minutes", spread)
	}
}

func TestBruteForce(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, BruteForce)
	recs := around(tn, inc, inc.IPAddresses)
	if len(recs) != inc.SignIns || len(inc.UserPrincipalNames) != 1 {
		t.Fatalf("unexpected brute force; got %d sign-ins for %d users; want %d for 1", len(recs), len(inc.UserPrincipalNames), inc.SignIns)
	}
	var codes []int // the distinct codes in order of the attempts
	fails := 0
	for _, r := range recs {
		if len(codes) == 0 || codes[len(codes)-1] != r.Status.ErrorCode {
			codes = append(codes, r.Status.ErrorCode)
		}
		if r.Status.ErrorCode == 50126 {
			fails++
		}
	}
	if !slices.Equal(codes, []int{50126, 50053}) || fails < 10 || len(recs)-fails < 3 {
		t.Fatalf("unexpected attempt codes in order; got %v with %d failures of %d; want 10+ 50126 then 3+ 50053", codes, fails, len(recs))
	}
}

func TestLegacyAuthAttempts(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, LegacyAuth)
	recs := around(tn, inc, inc.IPAddresses)
	if len(recs) != inc.SignIns {
		t.Fatalf("unexpected legacy attempts in the log; got %d; want %d", len(recs), inc.SignIns)
	}
	clients := map[string]int{}
	attempted := map[string]bool{}
	for i, r := range recs {
		clients[r.ClientAppUsed]++
		last := i == len(recs)-1
		switch {
		case r.UserAgent != "BAV2ROPC" || r.AuthenticationProtocol != "ropc":
			t.Fatalf("unexpected user agent %q, protocol %q", r.UserAgent, r.AuthenticationProtocol)
		case last && (r.Status.ErrorCode != 0 || r.ClientAppUsed != "IMAP4" || r.AuthenticationRequirement != "singleFactorAuthentication" ||
			r.ConditionalAccessStatus != "notApplied" || attempted[r.UserPrincipalName]):
			t.Fatalf("the last attempt is not an IMAP4 success with a password alone for a member not attempted before: %d %q %q %q %s",
				r.Status.ErrorCode, r.ClientAppUsed, r.AuthenticationRequirement, r.ConditionalAccessStatus, r.UserPrincipalName)
		case last:
		case r.Status.ErrorCode == 53003 && (r.ConditionalAccessStatus != "failure" || r.AppliedConditionalAccess[caLegacy].Result != "failure"):
			t.Fatalf("53003 not blocked by the legacy policy: %q", r.ConditionalAccessStatus)
		case r.Status.ErrorCode == 50034 && (r.UserID != "" || !strings.HasSuffix(r.UserPrincipalName, "@contoso.com")):
			t.Fatalf("unexpected unknown account %q %q", r.UserID, r.UserPrincipalName)
		case r.Status.ErrorCode != 50126 && r.Status.ErrorCode != 53003 && r.Status.ErrorCode != 50034:
			t.Fatalf("unexpected errorCode %d", r.Status.ErrorCode)
		}
		attempted[r.UserPrincipalName] = true
	}
	if clients["IMAP4"] == 0 || clients["POP3"] == 0 || clients["Authenticated SMTP"] == 0 ||
		clients["IMAP4"]+clients["POP3"]+clients["Authenticated SMTP"]+clients["Other clients"] != len(recs) {
		t.Fatalf("unexpected legacy clients: %v", clients)
	}
}

func TestImpossibleTravel(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, ImpossibleTravel)
	recs := around(tn, inc, inc.IPAddresses)
	var trip []SignIn
	for _, r := range recs {
		if r.UserPrincipalName == inc.UserPrincipalNames[0] && !createdAt(t, r).Before(inc.Start) && !createdAt(t, r).After(inc.End) {
			trip = append(trip, r)
		}
	}
	if len(trip) != 3 || len(inc.UserPrincipalNames) != 1 {
		t.Fatalf("unexpected impossible travel; got %d sign-ins of %d users; want 3 of 1", len(trip), len(inc.UserPrincipalNames))
	}
	a, b, c := trip[0], trip[1], trip[2]
	from := &city{lat: *a.Location.GeoCoordinates.Latitude, lon: *a.Location.GeoCoordinates.Longitude}
	to := &city{lat: *b.Location.GeoCoordinates.Latitude, lon: *b.Location.GeoCoordinates.Longitude}
	switch {
	case a.Location.CountryOrRegion == b.Location.CountryOrRegion || c.Location.CountryOrRegion == a.Location.CountryOrRegion ||
		c.Location.CountryOrRegion == b.Location.CountryOrRegion:
		t.Fatalf("sign-ins from %s, %s, %s; want three countries", a.Location.CountryOrRegion, b.Location.CountryOrRegion, c.Location.CountryOrRegion)
	case distanceKm(from, to) < 6000:
		t.Fatalf("only %.0f km apart", distanceKm(from, to))
	case createdAt(t, c).Sub(createdAt(t, a)) > time.Hour:
		t.Fatalf("%s apart; want within an hour", createdAt(t, c).Sub(createdAt(t, a)))
	case a.Status.ErrorCode != 0 || b.Status.ErrorCode != 0 || c.Status.ErrorCode != 0 ||
		b.RiskLevelDuringSignIn != "medium" || c.RiskLevelDuringSignIn != "medium":
		t.Fatalf("unexpected outcomes %d, %d, %d, risk %q, %q", a.Status.ErrorCode, b.Status.ErrorCode, c.Status.ErrorCode,
			b.RiskLevelDuringSignIn, c.RiskLevelDuringSignIn)
	}
	// The far sign-in is at risk until the member's password reset, two to
	// six hours later, remediates it; the third stays at risk.
	rev := b.Revision
	switch {
	case b.RiskState != "atRisk" || c.RiskState != "atRisk" || a.Revision != nil || c.Revision != nil || rev == nil:
		t.Fatalf("risk states %q, %q; revisions %v, %v, %v", b.RiskState, c.RiskState, a.Revision, rev, c.Revision)
	case rev.After < 2*time.Hour || rev.After >= 6*time.Hour || rev.RiskState != "remediated" || rev.RiskDetail != "userPerformedSecuredPasswordReset":
		t.Fatalf("revision %+v", rev)
	}
	revised := b.Revised()
	if revised.Revision != nil || revised.RiskState != "remediated" || revised.RiskDetail != "userPerformedSecuredPasswordReset" ||
		revised.ID != b.ID || revised.RiskLevelAggregated != "medium" || b.RiskState != "atRisk" {
		t.Fatalf("revised %+v of %+v", revised, b)
	}
	// The same seed plans the same revision.
	again := around(mustNew(t, 7, "small"), inc, inc.IPAddresses)
	i := slices.IndexFunc(again, func(r SignIn) bool { return r.ID == b.ID })
	if i < 0 || again[i].Revision == nil || *again[i].Revision != *rev {
		t.Fatalf("revision %+v; a new tenant of the seed has another (found: %v)", rev, i >= 0)
	}
}

// DisabledAccounts: one address, three or four accounts nobody else uses, each
// failing with 50057 on three or more applications, then one success as a
// member of the tenant.
func TestDisabledAccounts(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, DisabledAccounts)
	recs := around(tn, inc, inc.IPAddresses)
	if len(inc.IPAddresses) != 1 || len(recs) != inc.SignIns {
		t.Fatalf("unexpected incident %+v: %d sign-ins in the log", inc, len(recs))
	}
	apps := map[string]map[string]bool{}
	for _, r := range recs[:len(recs)-1] {
		if r.Status.ErrorCode != 50057 || r.UserID == "" || tn.pop.hasUPN(r.UserPrincipalName) {
			t.Fatalf("unexpected attempt: %d by %q (%q)", r.Status.ErrorCode, r.UserPrincipalName, r.UserID)
		}
		if apps[r.UserPrincipalName] == nil {
			apps[r.UserPrincipalName] = map[string]bool{}
		}
		apps[r.UserPrincipalName][r.AppID] = true
	}
	if len(apps) < 3 {
		t.Fatalf("%d disabled accounts tried; want 3 or more", len(apps))
	}
	for upn, a := range apps {
		if len(a) < 3 {
			t.Fatalf("%s tried on %d applications; want 3 or more", upn, len(a))
		}
		for _, lt := range signin.LogTypes {
			for _, r := range tn.Range(lt, monday, monday.AddDate(0, 0, 7)) {
				if r.UserPrincipalName == upn && r.IPAddress != inc.IPAddresses[0] {
					t.Fatalf("the disabled account %s signs in from %s too", upn, r.IPAddress)
				}
			}
		}
	}
	last := recs[len(recs)-1]
	if last.Status.ErrorCode != 0 || !tn.pop.hasUPN(last.UserPrincipalName) || apps[last.UserPrincipalName] != nil {
		t.Fatalf("the last sign-in is %d by %s; want a member's success", last.Status.ErrorCode, last.UserPrincipalName)
	}
}

// MFADenied: three to five 500121 for one member from one address, declined,
// the last reported as fraud.
func TestMFADenied(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, MFADenied)
	recs := around(tn, inc, inc.IPAddresses)
	if len(inc.IPAddresses) != 1 || len(inc.UserPrincipalNames) != 1 || len(recs) != inc.SignIns || len(recs) < 3 || len(recs) > 5 {
		t.Fatalf("unexpected incident %+v: %d sign-ins in the log", inc, len(recs))
	}
	for i, r := range recs {
		want := "MFA denied; user declined the authentication"
		if i == len(recs)-1 {
			want = "MFA denied; Phone App Reported Fraud"
		}
		if r.Status.ErrorCode != 500121 || r.Status.AdditionalDetails == nil || *r.Status.AdditionalDetails != want ||
			len(r.AuthenticationDetails) != 2 || r.AuthenticationDetails[1].AuthenticationStepResultDetail != want ||
			r.AuthenticationDetails[1].Succeeded || r.ConditionalAccessStatus != "failure" {
			t.Fatalf("unexpected attempt %d: %d %v %+v %q", i, r.Status.ErrorCode, r.Status.AdditionalDetails, r.AuthenticationDetails, r.ConditionalAccessStatus)
		}
	}
}

// MFAFatigue: four to eight 500121 for one member (a push user) from one
// address, declined or left to time out, 30-90 seconds apart, then the same
// member's success with MFA from that address; nobody else signs in from it.
func TestMFAFatigue(t *testing.T) {
	for _, seed := range []int64{1, 7, 42} {
		tn := mustNew(t, seed, "small")
		inc := findIncident(t, tn, MFAFatigue)
		recs := around(tn, inc, inc.IPAddresses)
		if len(inc.IPAddresses) != 1 || len(inc.UserPrincipalNames) != 1 || len(recs) != inc.SignIns || len(recs) < 5 || len(recs) > 9 ||
			inc.End.Sub(inc.Start) > 15*time.Minute {
			t.Fatalf("seed %d: unexpected incident %+v: %d sign-ins in the log", seed, inc, len(recs))
		}
		for i, r := range recs[:len(recs)-1] {
			detail := ""
			if r.Status.AdditionalDetails != nil {
				detail = *r.Status.AdditionalDetails
			}
			if r.Status.ErrorCode != 500121 || (detail != "MFA denied; user declined the authentication" && detail != "MFA denied; user did not respond to mobile app notification") ||
				len(r.AuthenticationDetails) != 2 || r.AuthenticationDetails[1].AuthenticationStepResultDetail != detail ||
				r.AuthenticationDetails[1].Succeeded || r.ConditionalAccessStatus != "failure" || r.AuthenticationRequirement != "multiFactorAuthentication" {
				t.Fatalf("seed %d: unexpected push %d: %d %q %+v %q", seed, i, r.Status.ErrorCode, detail, r.AuthenticationDetails, r.ConditionalAccessStatus)
			}
			if gap := createdAt(t, recs[i+1]).Sub(createdAt(t, r)); gap < 30*time.Second || gap > 90*time.Second {
				t.Fatalf("seed %d: %s between push %d and the next; want 30-90 seconds", seed, gap, i)
			}
		}
		last := recs[len(recs)-1]
		if last.Status.ErrorCode != 0 || len(last.AuthenticationDetails) != 2 || !last.AuthenticationDetails[1].Succeeded ||
			last.AuthenticationDetails[1].AuthenticationMethod != "Mobile app notification" || last.AuthenticationRequirement != "multiFactorAuthentication" ||
			last.RiskLevelDuringSignIn != "medium" {
			t.Fatalf("seed %d: the last sign-in is %d %+v risk %q; want the approved push", seed, last.Status.ErrorCode, last.AuthenticationDetails, last.RiskLevelDuringSignIn)
		}
	}
}

// DistributedCracking: 32-40 password failures for one member from six or
// more addresses in three or more countries, within an hour, fewer than ten
// per application in any 20 minutes.
func TestDistributedCracking(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, DistributedCracking)
	recs := around(tn, inc, inc.IPAddresses)
	if len(inc.IPAddresses) < 6 || len(inc.UserPrincipalNames) != 1 || len(recs) != inc.SignIns || len(recs) < 32 || len(recs) > 40 {
		t.Fatalf("unexpected incident %d addresses, %d users, %d sign-ins; %d in the log", len(inc.IPAddresses), len(inc.UserPrincipalNames), inc.SignIns, len(recs))
	}
	countries := map[string]bool{}
	for i, r := range recs {
		countries[r.Location.CountryOrRegion] = true
		if r.Status.ErrorCode != 50126 && r.Status.ErrorCode != 50053 {
			t.Fatalf("unexpected errorCode %d", r.Status.ErrorCode)
		}
		n := 0
		for _, o := range recs[i:] {
			if o.AppID == r.AppID && createdAt(t, o).Sub(createdAt(t, r)) < 20*time.Minute {
				n++
			}
		}
		if n >= 10 {
			t.Fatalf("%d attempts on %s within 20 minutes from %s", n, r.AppDisplayName, r.CreatedDateTime)
		}
	}
	if len(countries) < 3 {
		t.Fatalf("attempts from %d countries; want 3 or more", len(countries))
	}
}

// A quiet tenant is the normal one minus the incidents' sign-ins, ids and all.
func TestQuietTenantHasNoIncidents(t *testing.T) {
	normal, quiet := mustNew(t, 7, "small"), mustQuiet(t, 7, "small")
	week := monday.AddDate(0, 0, 7)
	if got := quiet.Incidents(monday, week); got != nil {
		t.Fatalf("quiet tenant has incidents: %v", got)
	}
	incs := normal.Incidents(monday, week)
	for _, inc := range incs {
		from, to := inc.Start.Add(-time.Hour).Truncate(time.Hour), inc.End.Add(2*time.Hour).Truncate(time.Hour)
		var want []SignIn
		for _, r := range normal.Range(signin.Interactive, from, to) {
			if !injected(t, r, incs) {
				want = append(want, r)
			}
		}
		got := quiet.Range(signin.Interactive, from, to)
		if mustJSON(t, got) != mustJSON(t, want) {
			t.Fatalf("%s: quiet tenant has %d sign-ins; normal minus incident has %d", inc.Kind, len(got), len(want))
		}
		if len(got) == len(normal.Range(signin.Interactive, from, to)) {
			t.Fatalf("%s: normal tenant has no extra sign-ins", inc.Kind)
		}
	}
}

// injected reports whether a sign-in belongs to an incident: it comes from a
// documentation address, or it is the impossible traveller's sign-in from home.
func injected(t *testing.T, r SignIn, incs []Incident) bool {
	if strings.HasPrefix(r.IPAddress, "203.0.113.") || strings.HasPrefix(r.IPAddress, "198.51.100.") {
		return true
	}
	for _, inc := range incs {
		if inc.Kind == ImpossibleTravel && r.UserPrincipalName == inc.UserPrincipalNames[0] && createdAt(t, r).Equal(inc.Start) {
			return true
		}
	}
	return false
}

// Attacks are interactive only.
func TestIncidentsStayInTheInteractiveLog(t *testing.T) {
	tn := mustNew(t, 7, "small")
	for _, inc := range tn.Incidents(monday, monday.AddDate(0, 0, 7)) {
		for _, lt := range signin.LogTypes[1:] {
			for _, r := range tn.Range(lt, inc.Start, inc.End.Add(time.Second)) {
				if strings.HasPrefix(r.IPAddress, "203.0.113.") || strings.HasPrefix(r.IPAddress, "198.51.100.") {
					t.Fatalf("%s sign-in from attacker %s", lt, r.IPAddress)
				}
			}
		}
	}
}

// The high-risk sign-in succeeds with a password alone, rated high and left
// at risk, never revised; nothing else in the week is at high risk and still
// at risk, and only the impossible traveller's far sign-in is revised.
func TestHighRiskSignIn(t *testing.T) {
	tn := mustNew(t, 7, "small")
	inc := findIncident(t, tn, HighRiskSignIn)
	open := 0
	revised := 0
	for _, r := range tn.Range(signin.Interactive, monday, monday.AddDate(0, 0, 7)) {
		if r.Revision != nil {
			revised++ // the impossible traveller's far sign-in
		}
		if r.RiskLevelDuringSignIn != "high" || r.RiskState != "atRisk" {
			continue
		}
		if r.Revision != nil {
			t.Fatalf("the high-risk sign-in is revised: %+v", r.Revision)
		}
		open++
		if r.UserPrincipalName != inc.UserPrincipalNames[0] || r.Status.ErrorCode != 0 ||
			!slices.Equal(r.RiskEventTypesV2, []string{"anonymizedIPAddress", "unfamiliarFeatures"}) {
			t.Fatalf("unexpected open high-risk sign-in %+v; the incident is %+v", r, inc)
		}
	}
	if open != 1 || inc.SignIns != 1 {
		t.Fatalf("%d open high-risk sign-ins, incident of %d; want the incident's one", open, inc.SignIns)
	}
	if revised != 1 {
		t.Fatalf("%d revised sign-ins in the week; want the impossible traveller's one", revised)
	}
}
