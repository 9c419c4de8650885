package synth

import (
	"slices"
	"testing"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// withoutRisk is a record with its risk fields as an unrated sign-in has them.
func withoutRisk(r SignIn) SignIn {
	r.RiskLevelDuringSignIn, r.RiskLevelAggregated, r.RiskState, r.RiskDetail = "none", "none", "none", "none"
	r.RiskEventTypes, r.RiskEventTypesV2 = noRiskEvents, noRiskEvents
	return r
}

// checkWorkloadRisk fails unless a risky record carries what Identity
// Protection reports on a service principal's sign-in.
func checkWorkloadRisk(t *testing.T, r *SignIn) {
	t.Helper()
	events := []string{"suspiciousSignins", "investigationsThreatIntelligence"}
	switch {
	case !slices.Contains([]string{"low", "medium", "high"}, r.RiskLevelDuringSignIn) || r.RiskLevelAggregated != r.RiskLevelDuringSignIn:
		t.Fatalf("unexpected risk levels %q / %q", r.RiskLevelDuringSignIn, r.RiskLevelAggregated)
	case r.RiskState == "atRisk" && r.RiskDetail != "none",
		r.RiskState == "confirmedCompromised" && r.RiskDetail != "adminConfirmedServicePrincipalCompromised",
		r.RiskState != "atRisk" && r.RiskState != "confirmedCompromised":
		t.Fatalf("unexpected risk state %q with detail %q", r.RiskState, r.RiskDetail)
	case len(r.RiskEventTypesV2) != 1 || !slices.Contains(events, r.RiskEventTypesV2[0]) || !slices.Equal(r.RiskEventTypes, r.RiskEventTypesV2):
		t.Fatalf("unexpected risk events %q / %q", r.RiskEventTypes, r.RiskEventTypesV2)
	}
}

// A job's risky runs are its successful ones its risk stream picks: a copy of
// its record with only the risk fields changed, the shared base untouched,
// the same runs every time.
func TestWorkloadRiskOfAJob(t *testing.T) {
	base := SignIn{ServicePrincipalName: "sp-orders-prod"}
	constantFields(&base, "tenant")
	j := &job{key: 1, base: &base, interval: 15 * minute, failures: []*Status{st700027}, riskRate: 1}
	for _, d := range runsOn(j, 0, wednesday) {
		if d.base == &base {
			t.Fatal("a run with risk rate 1 is not risky")
		}
		checkWorkloadRisk(t, d.base)
		if mustJSON(t, withoutRisk(*d.base)) != mustJSON(t, base) {
			t.Fatalf("a risky run differs from its job's record beyond risk: %+v", *d.base)
		}
	}
	if base.RiskState != "none" {
		t.Fatalf("the job's shared record was made risky: %q", base.RiskState)
	}
	for _, d := range runsOn(j, 1, wednesday) {
		if d.base != &base {
			t.Fatalf("a failed run is risky: %+v", d.base)
		}
	}
	j.riskRate = 0.1
	a, b := runsOn(j, 0, wednesday), runsOn(j, 0, wednesday)
	risky := 0
	for i := range a {
		if (a[i].base == &base) != (b[i].base == &base) || (a[i].base != &base && mustJSON(t, *a[i].base) != mustJSON(t, *b[i].base)) {
			t.Fatalf("run %d: risk differs between two draws of the same day", i)
		}
		if a[i].base != &base {
			risky++
		}
	}
	if risky < 3 || risky > 20 {
		t.Fatalf("%d risky runs of 96 at rate 0.1", risky)
	}
}

// A small share of the tenant's service principal sign-ins is risky, spread
// over several service principals; managed identities, which Identity
// Protection does not cover, never are.
func TestWorkloadIdentityRisk(t *testing.T) {
	tn := mustNew(t, 7, "small")
	week := monday.AddDate(0, 0, 7)
	sps := tn.Range(signin.ServicePrincipal, monday, week)
	risky, identities := 0, map[string]bool{}
	for i := range sps {
		r := &sps[i]
		if r.RiskState == "none" {
			continue
		}
		checkWorkloadRisk(t, r)
		if r.Status.ErrorCode != 0 {
			t.Fatalf("a failed service principal sign-in is risky: %+v", r.Status)
		}
		risky++
		identities[r.ServicePrincipalName] = true
	}
	if share := float64(risky) / float64(len(sps)); share < 0.001 || share > 0.006 || len(identities) < 2 {
		t.Fatalf("%d risky of %d service principal sign-ins (%.2f%%) from %d service principals; want 0.1-0.6%% from several",
			risky, len(sps), 100*share, len(identities))
	}
	for _, r := range tn.Range(signin.ManagedIdentity, monday, week) {
		if r.RiskState != "none" || r.RiskLevelDuringSignIn != "none" {
			t.Fatalf("a managed identity sign-in is risky: %q %q", r.RiskLevelDuringSignIn, r.RiskState)
		}
	}
	t.Logf("%d risky of %d service principal sign-ins, from %d service principals", risky, len(sps), len(identities))
}
