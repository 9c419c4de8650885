package synth

import "hash/fnv"

// How users authenticate and what Identity Protection makes of a sign-in:
// the fields of the Usage & insights and risky sign-ins reports. Everything
// here is decided from hashes of ids already drawn (a user's id, a risk
// draw's position in its band), never from new draws, so every other field of
// every record stays as it was.

// mfaOption is an MFA method as the sign-in's step and mfaDetail name it.
type mfaOption struct {
	step   AuthDetail
	detail *MfaDetail
	weight uint64 // out of 100
}

// MfaDetail is Graph's mfaDetail.
type MfaDetail struct {
	AuthMethod string  `json:"authMethod"`
	AuthDetail *string `json:"authDetail"`
}

var mfaOptions = []mfaOption{
	{mfaStep("Mobile app notification"), &MfaDetail{AuthMethod: "PhoneAppNotification"}, 65},
	{mfaStep("OATH verification code"), &MfaDetail{AuthMethod: "PhoneAppOTP"}, 15},
	{mfaStep("Text message"), &MfaDetail{AuthMethod: "OneWaySMS"}, 12},
	{mfaStep("Phone call"), &MfaDetail{AuthMethod: "TwoWayVoiceMobile"}, 8},
}

func mfaStep(method string) AuthDetail {
	return AuthDetail{AuthenticationMethod: method, Succeeded: true,
		AuthenticationStepResultDetail: "MFA successfully completed", AuthenticationStepRequirement: "Multi-factor authentication"}
}

// Passwordless first steps: they satisfy MFA on their own.
var (
	stepHello   = passwordless("Windows Hello for Business")
	stepFIDO2   = passwordless("FIDO2 security key")
	stepPasskey = passwordless("Passkey (Microsoft Authenticator)")
)

func passwordless(method string) AuthDetail {
	return AuthDetail{AuthenticationMethod: method, Succeeded: true,
		AuthenticationStepResultDetail: "MFA requirement satisfied by strong authentication", AuthenticationStepRequirement: "Primary authentication"}
}

// authProfile is how one user signs in interactively.
type authProfile struct {
	mfa          *mfaOption
	passwordless *AuthDetail // nil: a password first
	federated    bool        // the user's domain federates to an on-premises AD FS
	gsa          bool        // the user's traffic goes through Global Secure Access
}

// federation is the tenant's AD FS, which issues the tokens of federated users.
const (
	adfsIssuerType = "ADFederationServices"
	adfsIssuerName = "http://sts.contoso.com/adfs/services/trust"
)

// authProfileOf decides a member's profile from their user id: about a fifth of
// Windows users sign in with Windows Hello, admins with a FIDO2 key, one in
// twelve with a passkey; one in ten is in the federated domain.
func authProfileOf(userID string, windows bool, r role) *authProfile {
	h := hashOf(userID)
	p := &authProfile{mfa: &mfaOptions[len(mfaOptions)-1]}
	pick := h % 100
	for i := range mfaOptions {
		if pick < mfaOptions[i].weight {
			p.mfa = &mfaOptions[i]
			break
		}
		pick -= mfaOptions[i].weight
	}
	switch k := h / 100 % 100; {
	case r == roleAdmin:
		p.passwordless = &stepFIDO2
	case windows && k < 22:
		p.passwordless = &stepHello
	case k >= 22 && k < 30:
		p.passwordless = &stepPasskey
	}
	p.federated = h/10000%10 == 0
	p.gsa = h/100000%10 == 0
	return p
}

// applyFederation makes an interactive sign-in of a federated user one whose
// token the tenant's AD FS issued.
func applyFederation(rec *SignIn) {
	if rec.auth != nil && rec.auth.federated {
		rec.TokenIssuerType, rec.TokenIssuerName, rec.AuthenticationProtocol = adfsIssuerType, adfsIssuerName, "wsFederation"
	}
}

// hashOf hashes an id for the decisions above.
func hashOf(id string) uint64 {
	f := fnv.New64a()
	f.Write([]byte(id))
	return f.Sum64()
}

// applyProfile sets the steps and MFA detail of a successful interactive
// sign-in by its user's profile; mfa tells whether the sign-in needed MFA.
func applyProfile(rec *SignIn, p *authProfile, mfa bool) {
	switch {
	case p.passwordless != nil:
		rec.AuthenticationDetails = steps(*p.passwordless)
		rec.MfaDetail = nil
	case mfa:
		rec.AuthenticationDetails = steps(stepPassword, p.mfa.step)
		rec.MfaDetail = p.mfa.detail
	}
}

// The risk events Identity Protection reports on sign-ins, with their shares
// among risky ones.
var riskEvents = []struct {
	types []string
	share float64
}{
	{[]string{"unfamiliarFeatures"}, 0.40},
	{[]string{"anonymizedIPAddress"}, 0.15},
	{[]string{"newCountry"}, 0.12},
	{[]string{"unlikelyTravel"}, 0.10},
	{[]string{"maliciousIPAddress"}, 0.06},
	{[]string{"suspiciousBrowser"}, 0.05},
	{[]string{"newCountry", "unfamiliarFeatures"}, 0.12},
}

// riskOutcome sets what Identity Protection detected and what became of it,
// from u, the risk draw's position in its level's band ([0, 1)). Most risky
// sign-ins end remediated (the user passed a risk-based MFA prompt) or
// dismissed; low and medium ones are often still at risk. A high-risk
// sign-in of the ordinary stream is never left at risk: that is what the
// injected HighRiskSignIn incident is for, so a quiet tenant stays quiet.
func riskOutcome(rec *SignIn, level string, u float64) {
	types, acc := riskEvents[len(riskEvents)-1].types, 0.0
	for _, e := range riskEvents {
		if acc += e.share; u < acc {
			types = e.types
			break
		}
	}
	rec.RiskEventTypes, rec.RiskEventTypesV2 = types, types
	v := u * 7.31
	v -= float64(int(v)) // another position, independent enough of u
	atRisk := 0.0        // high
	switch level {
	case "low":
		atRisk = 0.55
	case "medium":
		atRisk = 0.35
	}
	switch {
	case v < atRisk:
		rec.RiskState, rec.RiskDetail = "atRisk", "none"
	case v < atRisk+(1-atRisk)*0.7:
		rec.RiskState, rec.RiskDetail = "remediated", "userPassedMFADrivenByRiskBasedPolicy"
	default:
		rec.RiskState, rec.RiskDetail = "dismissed", "adminDismissedAllRiskForUser"
	}
}
