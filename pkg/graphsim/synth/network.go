package synth

// netContext is where a sign-in comes from: address, autonomous system, the
// location Entra ID derives from the address, and the named networks it matches.
// Contexts are built once with the population and shared by every record from
// the same place, so generating a record never formats an address.
type netContext struct {
	ip      string
	asn     int
	loc     Location
	net     []NetworkLocation
	trusted bool // a trusted named network: the MFA policy does not apply
}

// noNetworks is the shared empty networkLocationDetails; Graph sends [] rather
// than null, and the slice is never written to.
var noNetworks = []NetworkLocation{}

func locationOf(c *city) Location {
	return Location{
		City:            c.name,
		State:           c.state,
		CountryOrRegion: c.country.code,
		GeoCoordinates:  GeoCoordinates{Latitude: &c.lat, Longitude: &c.lon},
	}
}

// consumerNet is an address from one of the country's ISP blocks.
func consumerNet(r *rng, c *city) *netContext {
	p := c.country.prefixes[r.intn(len(c.country.prefixes))]
	return &netContext{
		ip:  r.ipv4(p[0], p[1]),
		asn: c.country.asns[r.intn(len(c.country.asns))],
		loc: locationOf(c),
		net: noNetworks,
	}
}

// officeNet is an office's internet breakout, a trusted named network.
func officeNet(r *rng, c *city) *netContext {
	n := consumerNet(r, c)
	n.net = []NetworkLocation{{NetworkType: "trustedNamedNetwork", NetworkNames: []string{c.name + " Office"}}}
	n.trusted = true
	return n
}

// azureNet is an address in an Azure region, where cloud workloads run.
func azureNet(r *rng) *netContext {
	s := azureSites[r.intn(len(azureSites))]
	p := s.prefixes[r.intn(len(s.prefixes))]
	return &netContext{ip: r.ipv4(p[0], p[1]), asn: azureASN, loc: locationOf(s.city), net: noNetworks}
}

// attackNet is an attacker's address: a documentation address placed in a far
// city, flagged by the tenant's "High-risk countries" named location.
func attackNet(r *rng, c *city) *netContext {
	prefix := attackNets[r.intn(len(attackNets))]
	ip := string(appendUint([]byte(prefix), uint64(1+r.intn(254)))) // #nosec G115 -- intn returns [0, n)
	return &netContext{
		ip:  ip,
		asn: hostingASNs[r.intn(len(hostingASNs))],
		loc: locationOf(c),
		net: []NetworkLocation{{NetworkType: "namedNetwork", NetworkNames: []string{"High-risk countries"}}},
	}
}
