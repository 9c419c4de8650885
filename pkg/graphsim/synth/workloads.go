package synth

// job is one scheduled task of a service principal or managed identity: it
// gets a token for one resource every interval, a fixed phase after the
// interval starts. base is the whole sign-in but for time, id and status.
type job struct {
	key           uint64
	base          *SignIn
	interval      int64
	phase         int64
	businessHours bool      // runs only 06:00-20:00 UTC, Monday to Friday
	secret        bool      // uses a client secret, which can expire
	failures      []*Status // what a transient credential failure looks like
	creds         *rotation // the secret or certificate it signs in with; nil for none
	riskRate      float64   // share of its successful runs Identity Protection finds risky
}

// Schedules, as ops teams set them, and their shares.
var (
	jobIntervals = []int64{5 * minute, 15 * minute, hourTk, dayTk}
	jobWeights   = []float64{25, 35, 30, 10}
)

// Graph's clientCredentialType values for workloads, with their shares among
// service principals and the failures each can produce.
var spCredentials = []struct {
	kind     string
	weight   float64
	failures []*Status
}{
	{"clientSecret", 55, []*Status{st7000215, st7000215, st700016}},
	{"clientAssertion", 30, []*Status{st700027}},
	{"federatedIdentityCredential", 15, []*Status{st70021}},
}

// newServicePrincipal builds an application's service principal with one to
// four jobs, running in Azure or on an on-premises scheduler.
func (p *population) newServicePrincipal(r *rng, key uint64, taken map[string]int) []*job {
	sys, env := systemNames[r.intn(len(systemNames))], envNames[r.intn(len(envNames))]
	name := uniqueName(spNameFormats[r.intn(len(spNameFormats))](sys, env), taken)
	rec := SignIn{ServicePrincipalID: r.uuid().String(), ServicePrincipalName: name, AppDisplayName: name}
	constantFields(&rec, p.tenantID)
	rec.SignInEventTypes = evSP
	rec.AppID = r.uuid().String()
	rec.ProcessingTimeInMilliseconds = 20 + r.intn(120)
	weights := make([]float64, len(spCredentials))
	for i, c := range spCredentials {
		weights[i] = c.weight
	}
	cred := spCredentials[r.pick(weights)]
	rec.ClientCredentialType = cred.kind
	switch cred.kind {
	case "clientSecret":
		rec.ServicePrincipalCredentialKeyID = r.uuid().String()
	case "clientAssertion":
		rec.ServicePrincipalCredentialKeyID = r.uuid().String()
		rec.ServicePrincipalCredentialThumbprint = thumbprint(r)
	default:
		rec.FederatedCredentialID = r.uuid().String()
	}
	if r.chance(0.7) || len(p.officeList) == 0 {
		setNet(&rec, azureNet(r))
	} else {
		setNet(&rec, p.officeList[r.intn(len(p.officeList))])
	}
	jobs := p.newJobs(r, key, &rec, spResources, spWeights)
	for i, j := range jobs {
		j.secret = cred.kind == "clientSecret"
		j.failures = cred.failures
		j.riskRate = spRiskRate
		if cred.kind != "federatedIdentityCredential" {
			j.creds = newRotation(key, cred.kind == "clientAssertion", i)
		}
	}
	return jobs
}

// msiKinds are the Azure resources that carry a system-assigned identity,
// with the prefix of their names.
var msiKinds = []struct{ provider, prefix string }{
	{"Microsoft.Web/sites", "app-"},
	{"Microsoft.Compute/virtualMachines", "vm-"},
	{"Microsoft.Logic/workflows", "logic-"},
	{"Microsoft.Automation/automationAccounts", "aa-"},
	{"Microsoft.App/containerApps", "ca-"},
}

// newManagedIdentity builds a system-assigned identity (named after its
// resource) or a user-assigned one (a resource of its own), with its jobs.
func (p *population) newManagedIdentity(r *rng, key uint64, taken map[string]int) []*job {
	sys, env := systemNames[r.intn(len(systemNames))], envNames[r.intn(len(envNames))]
	group := "/subscriptions/" + p.subscriptions[r.intn(len(p.subscriptions))] + "/resourceGroups/rg-" + sys + "-" + env
	var name, resourceID string
	msi := ManagedIdentity{MsiType: "systemAssigned"}
	if r.chance(0.6) {
		kind := msiKinds[r.intn(len(msiKinds))]
		name = uniqueName(kind.prefix+sys+"-"+env, taken)
		resourceID = group + "/providers/" + kind.provider + "/" + name
	} else {
		msi.MsiType = "userAssigned"
		name = uniqueName("id-"+sys+"-"+env, taken)
		resourceID = group + "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/" + name
	}
	msi.AssociatedResourceID = &resourceID
	rec := SignIn{ServicePrincipalID: r.uuid().String(), ServicePrincipalName: name, AppDisplayName: name}
	constantFields(&rec, p.tenantID)
	rec.SignInEventTypes = evMI
	rec.AppID = r.uuid().String()
	rec.ClientCredentialType = "managedIdentity"
	rec.ManagedServiceIdentity = msi
	rec.ProcessingTimeInMilliseconds = 10 + r.intn(60)
	rec.NetworkLocationDetails = noNetworks
	jobs := p.newJobs(r, key, &rec, miResources, miWeights)
	for _, j := range jobs {
		j.failures = []*Status{st500011}
	}
	return jobs
}

// newJobs gives a workload one to four scheduled jobs against its resources.
func (p *population) newJobs(r *rng, key uint64, rec *SignIn, resources []app, weights []float64) []*job {
	jobs := make([]*job, 1+r.intn(4))
	for i := range jobs {
		base := *rec
		res := resources[r.pick(weights)]
		base.ResourceID, base.ResourceDisplayName = res.id, res.name
		interval := jobIntervals[r.pick(jobWeights)]
		jobs[i] = &job{
			key:           derive(key, uint64(i)), // #nosec G115 -- a key's bit pattern
			base:          &base,
			interval:      interval,
			phase:         r.span(0, interval),
			businessHours: interval < dayTk && r.chance(0.2),
		}
	}
	return jobs
}

// thumbprint is a certificate's SHA-1 thumbprint: 40 upper-case hex digits.
func thumbprint(r *rng) string {
	const upperHex = "0123456789ABCDEF"
	b := make([]byte, 40)
	for i := range b {
		b[i] = upperHex[r.intn(16)]
	}
	return string(b)
}
