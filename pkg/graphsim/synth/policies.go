package synth

// caPolicy is one of the tenant's Conditional Access policies.
type caPolicy struct {
	name    string
	grant   []string
	session []string
}

// caPolicies are the tenant's policies, in the order Graph lists them on every
// interactive and non-interactive sign-in.
var caPolicies = []caPolicy{
	{name: "Require MFA outside trusted locations", grant: []string{"Mfa"}},
	{name: "Block legacy authentication", grant: []string{"Block"}},
	{name: "Require compliant device for Azure management", grant: []string{"RequireCompliantDevice"}},
	{name: "Require MFA for guests", grant: []string{"Mfa"}},
	{name: "Block unmanaged devices for sensitive apps", grant: []string{"Block"}},
	{name: "Sign-in frequency 12 hours", session: []string{"SignInFrequency"}},
}

// Indexes into caPolicies.
const (
	caMFA = iota
	caLegacy
	caDevice
	caGuest
	caUnmanaged
	caFrequency
)

// caSets are the appliedConditionalAccessPolicies arrays a record can carry,
// built once per tenant (policy ids come from the seed) and shared read-only.
type caSets struct {
	none    []AppliedCAPolicy // no policy applied
	mfa     []AppliedCAPolicy // MFA required and satisfied
	mfaDeny []AppliedCAPolicy // MFA required and denied by the user
	guest   []AppliedCAPolicy // guest MFA required and satisfied
	legacy  []AppliedCAPolicy // legacy protocol blocked
	device  []AppliedCAPolicy // device not compliant
	blocked []AppliedCAPolicy // unmanaged device blocked
}

// noPolicies is what workload sign-ins carry: Graph sends [] for them.
var noPolicies = []AppliedCAPolicy{}

func newCASets(r *rng) caSets {
	ids := make([]string, len(caPolicies))
	for i := range ids {
		ids[i] = r.uuid().String()
	}
	set := func(index int, result string) []AppliedCAPolicy {
		out := make([]AppliedCAPolicy, len(caPolicies))
		for i, p := range caPolicies {
			res := "notApplied"
			if i == caFrequency {
				res = "reportOnlyNotApplied"
			}
			if i == index {
				res = result
			}
			out[i] = AppliedCAPolicy{
				ID: ids[i], DisplayName: p.name, Result: res,
				EnforcedGrantControls: nonNil(p.grant), EnforcedSessionControls: nonNil(p.session),
			}
		}
		return out
	}
	return caSets{
		none:    set(-1, ""),
		mfa:     set(caMFA, "success"),
		mfaDeny: set(caMFA, "failure"),
		guest:   set(caGuest, "success"),
		legacy:  set(caLegacy, "failure"),
		device:  set(caDevice, "failure"),
		blocked: set(caUnmanaged, "failure"),
	}
}

// nonNil turns nil into an empty slice, because Graph sends [] and never null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
