package synth

// Stream labels: the first value derived from a tenant key, so that streams
// for different purposes never share a key.
const (
	streamPopulation uint64 = iota + 1
	streamUser
	streamServicePrincipal
	streamManagedIdentity
	streamDay
	streamRecordID
	streamIncident
	streamSchedule
)

// population is everything about a tenant that does not change with time:
// a pure function of (seed, size), built once per Tenant and then only read.
type population struct {
	tenantID       string
	partnerTenants []string
	subscriptions  []string
	ca             caSets

	offices    map[string]*netContext // by city name
	officeList []*netContext          // the same, in a fixed order
	travel     [][]*netContext        // hotel networks, per travelCities entry

	homeWeights, guestWeights, travelWeights []float64

	users   []*user
	members []*user // the incidents' targets

	deskChoices   [roleAdmin + 1]choiceTable
	guestChoices  choiceTable
	mobileChoices choiceTable

	servicePrincipals []*job
	managedIdentities []*job
}

func newPopulation(key uint64, prof profile) *population {
	r := newRng(derive(key, streamPopulation))
	p := &population{
		tenantID:      r.uuid().String(),
		ca:            newCASets(&r),
		offices:       map[string]*netContext{},
		homeWeights:   cityWeights(homeCities),
		guestWeights:  cityWeights(guestCities),
		travelWeights: cityWeights(travelCities),
	}
	for range partnerDomains {
		p.partnerTenants = append(p.partnerTenants, r.uuid().String())
	}
	for range 4 {
		p.subscriptions = append(p.subscriptions, r.uuid().String())
	}
	p.buildNetworks(&r)
	p.buildChoices(&r)
	p.buildUsers(key, prof)
	p.buildWorkloads(key, prof)
	return p
}

func (p *population) buildNetworks(r *rng) {
	for _, c := range homeCities {
		if c.office {
			n := officeNet(r, c)
			p.offices[c.name] = n
			p.officeList = append(p.officeList, n)
		}
	}
	p.travel = make([][]*netContext, len(travelCities))
	for i, c := range travelCities {
		for range 3 {
			p.travel[i] = append(p.travel[i], consumerNet(r, c))
		}
	}
}

func (p *population) buildUsers(key uint64, prof profile) {
	taken := map[string]int{}
	p.users = make([]*user, prof.users)
	for i := range p.users {
		r := newRng(derive(key, streamUser, uint64(i))) // #nosec G115 -- a key's bit pattern
		u := p.newUser(&r, i, r.chance(prof.guestShare), taken)
		p.users[i] = u
		if !u.guest {
			p.members = append(p.members, u)
		}
	}
}

func (p *population) buildWorkloads(key uint64, prof profile) {
	taken := map[string]int{}
	for i := range prof.servicePrincipals {
		k := derive(key, streamServicePrincipal, uint64(i)) // #nosec G115 -- a key's bit pattern
		r := newRng(k)
		p.servicePrincipals = append(p.servicePrincipals, p.newServicePrincipal(&r, k, taken)...)
	}
	for i := range prof.managedIdentities {
		k := derive(key, streamManagedIdentity, uint64(i)) // #nosec G115 -- a key's bit pattern
		r := newRng(k)
		p.managedIdentities = append(p.managedIdentities, p.newManagedIdentity(&r, k, taken)...)
	}
}

// choiceTable is a weighted list of applications to sign in to.
type choiceTable struct {
	pairs   []*appPair
	weights []float64
}

func (t *choiceTable) add(pair *appPair, weight float64) {
	t.pairs = append(t.pairs, pair)
	t.weights = append(t.weights, weight)
}

func (t *choiceTable) pick(r *rng) *appPair { return t.pairs[r.pick(t.weights)] }

// buildChoices makes the interactive tables: per role for members (with the
// tenant's line-of-business apps, whose ids are tenant-specific), for guests
// and for phones.
func (p *population) buildChoices(r *rng) {
	lob := make([]*appPair, len(lobAppNames))
	for i, name := range lobAppNames {
		a := app{name: name, id: r.uuid().String()}
		lob[i] = &appPair{client: a, resource: a}
	}
	for ro := range p.deskChoices {
		t := &p.deskChoices[ro]
		for _, c := range deskInteractive {
			// #nosec G115 -- ro is one of the few roles
			if c.needs == roleStaff || c.needs == role(ro) || (role(ro) == roleAdmin && c.needs == roleDeveloper) {
				t.add(c.pair, c.weight)
			}
		}
		for _, pair := range lob {
			t.add(pair, 3)
		}
	}
	for _, pair := range guestSessions {
		p.guestChoices.add(pair, 1)
	}
	for _, c := range mobileInteractive {
		p.mobileChoices.add(c.pair, c.weight)
	}
}
