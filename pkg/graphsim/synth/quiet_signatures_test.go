package synth

import (
	"slices"
	"testing"
	"time"

	"github.com/signinlens/signinlens-entra-datasource/pkg/signin"
)

// The ordinary stream has none of the signatures the alert rules modelled on
// the injected incidents look for (provisioning/alerting/signinlens-rules.yaml),
// checked here over a week of small tenants and a workday of a medium one,
// with windows at least as wide as the rules' (the end-to-end tests evaluate
// the rules themselves on seed 7):
//   - no interactive 500121 (MFA denied), hence no success after one for a
//     user and address (MFA fatigue), and no interactive success over a
//     legacy-authentication client;
//   - no user signing in successfully from three countries within 3 hours;
//   - no user failing with 50057 on three applications from one address;
//   - no user failing ten times on one application within 20 minutes;
//   - no user failing more than 30 times on passwords (50126, 50053, 50055,
//     50056) from three or more addresses.
func TestOrdinaryStreamHasNoAttackSignatures(t *testing.T) {
	for _, tc := range []struct {
		seed int64
		size string
		days int
	}{{1, "small", 7}, {7, "small", 7}, {42, "small", 7}, {1, "medium", 1}} {
		tn := mustQuiet(t, tc.seed, tc.size)
		from, to := monday.AddDate(0, 0, 1), monday.AddDate(0, 0, 1+tc.days)
		interactive := tn.Range(signin.Interactive, from, to)
		slices.Reverse(interactive) // oldest first
		nonInteractive := tn.Range(signin.NonInteractive, from, to)
		slices.Reverse(nonInteractive)
		name := tn.String()

		type visit struct {
			at      time.Time
			country string
		}
		successes := map[string][]visit{}
		disabledApps := map[[2]string]map[string]bool{}
		failures := map[[2]string][]time.Time{}
		passwordFails := map[string]int{}
		passwordIPs := map[string]map[string]bool{}
		for _, r := range interactive {
			at := createdAt(t, r)
			code := r.Status.ErrorCode
			switch {
			case code == 500121:
				t.Fatalf("%s: 500121 for %s at %s", name, r.UserPrincipalName, r.CreatedDateTime)
			case code == 0 && signin.IsLegacyAuth(r.ClientAppUsed):
				t.Fatalf("%s: legacy-authentication success (%s) for %s at %s", name, r.ClientAppUsed, r.UserPrincipalName, r.CreatedDateTime)
			case code == 0:
				successes[r.UserPrincipalName] = append(successes[r.UserPrincipalName], visit{at, r.Location.CountryOrRegion})
			case code == 50057:
				k := [2]string{r.UserPrincipalName, r.IPAddress}
				if disabledApps[k] == nil {
					disabledApps[k] = map[string]bool{}
				}
				disabledApps[k][r.AppID] = true
			}
			if slices.Contains([]int{50126, 50053, 50055, 50056}, code) {
				passwordFails[r.UserPrincipalName]++
				if passwordIPs[r.UserPrincipalName] == nil {
					passwordIPs[r.UserPrincipalName] = map[string]bool{}
				}
				passwordIPs[r.UserPrincipalName][r.IPAddress] = true
			}
			if code != 0 && !interrupt(code) {
				k := [2]string{r.UserPrincipalName, r.AppID}
				failures[k] = append(failures[k], at)
			}
		}
		for _, r := range nonInteractive {
			if r.Status.ErrorCode == 0 {
				successes[r.UserPrincipalName] = append(successes[r.UserPrincipalName], visit{createdAt(t, r), r.Location.CountryOrRegion})
			}
		}
		for user, vs := range successes {
			slices.SortFunc(vs, func(a, b visit) int { return a.at.Compare(b.at) })
			for i := range vs {
				countries := map[string]bool{}
				for _, v := range vs[i:] {
					if v.at.Sub(vs[i].at) > 3*time.Hour {
						break
					}
					if v.country != "" {
						countries[v.country] = true
					}
				}
				if len(countries) > 2 {
					t.Fatalf("%s: %s signs in from %v within 3 hours of %s", name, user, countries, vs[i].at)
				}
			}
		}
		for k, apps := range disabledApps {
			if len(apps) > 2 {
				t.Fatalf("%s: %s fails with 50057 on %d applications from %s", name, k[0], len(apps), k[1])
			}
		}
		for k, ats := range failures {
			for i := range ats {
				if i+9 < len(ats) && ats[i+9].Sub(ats[i]) <= 20*time.Minute {
					t.Fatalf("%s: %s fails 10 times on %s within 20 minutes from %s", name, k[0], k[1], ats[i])
				}
			}
		}
		for user, n := range passwordFails {
			if n > 30 && len(passwordIPs[user]) >= 3 {
				t.Fatalf("%s: %s fails %d times on passwords from %d addresses", name, user, n, len(passwordIPs[user]))
			}
		}
	}
}

// interrupt restates the interrupted codes the ordinary stream uses.
func interrupt(code int) bool {
	return code == 50140 || code == 50074 || code == 50076 || code == 50055
}
