package synth

// Authentication steps as Graph reports them; records get their own copies
// because the step time is the record's own createdDateTime.
var (
	stepPassword = AuthDetail{
		AuthenticationMethod: "Password", AuthenticationMethodDetail: "Password in the cloud", Succeeded: true,
		AuthenticationStepResultDetail: "Correct password", AuthenticationStepRequirement: "Primary authentication",
	}
	stepBadPassword = AuthDetail{
		AuthenticationMethod: "Password", AuthenticationMethodDetail: "Password in the cloud",
		AuthenticationStepResultDetail: "Invalid username or password or Invalid on-premise username or password.",
		AuthenticationStepRequirement:  "Primary authentication",
	}
	stepMFA = AuthDetail{
		AuthenticationMethod: "Mobile app notification", Succeeded: true,
		AuthenticationStepResultDetail: "MFA successfully completed", AuthenticationStepRequirement: "Multi-factor authentication",
	}
	stepClaim = AuthDetail{
		AuthenticationMethod: "Previously satisfied", Succeeded: true,
		AuthenticationStepResultDetail: "MFA requirement satisfied by claim in the token", AuthenticationStepRequirement: "Multi-factor authentication",
	}
)

func steps(s ...AuthDetail) []AuthDetail { return s }

// applyOutcome sets the status of an interactive sign-in and what goes with
// it: Conditional Access, the authentication requirement and steps. A success
// outside a trusted network (or by a guest) went through MFA.
func (p *population) applyOutcome(rec *SignIn, st *Status, trusted, guest bool) {
	rec.Status = *st
	switch st {
	case stSuccess:
		if trusted && !guest {
			rec.AuthenticationDetails = steps(stepPassword)
			if rec.auth != nil {
				applyProfile(rec, rec.auth, false)
			}
			return
		}
		rec.Status = *stSuccessMFA
		rec.AppliedConditionalAccess = p.ca.mfa
		if guest {
			rec.AppliedConditionalAccess = p.ca.guest
		}
		rec.ConditionalAccessStatus = "success"
		rec.AuthenticationRequirement = multiFactor
		rec.AuthenticationDetails = steps(stepPassword, stepMFA)
		rec.MfaDetail = mfaOptions[0].detail
		if rec.auth != nil {
			applyProfile(rec, rec.auth, true)
		}
	case st50126:
		rec.AuthenticationDetails = steps(stepBadPassword)
	case st50074, st50076:
		rec.AuthenticationRequirement = multiFactor
		rec.AuthenticationDetails = steps(stepPassword)
	case st53003:
		rec.AppliedConditionalAccess = p.ca.blocked
		rec.ConditionalAccessStatus = "failure"
		rec.AuthenticationDetails = steps(stepPassword)
	case st53000:
		rec.AppliedConditionalAccess = p.ca.device
		rec.ConditionalAccessStatus = "failure"
		rec.AuthenticationDetails = steps(stepPassword)
	case st50140, st50055:
		rec.AuthenticationDetails = steps(stepPassword)
	}
}

// interrupted reports whether a status waits on the user, who then completes
// the sign-in a few seconds later.
func interrupted(st *Status) bool {
	return st == st50140 || st == st50074 || st == st50076 || st == st50055
}

// applyRisk marks a few successful sign-ins risky, as Identity Protection
// does: about 1.2% low, 0.3% medium, 0.05% high. It always draws, so the
// stream stays aligned whatever the status.
func applyRisk(rec *SignIn, r *rng) {
	x := r.float()
	if rec.Status.ErrorCode != 0 {
		return
	}
	var level string
	var lo, hi float64 // the level's band of x
	switch {
	case x < 0.0005:
		level, lo, hi = "high", 0, 0.0005
	case x < 0.0035:
		level, lo, hi = "medium", 0.0005, 0.0035
	case x < 0.0155:
		level, lo, hi = "low", 0.0035, 0.0155
	default:
		return
	}
	setRisk(rec, level)
	riskOutcome(rec, level, (x-lo)/(hi-lo))
}

func setRisk(rec *SignIn, level string) {
	rec.RiskLevelDuringSignIn = level
	rec.RiskLevelAggregated = level
	rec.RiskState = "atRisk"
}
