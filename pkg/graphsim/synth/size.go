package synth

import (
	"fmt"
	"strings"
)

// profile is what a size name stands for: how many identities of each kind the
// tenant has. Volumes follow from these and from the behaviour in the generators.
type profile struct {
	name              string
	users             int     // members and guests
	guestShare        float64 // share of users that are B2B guests
	servicePrincipals int
	managedIdentities int
}

// profiles are the sizes, smallest first. The sign-in volumes they give on a
// workday are pinned by the tests: small a few thousand, medium about 300,000,
// large about two million.
var profiles = []profile{
	{name: "small", users: 60, guestShare: 0.05, servicePrincipals: 4, managedIdentities: 3},
	{name: "medium", users: 2000, guestShare: 0.04, servicePrincipals: 180, managedIdentities: 130},
	{name: "large", users: 15000, guestShare: 0.04, servicePrincipals: 1350, managedIdentities: 980},
}

// Sizes lists the tenant sizes New accepts, smallest first: "small" for tests,
// "medium" for the demo, "large" for benchmarks.
func Sizes() []string {
	names := make([]string, len(profiles))
	for i, p := range profiles {
		names[i] = p.name
	}
	return names
}

func profileOf(size string) (profile, error) {
	for _, p := range profiles {
		if p.name == size {
			return p, nil
		}
	}
	return profile{}, fmt.Errorf("%w %q; want one of %s", ErrUnknownSize, size, strings.Join(Sizes(), ", "))
}
