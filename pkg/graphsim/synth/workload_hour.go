package synth

// Workload behaviour.
const (
	runLag           = 20 * second // a job's sign-in comes up to this long after its scheduled time
	secretExpiryRate = 0.004       // chance a client-secret job spends a day failing on an expired secret
	spFailRate       = 0.002       // share of service principal runs with a transient credential error
	miFailRate       = 0.0005      // share of managed identity runs that fail
	spRiskRate       = 0.003       // share of successful service principal runs found risky (workloadRisk)
)

// workloads generates the sign-ins of the jobs' runs in hour h. Service
// principals and managed identities keep their schedules around the clock,
// except the jobs that only run in business hours.
func workloads(jobs []*job, failRate float64, h int64) []draft {
	var ds []draft
	for _, j := range jobs {
		ds = j.appendRuns(ds, failRate, h)
	}
	return ds
}

// appendRuns appends the runs of one job that sign in during hour h. Run n is
// scheduled at n*interval+phase; everything about it comes from its own stream.
func (j *job) appendRuns(ds []draft, failRate float64, h int64) []draft {
	for n := floorDiv(h-runLag-j.phase, j.interval); ; n++ {
		scheduled := n*j.interval + j.phase
		if scheduled >= h+hourTk {
			return ds
		}
		r := newRng(derive(j.key, subRun, uint64(n))) // #nosec G115 -- a key's bit pattern
		at := scheduled + r.span(0, runLag)
		if at < h || at >= h+hourTk || (j.businessHours && !inBusinessHours(at)) {
			continue
		}
		d := draft{tick: at - h, base: j.base, corr: r.uuid()}
		if j.creds != nil {
			d.base = j.creds.base(j.base, at)
		}
		fail := r.chance(failRate)
		switch {
		case j.secret && secretExpired(j.key, floorDiv(at, dayTk)):
			d.status = st7000222
		case fail:
			d.status = j.failures[r.intn(len(j.failures))]
		}
		if d.status == nil && j.riskRate > 0 {
			// A stream of its own, so that no other draw of the run moves.
			rr := newRng(derive(j.key, subWorkloadRisk, uint64(n))) // #nosec G115 -- a key's bit pattern
			if rr.chance(j.riskRate) {
				d.base = workloadRisk(d.base, &rr)
			}
		}
		ds = append(ds, d)
	}
}

// secretExpired reports whether the job's client secret is expired on a UTC
// day, which makes every run that day fail with 7000222.
func secretExpired(key uint64, day int64) bool {
	r := newRng(derive(key, subSecretExpiry, uint64(day))) // #nosec G115 -- a key's bit pattern
	return r.chance(secretExpiryRate)
}

// inBusinessHours reports whether an instant is 06:00-20:00 UTC, Monday to Friday.
func inBusinessHours(at int64) bool {
	day := floorDiv(at, dayTk)
	hour := (at - day*dayTk) / hourTk
	return weekday(day) < 5 && hour >= 6 && hour < 20
}

// Workload identity risk, as Identity Protection reports it on a service
// principal's sign-ins: a sign-in detection (suspicious sign-ins, or Microsoft's
// threat intelligence) rates the sign-in and leaves it at risk, or an admin
// confirmed the service principal compromised. Managed identities are not in
// its scope, so their jobs have no risk rate. High-risk ones are left at risk
// too: the risky sign-in alert rule is about users' sign-ins only.
var (
	workloadRiskLevels  = []string{"low", "medium", "high"}
	workloadRiskWeights = []float64{50, 35, 15}
	suspiciousSignIns   = []string{"suspiciousSignins"}
	threatIntelligence  = []string{"investigationsThreatIntelligence"}
)

// workloadRisk returns a copy of a run's record made risky, from r, the
// run's risk stream.
func workloadRisk(base *SignIn, r *rng) *SignIn {
	rec := *base
	level := workloadRiskLevels[r.pick(workloadRiskWeights)]
	rec.RiskLevelDuringSignIn, rec.RiskLevelAggregated = level, level
	rec.RiskState, rec.RiskDetail = "atRisk", "none"
	if r.chance(0.2) {
		rec.RiskState, rec.RiskDetail = "confirmedCompromised", "adminConfirmedServicePrincipalCompromised"
	}
	rec.RiskEventTypes, rec.RiskEventTypesV2 = suspiciousSignIns, suspiciousSignIns
	if r.chance(0.3) {
		rec.RiskEventTypes, rec.RiskEventTypesV2 = threatIntelligence, threatIntelligence
	}
	return &rec
}
